import Foundation

/// How costs are priced; `docs/economics.md` explains each setting.
public struct EconomicsSettings: Codable, Sendable, Equatable {
    /// The cost of one hour of people's time, by currency (ISO 4217). Hours in a partnership
    /// measured in a currency without an entry are reported but not priced.
    public var hourlyCost: [String: Double] = [:]
    /// The yearly cost of holding inventory, as a share of its value (capital, storage,
    /// shrinkage, obsolescence; 20–30% is the range usually quoted).
    public var inventoryCarryingRate: Double = 0.25
    /// Comparable branches needed for the comparison baseline.
    public var minimumComparableBranches: Int = 3

    public init() {}
}

/// One side's cost of a partnership and its incremental gross profit.
public struct SideEconomics: Codable, Sendable, Equatable {
    public struct Cost: Codable, Sendable, Equatable {
        /// Money delivered and confirmed by the other side.
        public var money: Double = 0
        public var hours: Double = 0
        /// `hours` at the hourly cost; nil when no hourly cost is set for the currency.
        public var hoursCost: Double?
        /// Inventory delivered (its value) and what holding it cost up to the date.
        public var inventory: Double = 0
        public var inventoryCarryingCost: Double = 0
        /// money + hoursCost + inventoryCarryingCost.
        public var total: Double = 0
        /// Pledged assets that carry no price here (people, training, exclusivity, other), in words.
        public var unpriced: [String] = []
        /// Contributions nobody of the other side confirmed: claims, not counted.
        public var claims: [String] = []
    }

    public var organizationKey: String
    /// `manufacturer` or `distributor`: which gross profit of the sales rows is this side's.
    public var role: String
    public var currency: String
    public var cost: Cost
    /// Gross profit over the partnership's months, what the baseline expected, and the difference.
    public var grossProfit: Double?
    public var baselineGrossProfit: Double?
    public var incrementalGrossProfit: Double?
    /// (incremental gross profit − cost) / cost; nil without a cost or without a baseline.
    public var returnOnInvestment: Double?
    /// Months from the agreement until the cumulative incremental gross profit first covered
    /// the cost incurred by then; nil when it has not (yet).
    public var paybackMonths: Int?
    public var gains: Bool?
    public var notes: [String]
}

/// A partnership's economics for both sides, as of a date.
public struct PartnershipEconomics: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable {
        case bothGain = "both_gain", homeGains = "home_gains", counterpartGains = "counterpart_gains", neither, undetermined
    }

    public struct Baseline: Codable, Sendable, Equatable {
        /// `comparable_branches`, `own_trend` or `none`.
        public var method: String
        public var reason: String
        public var comparableBranches: [String]
    }

    public var partnershipKey: String
    public var counterpartKey: String
    public var status: PartnershipStatus
    public var agreementDate: LocalDate?
    /// The months measured: after the agreement month, up to the as-of month and the last month with sales.
    public var from: String?
    public var to: String?
    public var months: Int
    public var baseline: Baseline
    public var sides: [SideEconomics]
    public var verdict: Verdict
    public var summary: String
}

/// Works out what each partnership costs and returns for each side. Pure: same snapshot, date
/// and settings, same result.
public struct EconomicsAnalysis: Sendable {
    public var settings: EconomicsSettings

    public init(settings: EconomicsSettings = EconomicsSettings()) {
        self.settings = settings
    }

    public func economics(of snapshot: Snapshot, asOf: LocalDate) -> [PartnershipEconomics] {
        guard let home = snapshot.home else { return [] }
        let jobs = snapshot.employmentsByPerson()
        let partnered = Set(snapshot.partnerships.filter { $0.status != .proposed }.map(\.counterpart))
        return snapshot.partnerships.indices.map { economics(of: $0, in: snapshot, home: home, jobs: jobs, partnered: partnered, asOf: asOf) }
    }

    /// Monthly gross profit of one side, by month, in one currency.
    typealias Series = [YearMonth: Double]

    func economics(of index: Int, in snapshot: Snapshot, home: Int, jobs: [[Snapshot.Employment]], partnered: Set<Int>,
                   asOf: LocalDate) -> PartnershipEconomics {
        let partnership = snapshot.partnerships[index]
        let counterpart = partnership.counterpart
        // Which side makes and which side distributes: the sales rows between them say.
        let homeIsManufacturer = snapshot.organizations[home].kind != .distributor
        let manufacturer = homeIsManufacturer ? home : counterpart, distributor = homeIsManufacturer ? counterpart : home
        let scope = partnership.territoryCodes.isEmpty ? nil
            : partnership.territoryCodes.reduce(into: Set<String>()) { $0.formUnion(SalesReport.territory($1, andBelow: snapshot.territories)) }
        let branches = Set(snapshot.branches.indices.filter { branch in
            snapshot.branches[branch].organization == distributor
                && (scope.map { scope in snapshot.branches[branch].territoryCode.map(scope.contains) ?? false } ?? true)
        })
        let pairSales = snapshot.sales.filter { $0.manufacturer == manufacturer && branches.contains($0.branch) }
        let currencies = Dictionary(grouping: pairSales) { Self.currency(of: $0, in: snapshot) }
        let currency = currencies.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }?.key
            ?? snapshot.organizations[home].currency ?? ""
        let sales = currencies[currency] ?? []
        var notes: [String] = []
        if currencies.count > 1 {
            notes.append("sales rows in \(currencies.keys.filter { $0 != currency }.sorted().joined(separator: ", ")) left out: amounts are compared in \(currency) only")
        }

        var result = PartnershipEconomics(partnershipKey: partnership.key, counterpartKey: snapshot.organizations[counterpart].key,
                                          status: partnership.status, agreementDate: partnership.agreementDate, from: nil, to: nil, months: 0,
                                          baseline: .init(method: "none", reason: "", comparableBranches: []), sides: [], verdict: .undetermined,
                                          summary: "")
        let sides = [home, counterpart].map { party in
            SideEconomics(organizationKey: snapshot.organizations[party].key, role: party == manufacturer ? "manufacturer" : "distributor",
                          currency: currency, cost: cost(of: party, in: index, snapshot: snapshot, jobs: jobs, currency: currency, asOf: asOf),
                          grossProfit: nil, baselineGrossProfit: nil, incrementalGrossProfit: nil, returnOnInvestment: nil, paybackMonths: nil,
                          gains: nil, notes: notes)
        }
        result.sides = sides
        guard let agreement = partnership.agreementDate, agreement <= asOf, partnership.status != .proposed else {
            result.baseline.reason = partnership.status == .proposed ? "no agreement yet: a proposed partnership has no months to measure"
                : partnership.agreementDate == nil ? "no agreement date recorded: the months to measure are unknown"
                : "agreed after \(asOf): nothing to measure yet"
            result.summary = "not measured: \(result.baseline.reason)"
            return result
        }
        if partnership.status == .ended && partnership.endDate == nil {
            result.baseline.reason = "ended on a date not recorded: the months to measure are unknown"
            result.summary = "not measured: \(result.baseline.reason)"
            return result
        }
        let start = YearMonth(year: agreement.year, month: agreement.month)
        // An ended partnership is measured up to the month it ended.
        let until = partnership.status == .ended ? min(asOf, partnership.endDate ?? asOf) : asOf
        let last = min(YearMonth(year: until.year, month: until.month), sales.map(\.period).max() ?? start)
        let first = start.adding(months: 1)
        guard first <= last else {
            result.baseline.reason = "no full month of sales since the agreement on \(agreement)"
            result.summary = "not measured: \(result.baseline.reason)"
            return result
        }
        let months = Self.months(from: first, to: last)
        result.from = first.description
        result.to = last.description
        result.months = months.count
        let preYear = Self.months(from: start.adding(months: -12), to: start.adding(months: -1))
        // The same calendar month in the year before the agreement.
        func reference(_ month: YearMonth) -> YearMonth { preYear.first { $0.month == month.month }! }

        var series: [Series] = [[:], [:]]
        for sale in sales {
            series[0][sale.period, default: 0] += (home == manufacturer ? sale.manufacturerGrossProfit : sale.distributorGrossProfit) ?? 0
            series[1][sale.period, default: 0] += (counterpart == manufacturer ? sale.manufacturerGrossProfit : sale.distributorGrossProfit) ?? 0
        }
        guard preYear.allSatisfy({ series[0][$0] != nil }) else {
            result.baseline.reason = "fewer than 12 months of sales before the agreement (\(start.adding(months: -12)) to \(start.adding(months: -1))): no baseline"
            result.summary = "not measured: \(result.baseline.reason)"
            return result
        }

        // Baseline 1: branches of distributors without a partnership in the same territories, or
        // failing enough of them, in the territories one level up, and so on to the country.
        let needed = Set(preYear + months)
        let others = snapshot.branches.indices.filter { branch in
            let organization = snapshot.branches[branch].organization
            return organization != distributor && organization != manufacturer && !partnered.contains(organization)
        }
        var comparableMonths: [Int: Set<YearMonth>] = [:]
        let otherSet = Set(others)
        for sale in snapshot.sales where sale.manufacturer == manufacturer && otherSet.contains(sale.branch)
            && Self.currency(of: sale, in: snapshot) == currency {
            comparableMonths[sale.branch, default: []].insert(sale.period)
        }
        let parents = Dictionary(snapshot.territories.compactMap { territory in territory.parentCode.map { (territory.code, $0) } },
                                 uniquingKeysWith: { first, _ in first })
        var area = Set(branches.compactMap { snapshot.branches[$0].territoryCode })
        var covering: [Int] = []
        var level = "the same territories"
        var visited: Set<Set<String>> = []
        while !area.isEmpty, visited.insert(area).inserted {
            let inside = area.reduce(into: Set<String>()) { $0.formUnion(SalesReport.territory($1, andBelow: snapshot.territories)) }
            covering = others.filter { branch in
                snapshot.branches[branch].territoryCode.map(inside.contains) == true && comparableMonths[branch].map(needed.isSubset) == true
            }
            if covering.count >= settings.minimumComparableBranches { break }
            // Territories at the top stay as they are while the others move up a level.
            let up = Set(area.map { parents[$0] ?? $0 })
            if up == area { break }
            area = up
            level = "the territories above them (\(area.sorted().joined(separator: ", ")))"
        }
        var comparableSeries: [Series] = [[:], [:]]
        let keep = Set(covering)
        for sale in snapshot.sales where sale.manufacturer == manufacturer && keep.contains(sale.branch)
            && Self.currency(of: sale, in: snapshot) == currency {
            comparableSeries[0][sale.period, default: 0] += (home == manufacturer ? sale.manufacturerGrossProfit : sale.distributorGrossProfit) ?? 0
            comparableSeries[1][sale.period, default: 0] += (counterpart == manufacturer ? sale.manufacturerGrossProfit : sale.distributorGrossProfit) ?? 0
        }
        var baselines: [Series] = [[:], [:]]
        if covering.count >= settings.minimumComparableBranches,
           (0..<2).allSatisfy({ side in preYear.allSatisfy { (comparableSeries[side][$0] ?? 0) > 0 } }) {
            for side in 0..<2 {
                for month in months {
                    let ref = reference(month)
                    baselines[side][month] = series[side][ref]! * (comparableSeries[side][month] ?? 0) / comparableSeries[side][ref]!
                }
            }
            result.baseline = .init(method: "comparable_branches",
                                    reason: "\(covering.count) branches of distributors without a partnership in \(level), with sales in every month "
                                        + "compared: the partner's gross profit in the same month of the year before the agreement, moved as theirs moved",
                                    comparableBranches: covering.map { snapshot.branches[$0].key })
        } else {
            // Baseline 2: the partner's own growth in the year before the agreement.
            let yearBefore = Self.months(from: start.adding(months: -24), to: start.adding(months: -13))
            guard yearBefore.allSatisfy({ series[0][$0] != nil }) else {
                let reason = "only \(covering.count) comparable branches (\(settings.minimumComparableBranches) needed) and fewer than 24 months of "
                    + "sales before the agreement for the partner's own trend: no baseline"
                result.baseline.reason = reason
                result.summary = "not measured: \(reason)"
                return result
            }
            func total(_ months: [YearMonth], _ side: Int) -> Double { months.map { series[side][$0] ?? 0 }.reduce(0, +) }
            let totals: [(before: Double, after: Double)] = (0..<2).map { side in (total(yearBefore, side), total(preYear, side)) }
            guard totals.allSatisfy({ $0.before > 0 && $0.after > 0 }) else {
                let reason = "only \(covering.count) comparable branches (\(settings.minimumComparableBranches) needed), and a side's gross profit "
                    + "in the two years before the agreement was not positive in both, so it has no rate of growth: no baseline"
                result.baseline.reason = reason
                result.summary = "not measured: \(reason)"
                return result
            }
            for side in 0..<2 {
                let growth = totals[side].after / totals[side].before
                for month in months {
                    let ref = reference(month)
                    let years = Double((month.year * 12 + month.month) - (ref.year * 12 + ref.month)) / 12
                    baselines[side][month] = series[side][ref]! * pow(growth, years)
                }
            }
            result.baseline = .init(method: "own_trend",
                                    reason: (covering.count >= settings.minimumComparableBranches
                                        ? "\(covering.count) comparable branches, but without gross profit in every month of the year before the agreement"
                                        : "only \(covering.count) comparable branches (\(settings.minimumComparableBranches) needed)") + ": the partner's gross "
                                        + "profit in the same month of the year before the agreement, grown at its rate from the year before that",
                                    comparableBranches: [])
        }

        for side in 0..<2 {
            let actual = months.map { series[side][$0] ?? 0 }.reduce(0, +)
            let expected = months.map { baselines[side][$0] ?? 0 }.reduce(0, +)
            result.sides[side].grossProfit = Self.cents(actual)
            result.sides[side].baselineGrossProfit = Self.cents(expected)
            let incremental = actual - expected
            result.sides[side].incrementalGrossProfit = Self.cents(incremental)
            let cost = result.sides[side].cost.total
            if cost > 0 { result.sides[side].returnOnInvestment = ((incremental - cost) / cost * 1000).rounded() / 1000 }
            result.sides[side].gains = incremental - cost > 0
            // Payback: the first month when the incremental profit so far covers the cost so far.
            let party = side == 0 ? home : counterpart
            var cumulative = 0.0
            for (offset, month) in months.enumerated() {
                cumulative += (series[side][month] ?? 0) - (baselines[side][month] ?? 0)
                let spent = self.cost(of: party, in: index, snapshot: snapshot, jobs: jobs, currency: currency,
                                      asOf: min(Self.lastDay(of: month), asOf)).total
                if spent > 0 && cumulative >= spent {
                    result.sides[side].paybackMonths = offset + 1
                    break
                }
            }
        }
        let gains = result.sides.map { $0.gains ?? false }
        result.verdict = gains[0] && gains[1] ? .bothGain : gains[0] ? .homeGains : gains[1] ? .counterpartGains : .neither
        let words = result.sides.map { side in
            "\(side.organizationKey) \(Self.money(side.incrementalGrossProfit ?? 0)) incremental gross profit against \(Self.money(side.cost.total)) cost"
        }
        let verdict = switch result.verdict {
        case .bothGain: "both sides gain"
        case .homeGains: "only \(result.sides[0].organizationKey) gains"
        case .counterpartGains: "only \(result.sides[1].organizationKey) gains"
        case .neither: "neither side gains"
        case .undetermined: "undetermined"
        }
        result.summary = "\(verdict) over \(months.count) months (\(currency)): " + words.joined(separator: "; ")
        return result
    }

    /// What `party` delivered to the partnership up to `asOf`, confirmed by the other side, priced.
    func cost(of party: Int, in partnership: Int, snapshot: Snapshot, jobs: [[Snapshot.Employment]], currency: String,
              asOf: LocalDate) -> SideEconomics.Cost {
        var cost = SideEconomics.Cost()
        var unpriced: [String: Double] = [:], units: [String: String] = [:]
        for pledge in snapshot.commitments where pledge.partnership == partnership && pledge.party == party {
            let pledgeCurrency = pledge.currency ?? snapshot.organizations[party].currency ?? currency
            let unit = pledge.asset == .money || pledge.asset == .inventory ? pledgeCurrency : pledge.unit ?? pledge.asset.rawValue
            for contribution in pledge.contributions where contribution.date <= asOf {
                guard snapshot.isConfirmedByTheOtherSide(contribution, of: pledge, jobs: jobs) else {
                    cost.claims.append("\(pledge.key): \(BundleNumber.format(contribution.amount)) \(unit) on \(contribution.date)")
                    continue
                }
                switch pledge.asset {
                case .money where pledgeCurrency == currency:
                    cost.money += contribution.amount
                case .inventory where pledgeCurrency == currency:
                    cost.inventory += contribution.amount
                    cost.inventoryCarryingCost += contribution.amount * settings.inventoryCarryingRate * Double(asOf.dayNumber - contribution.date.dayNumber) / 365.25
                case .timeHours:
                    cost.hours += contribution.amount
                case .money, .inventory:
                    unpriced["\(pledge.asset.rawValue) in \(pledgeCurrency)", default: 0] += contribution.amount
                    units["\(pledge.asset.rawValue) in \(pledgeCurrency)"] = pledgeCurrency
                case .people, .training, .exclusivity, .other:
                    unpriced[pledge.asset.rawValue, default: 0] += contribution.amount
                    units[pledge.asset.rawValue] = pledge.unit ?? ""
                }
            }
        }
        if cost.hours > 0 {
            if let rate = settings.hourlyCost[currency] { cost.hoursCost = Self.cents(cost.hours * rate) } else {
                unpriced["time_hours (no hourly cost for \(currency))", default: 0] += cost.hours
                units["time_hours (no hourly cost for \(currency))"] = "h"
            }
        }
        cost.unpriced = unpriced.keys.sorted().map { "\($0): \(BundleNumber.format(Self.cents(unpriced[$0]!))) \(units[$0] ?? "")".trimmingCharacters(in: .whitespaces) }
        cost.money = Self.cents(cost.money)
        cost.inventory = Self.cents(cost.inventory)
        cost.inventoryCarryingCost = Self.cents(cost.inventoryCarryingCost)
        cost.total = Self.cents(cost.money + (cost.hoursCost ?? 0) + cost.inventoryCarryingCost)
        return cost
    }

    /// A sales row's currency: its own, else its distributor's, else its manufacturer's.
    static func currency(of sale: Snapshot.Sale, in snapshot: Snapshot) -> String {
        sale.currency ?? snapshot.organizations[snapshot.branches[sale.branch].organization].currency
            ?? snapshot.organizations[sale.manufacturer].currency ?? ""
    }

    static func months(from first: YearMonth, to last: YearMonth) -> [YearMonth] {
        var result: [YearMonth] = []
        var month = first
        while month <= last {
            result.append(month)
            month = month.adding(months: 1)
        }
        return result
    }

    static func lastDay(of month: YearMonth) -> LocalDate {
        if month.month == 12 { return LocalDate(year: month.year, month: 12, day: 31)! }
        return LocalDate(year: month.year, month: month.month + 1, day: 1)!.adding(days: -1)
    }

    static func cents(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    static func money(_ value: Double) -> String { String(format: "%.0f", value) }
}
