import Foundation

/// Whether changes in relationship strength come before sell-through growth, per territory or
/// branch: correlations at lags of 0 to 4 quarters, with how many observations each rests on
/// and a 95% interval. A correlation, never a claim of cause (docs/economics.md).
public struct LeadLag: Codable, Sendable, Equatable {
    public struct Lag: Codable, Sendable, Equatable {
        /// Strength change in a quarter against sell-through growth this many quarters later.
        public var quarters: Int
        /// Pearson's r; nil with fewer than 3 observations or no variation.
        public var correlation: Double?
        public var observations: Int
        /// The 95% interval of r (Fisher's z); nil with fewer than 4 observations.
        public var low: Double?
        public var high: Double?
    }

    /// `territory`, `branch` or `all`.
    public var scope: String
    /// The territory code or branch key; nil for `all`.
    public var key: String?
    public var branches: Int
    public var lags: [Lag]
    public var statement: String
}

/// Builds the lead/lag table from a snapshot, as of a date.
public struct LeadLagAnalysis: Sendable {
    public var relationships = RelationshipSettings()
    /// Fewer observations than this make no statement.
    public var minimumObservations = 20
    public var maximumLag = 4
    /// A correlation weaker than this is called negligible, however many observations back it.
    public var negligible = 0.1

    public init() {}

    public enum Grouping: String, CaseIterable, Codable, Sendable {
        case all, territory, branch
    }

    /// One branch's quarterly series: the strength of its relationship backbone at each quarter's
    /// end (the mean, over the people working at the branch then, of each one's strongest
    /// relationship with the home company) and its sell-through of the home company's lines.
    struct Series {
        var branch: Int
        var strength: [Double?]
        var sellThrough: [Double?]
    }

    public func analyse(_ snapshot: Snapshot, asOf: LocalDate, by grouping: Grouping, territory: String? = nil) -> [LeadLag] {
        guard let home = snapshot.home else { return [] }
        let inside = territory.map { SalesReport.territory($0, andBelow: snapshot.territories) }
        // Whole quarters from the first month with sales to the last that ended by the date (and
        // not past the last month with sales: later quarters have nothing to correlate).
        let homeSales = snapshot.sales.filter { $0.manufacturer == home && snapshot.branches.indices.contains($0.branch) }
        guard let firstMonth = homeSales.map(\.period).min(), let lastMonth = homeSales.map(\.period).max() else { return [] }
        let firstQuarter = Quarter(firstMonth), lastQuarter = min(Quarter(asOf).previousIfOpen(asOf), Quarter(lastMonth))
        guard firstQuarter <= lastQuarter else { return [] }
        let quarters = Quarter.range(firstQuarter, lastQuarter)
        let index = Dictionary(uniqueKeysWithValues: quarters.enumerated().map { ($1, $0) })

        var sellThrough: [Int: [Double?]] = [:]
        var months: [Int: [Set<Int>]] = [:]  // the months of each quarter a branch reported
        for sale in homeSales {
            guard let position = index[Quarter(sale.period)] else { continue }
            let branch = snapshot.branches[sale.branch]
            if let inside, !(branch.territoryCode.map(inside.contains) ?? false) { continue }
            var series = sellThrough[sale.branch] ?? Array(repeating: nil, count: quarters.count)
            series[position] = (series[position] ?? 0) + (sale.sellThrough ?? 0)
            sellThrough[sale.branch] = series
            var seen = months[sale.branch] ?? Array(repeating: [], count: quarters.count)
            seen[position].insert(sale.period.month)
            months[sale.branch] = seen
        }
        // A quarter with fewer than three months of sales would pass for a fall in sales.
        for (branch, seen) in months {
            for position in seen.indices where seen[position].count < 3 { sellThrough[branch]?[position] = nil }
        }
        guard !sellThrough.isEmpty else { return [] }

        // Strength at each quarter's end, from every pair's dealings.
        let jobs = snapshot.employmentsByPerson()
        let scoring = RelationshipScoring(settings: relationships)
        let dealings = scoring.dealings(in: snapshot, jobs: jobs, home: home, upTo: asOf)
        var pairsOf: [Int: [[Dealing]]] = [:]
        for (pair, list) in dealings { pairsOf[pair.counterpart, default: []].append(list) }
        let ends = quarters.map(\.lastDay)
        var staff: [Int: [[Int]]] = [:]  // branch → per quarter, the people working there at its end
        for person in jobs.indices {
            for job in jobs[person] where job.organization != home {
                guard let branch = job.branch, sellThrough[branch] != nil else { continue }
                var perQuarter = staff[branch] ?? Array(repeating: [], count: quarters.count)
                for (position, end) in ends.enumerated() where job.covers(end) { perQuarter[position].append(person) }
                staff[branch] = perQuarter
            }
        }
        var strongest: [Int: [Double]] = [:]  // person → strongest relationship at each quarter's end
        for person in Set(staff.values.flatMap { $0.flatMap { $0 } }) {
            strongest[person] = ends.map { end in
                (pairsOf[person] ?? []).map { relationships.strength(fromScore: scoring.score($0, upTo: end.dayNumber)) }.max() ?? 0
            }
        }
        let series = sellThrough.keys.sorted().map { branch in
            Series(branch: branch, strength: quarters.indices.map { position in
                let people = staff[branch]?[position] ?? []
                return people.isEmpty ? nil : people.map { strongest[$0]?[position] ?? 0 }.reduce(0, +) / Double(people.count)
            }, sellThrough: sellThrough[branch]!)
        }

        var groups: [(scope: String, key: String?, series: [Series])] = []
        switch grouping {
        case .all: groups = [("all", nil, series)]
        case .territory:
            groups = Dictionary(grouping: series) { snapshot.branches[$0.branch].territoryCode ?? "" }
                .sorted { $0.key < $1.key }.map { ("territory", $0.key, $0.value) }
        case .branch: groups = series.map { ("branch", snapshot.branches[$0.branch].key, [$0]) }
        }
        return groups.map { group in table(group.series, scope: group.scope, key: group.key) }
    }

    /// The correlations of one group: changes in strength against year-on-year sell-through
    /// growth `lag` quarters later, each branch's values taken as deviations from its own mean
    /// so that branches of different size and level compare.
    func table(_ series: [Series], scope: String, key: String?) -> LeadLag {
        let lags = (0...maximumLag).map { lag -> LeadLag.Lag in
            var pairs: [(Double, Double)] = [], groups = 0
            for branch in series {
                var own: [(Double, Double)] = []
                for quarter in branch.strength.indices {
                    let later = quarter + lag
                    guard quarter >= 1, later >= 4, later < branch.sellThrough.count,
                          let now = branch.strength[quarter], let before = branch.strength[quarter - 1],
                          let sales = branch.sellThrough[later], let yearBefore = branch.sellThrough[later - 4], yearBefore > 0 else { continue }
                    own.append((now - before, (sales - yearBefore) / yearBefore))
                }
                // Each branch's own mean is taken out, which costs a degree of freedom per branch.
                guard own.count >= 3 else { continue }
                let meanX = own.map(\.0).reduce(0, +) / Double(own.count), meanY = own.map(\.1).reduce(0, +) / Double(own.count)
                pairs += own.map { ($0.0 - meanX, $0.1 - meanY) }
                groups += 1
            }
            return Self.correlate(pairs, lag: lag, means: groups)
        }
        return LeadLag(scope: scope, key: key, branches: series.count, lags: lags, statement: statement(lags))
    }

    /// Pearson's r with Fisher's interval; `means` group means already taken out of the pairs
    /// reduce the degrees of freedom the interval rests on.
    static func correlate(_ pairs: [(Double, Double)], lag: Int, means: Int = 0) -> LeadLag.Lag {
        let n = pairs.count
        guard n >= 3 else { return .init(quarters: lag, correlation: nil, observations: n, low: nil, high: nil) }
        let meanX = pairs.map(\.0).reduce(0, +) / Double(n), meanY = pairs.map(\.1).reduce(0, +) / Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in pairs {
            sxy += (x - meanX) * (y - meanY)
            sxx += (x - meanX) * (x - meanX)
            syy += (y - meanY) * (y - meanY)
        }
        guard sxx > 0, syy > 0 else { return .init(quarters: lag, correlation: nil, observations: n, low: nil, high: nil) }
        let r = max(-1, min(1, sxy / (sxx * syy).squareRoot()))
        let freedom = n - 3 - max(means - 1, 0)
        guard freedom >= 1 else { return .init(quarters: lag, correlation: Self.round(r), observations: n, low: nil, high: nil) }
        let z = atanh(min(max(r, -0.999999), 0.999999)), se = 1 / Double(freedom).squareRoot()
        return .init(quarters: lag, correlation: Self.round(r), observations: n, low: Self.round(tanh(z - 1.96 * se)), high: Self.round(tanh(z + 1.96 * se)))
    }

    /// In words: the lag with the strongest correlation whose interval excludes zero, if any.
    func statement(_ lags: [LeadLag.Lag]) -> String {
        let most = lags.map(\.observations).max() ?? 0
        guard most >= minimumObservations else {
            return "too few observations to say (\(most), \(minimumObservations) needed)"
        }
        let clear = lags.filter { lag in
            guard let low = lag.low, let high = lag.high, lag.observations >= minimumObservations else { return false }
            return low > 0 || high < 0
        }
        guard let best = clear.max(by: { abs($0.correlation ?? 0) < abs($1.correlation ?? 0) }), let r = best.correlation else {
            return "no clear relation at any lag from 0 to \(maximumLag) quarters: every 95% interval includes zero"
        }
        let when = best.quarters == 0 ? "in the same quarter" : "\(best.quarters) quarter\(best.quarters == 1 ? "" : "s") later"
        let figures = "r = \(String(format: "%.2f", r)), 95% interval \(String(format: "%.2f", best.low!)) to \(String(format: "%.2f", best.high!)), "
            + "\(best.observations) observations"
        guard abs(r) >= negligible else {
            return "only a negligible relation: the clearest is \(when) (\(figures)), too weak to plan on"
        }
        return "a rise in relationship strength goes with \(r > 0 ? "higher" : "lower") sell-through growth \(when) (\(figures)); "
            + "a correlation, not proof that one causes the other, and with five lags tried one may stand out by chance"
    }

    static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}

/// A calendar quarter.
struct Quarter: Hashable, Comparable {
    var year: Int
    var number: Int

    init(year: Int, number: Int) { self.year = year; self.number = number }
    init(_ month: YearMonth) { self.init(year: month.year, number: (month.month - 1) / 3 + 1) }
    init(_ date: LocalDate) { self.init(year: date.year, number: (date.month - 1) / 3 + 1) }

    var next: Quarter { number == 4 ? Quarter(year: year + 1, number: 1) : Quarter(year: year, number: number + 1) }
    var previous: Quarter { number == 1 ? Quarter(year: year - 1, number: 4) : Quarter(year: year, number: number - 1) }
    var lastDay: LocalDate {
        if number == 4 { return LocalDate(year: year, month: 12, day: 31)! }
        return LocalDate(year: year, month: number * 3 + 1, day: 1)!.adding(days: -1)
    }

    /// This quarter if it has ended by `date`, else the one before.
    func previousIfOpen(_ date: LocalDate) -> Quarter { lastDay <= date ? self : previous }

    static func < (lhs: Quarter, rhs: Quarter) -> Bool { (lhs.year, lhs.number) < (rhs.year, rhs.number) }

    static func range(_ first: Quarter, _ last: Quarter) -> [Quarter] {
        var result: [Quarter] = [], quarter = first
        while quarter <= last {
            result.append(quarter)
            quarter = quarter.next
        }
        return result
    }
}
