import Foundation

/// How a partnership test came out.
public enum TestResult: String, Codable, Sendable {
    case pass, partial, fail
}

/// One of the five tests with what it rests on.
public struct CriterionResult: Codable, Sendable, Equatable {
    public var result: TestResult
    public var evidence: [String]
}

/// The five tests of a true partnership (Mohr & Spekman 1994; Morgan & Hunt 1994).
public struct PartnershipCriteria: Codable, Sendable, Equatable {
    public var commitment: CriterionResult
    public var commonGoal: CriterionResult
    public var combinedAssets: CriterionResult
    public var sharedRisk: CriterionResult
    public var interdependence: CriterionResult

    public var all: [CriterionResult] { [commitment, commonGoal, combinedAssets, sharedRisk, interdependence] }
}

/// Thresholds of the five tests; `docs/scoring.md` explains each one.
public struct PartnershipTestSettings: Codable, Sendable, Equatable {
    /// A goal is on track when its latest value reached at least this share of the way the
    /// straight line from baseline to target expects by then.
    public var onTrackShare: Double = 0.9
    /// Each side delivered (confirmed by the other side) at least this share of its pledges due…
    public var deliveredShare: Double = 0.75
    /// …and below this share the side counts as not delivering at all.
    public var deliveringShare: Double = 0.3
    /// Interdependence: the counterpart buys at least this share of the home company's sell-in…
    public var homeDependence: Double = 0.01
    /// …and the home company's products make at least this share of the counterpart's sell-through.
    public var counterpartDependence: Double = 0.2
    /// Sales are counted over this many months up to the as-of date.
    public var salesMonths: Int = 12

    public init() {}
}

/// Runs the five tests for one counterpart organization.
struct PartnershipTesting {
    let snapshot: Snapshot
    let jobs: [[Snapshot.Employment]]
    let home: Int
    let asOf: LocalDate
    let settings: PartnershipTestSettings
    let sales: SalesTotals

    /// `sales`: the totals of an earlier run on the same sales, when there was one.
    init(snapshot: Snapshot, jobs: [[Snapshot.Employment]], home: Int, asOf: LocalDate, settings: PartnershipTestSettings, sales: SalesTotals? = nil) {
        self.snapshot = snapshot
        self.jobs = jobs
        self.home = home
        self.asOf = asOf
        self.settings = settings
        self.sales = sales ?? SalesTotals(snapshot, home: home, asOf: asOf, months: settings.salesMonths)
    }

    /// Sales of the months up to and including the as-of month, added up once per currency.
    struct SalesTotals {
        /// The home company's sell-in by currency.
        var homeSellIn: [String: Double] = [:]
        /// Per buying organization: the home company's sell-in to it, its sell-through of the
        /// home company's products and of everyone's, by currency; whether other manufacturers appear.
        var byBuyer: [Int: (homeSellIn: [String: Double], fromHome: [String: Double], sellThrough: [String: Double], others: Bool)] = [:]

        /// The months added up: the last `count` up to and including the as-of month.
        static func months(asOf: LocalDate, count: Int) -> (first: YearMonth, last: YearMonth) {
            let last = YearMonth(year: asOf.year, month: asOf.month)
            return (last.adding(months: -(max(count, 1) - 1)), last)
        }

        init(_ snapshot: Snapshot, home: Int, asOf: LocalDate, months: Int) {
            let (first, last) = Self.months(asOf: asOf, count: months)
            for sale in snapshot.sales where sale.period >= first && sale.period <= last && snapshot.branches.indices.contains(sale.branch) {
                let buyer = snapshot.branches[sale.branch].organization
                let currency = sale.currency ?? ""
                var entry = byBuyer[buyer] ?? ([:], [:], [:], false)
                if sale.manufacturer == home {
                    homeSellIn[currency, default: 0] += sale.sellIn ?? 0
                    entry.homeSellIn[currency, default: 0] += sale.sellIn ?? 0
                    entry.fromHome[currency, default: 0] += sale.sellThrough ?? 0
                } else {
                    entry.others = true
                }
                entry.sellThrough[currency, default: 0] += sale.sellThrough ?? 0
                byBuyer[buyer] = entry
            }
        }
    }

    func criteria(for organization: Int) -> PartnershipCriteria {
        // A partnership agreed after the as-of date did not exist yet.
        let partnerships = snapshot.partnerships.indices.filter {
            snapshot.partnerships[$0].counterpart == organization && (snapshot.partnerships[$0].agreementDate.map { $0 <= asOf } ?? true)
        }
        return PartnershipCriteria(commitment: commitment(partnerships, organization), commonGoal: commonGoal(partnerships),
                                   combinedAssets: combinedAssets(partnerships, organization), sharedRisk: sharedRisk(partnerships, organization),
                                   interdependence: interdependence(organization))
    }

    var homeName: String { snapshot.organizations[home].key }

    func names(_ people: [Int]) -> String {
        people.map { snapshot.people[$0].name }.joined(separator: ", ")
    }

    /// Sides of a person on the date: 0 home, 1 the counterpart, nil neither.
    func side(of person: Int, counterpart: Int, on date: LocalDate) -> Int? {
        guard jobs.indices.contains(person) else { return nil }
        let held = jobs[person].filter { $0.covers(date) }
        if held.contains(where: { $0.organization == home }) { return 0 }
        if held.contains(where: { $0.organization == counterpart }) { return 1 }
        return nil
    }

    /// Commitment: an active partnership whose commitment was expressed, signed by both sides.
    func commitment(_ partnerships: [Int], _ organization: Int) -> CriterionResult {
        guard !partnerships.isEmpty else { return .init(result: .fail, evidence: ["no partnership with \(homeName)"]) }
        var best = TestResult.fail
        var evidence: [String] = []
        for index in partnerships {
            let partnership = snapshot.partnerships[index]
            let signed = partnership.agreementDate ?? asOf
            let sides = Set(partnership.signatories.compactMap { side(of: $0, counterpart: organization, on: signed) })
            var line = "partnership \(partnership.key): \(partnership.status.rawValue), commitment \(partnership.commitment.rawValue)"
            if let date = partnership.agreementDate { line += " on \(date)" }
            if !partnership.signatories.isEmpty { line += ", signed by \(names(partnership.signatories))" }
            evidence.append(line)
            let result: TestResult
            switch (partnership.status, partnership.commitment) {
            case (.active, .expressed) where sides == [0, 1]: result = .pass
            case (.active, .expressed), (.active, .implied), (.proposed, .expressed), (.proposed, .implied):
                result = .partial
                if partnership.commitment == .expressed, sides != [0, 1] { evidence.append("not signed by both sides") }
            default: result = .fail
            }
            if result.rank > best.rank { best = result }
        }
        return .init(result: best, evidence: evidence)
    }

    /// Common goal: shared goals with an owner on each side, on track by the straight line from
    /// baseline to target.
    func commonGoal(_ partnerships: [Int]) -> CriterionResult {
        let goals = snapshot.goals.filter { partnerships.contains($0.partnership) }
        guard !goals.isEmpty else { return .init(result: .fail, evidence: ["no shared goal"]) }
        var evidence: [String] = []
        var onTrack = 0
        var ownedByBoth = 0
        for goal in goals {
            let sides = Set(goal.owners.compactMap { side(of: $0, counterpart: snapshot.partnerships[goal.partnership].counterpart, on: asOf) })
            if sides == [0, 1] { ownedByBoth += 1 } else { evidence.append("goal \(goal.key) has no owner on \(sides.contains(0) ? "their" : sides.contains(1) ? "\(homeName)'s" : "either") side") }
            var line = "goal \(goal.key) (\(goal.metric)): target \(BundleNumber.format(goal.target))"
            if let due = goal.dueDate { line += " by \(due)" }
            guard let status = goalStatus(goal) else {
                evidence.append(line + ", no progress recorded")
                continue
            }
            if status.onTrack { onTrack += 1 }
            line += ", \(BundleNumber.format(status.value)) on \(status.date) against \(BundleNumber.format((status.expected * 100).rounded() / 100)) expected: "
                + (status.onTrack ? "on track" : "off track")
            evidence.append(line)
        }
        let result: TestResult = onTrack == goals.count && ownedByBoth == goals.count ? .pass : .partial
        return .init(result: result, evidence: evidence)
    }

    /// A goal's latest value up to the date against the straight line from baseline (at the
    /// agreement date) to target (at the due date); nil without progress.
    func goalStatus(_ goal: Snapshot.Goal) -> (date: LocalDate, value: Double, expected: Double, onTrack: Bool)? {
        GoalStatus(baseline: goal.baseline, target: goal.target, dueDate: goal.dueDate,
                   start: snapshot.partnerships[goal.partnership].agreementDate, progress: goal.progress, asOf: asOf,
                   onTrackShare: settings.onTrackShare).map { ($0.date, $0.value, $0.expected, $0.onTrack) }
    }

    /// Combined assets: both sides pledged, and each delivered what it pledged, as confirmed by the other side.
    func combinedAssets(_ partnerships: [Int], _ organization: Int) -> CriterionResult {
        let pledges = snapshot.commitments.filter { partnerships.contains($0.partnership) }
        guard !pledges.isEmpty else { return .init(result: .fail, evidence: ["no pledges on either side"]) }
        var evidence: [String] = []
        /// Per side: the share delivered of what fell due, nil when nothing is due yet.
        var delivery: [Double?] = []
        var pledgedNothing = false
        for (party, name) in [(home, homeName), (organization, snapshot.organizations[organization].key)] {
            let own = pledges.filter { $0.party == party }
            guard !own.isEmpty else {
                evidence.append("\(name) pledged nothing")
                pledgedNothing = true
                continue
            }
            let due = own.filter { $0.dueDate.map { $0 <= asOf } ?? true }
            var shares: [Double] = []
            var claimed = 0
            for pledge in due {
                let made = pledge.contributions.filter { $0.date <= asOf }
                let confirmed = made.filter { snapshot.isConfirmedByTheOtherSide($0, of: pledge, jobs: jobs) }
                claimed += made.count - confirmed.count
                shares.append(pledge.amount > 0 ? min(1, confirmed.map(\.amount).reduce(0, +) / pledge.amount) : 1)
            }
            let kinds = Set(own.map(\.asset.rawValue)).sorted().joined(separator: ", ")
            var line = "\(name) pledged \(own.count) (\(kinds)); "
            if shares.isEmpty {
                delivery.append(nil)
                line += "none due yet"
            } else {
                let share = shares.reduce(0, +) / Double(shares.count)
                delivery.append(share)
                line += "\(due.count) due, \(Int((share * 100).rounded(.down)))% delivered and confirmed by the other side"
            }
            if claimed > 0 { line += ", \(claimed) unconfirmed claim\(claimed == 1 ? "" : "s")" }
            evidence.append(line)
        }
        // Both sides must bring something: one side delivering alone is not combining assets,
        // and pledges not due yet are promises, not assets.
        let result: TestResult
        if pledgedNothing || delivery.contains(where: { ($0 ?? 1) < settings.deliveringShare }) {
            result = .fail
        } else if delivery.allSatisfy({ ($0 ?? 0) >= settings.deliveredShare }) {
            result = .pass
        } else {
            result = .partial
        }
        return .init(result: result, evidence: evidence)
    }

    /// Shared risk: each side carries an exposure of its own.
    func sharedRisk(_ partnerships: [Int], _ organization: Int) -> CriterionResult {
        let risks = snapshot.risks.filter { partnerships.contains($0.partnership) }
        guard !risks.isEmpty else { return .init(result: .fail, evidence: ["no shared risk recorded"]) }
        let evidence = risks.map { risk in
            "\(snapshot.organizations[risk.party].key): \(risk.description)" + (risk.exposure.map { " (\(BundleNumber.format($0)))" } ?? "")
        }
        let parties = Set(risks.map(\.party))
        return .init(result: parties.contains(home) && parties.contains(organization) ? .pass : .partial, evidence: evidence)
    }

    /// Interdependence: what share of each side's sales depends on the other, compared within
    /// the currency they trade in most (amounts in different currencies are never added up).
    func interdependence(_ organization: Int) -> CriterionResult {
        guard let entry = sales.byBuyer[organization], let (currency, withThem) = entry.homeSellIn.max(by: { $0.value < $1.value }),
              withThem > 0 else {
            return .init(result: .fail, evidence: ["no sales between \(homeName) and them in the last \(settings.salesMonths) months"])
        }
        let homeShare = withThem / max(sales.homeSellIn[currency] ?? 0, withThem)
        let theirTotal = entry.sellThrough[currency] ?? 0
        let theirShare = theirTotal > 0 ? (entry.fromHome[currency] ?? 0) / theirTotal : 0
        let unit = currency.isEmpty ? "" : " \(currency)"
        var evidence = ["\(Self.percent(homeShare)) of \(homeName)'s\(unit) sell-in goes through them",
                        "\(homeName) makes \(Self.percent(theirShare)) of their\(unit) sell-through"]
        if !entry.others { evidence.append("the sales data holds no other manufacturer's sales through them") }
        let both = homeShare >= settings.homeDependence && theirShare >= settings.counterpartDependence
        let either = homeShare >= settings.homeDependence || theirShare >= settings.counterpartDependence
        return .init(result: both ? .pass : either ? .partial : .fail, evidence: evidence)
    }

    /// A share as a percentage, rounded down so that it never reads as reaching a threshold it misses.
    static func percent(_ share: Double) -> String {
        share < 0.1 ? String(format: "%.1f%%", (share * 1000).rounded(.down) / 10) : "\(Int((share * 100).rounded(.down)))%"
    }
}

extension TestResult {
    var rank: Int {
        switch self {
        case .fail: 0
        case .partial: 1
        case .pass: 2
        }
    }
}

extension YearMonth {
    /// The month, clamped to 0001-01 … 9999-12 (the calendar Tandem handles).
    public init(year: Int, month: Int) {
        let index = min(max(year * 12 + (month - 1), 12), 9999 * 12 + 11)
        self.init("\(LocalDate.pad(index / 12, 4))-\(LocalDate.pad(index % 12 + 1, 2))")!
    }

    /// `months` later (or earlier), clamped to the calendar's ends rather than leaving it.
    public func adding(months: Int) -> YearMonth {
        let index = year * 12 + (month - 1) + months
        return YearMonth(year: index / 12, month: index % 12 + 1)
    }
}

/// Where a goal stands on a date: its latest value against the straight line from its baseline
/// (at the agreement, or its first measurement) to its target (at its due date).
public struct GoalStatus: Codable, Sendable, Equatable {
    public var date: LocalDate
    public var value: Double
    public var expected: Double
    public var onTrack: Bool

    /// Nil before the first measurement.
    public init?(baseline: Double?, target: Double, dueDate: LocalDate?, start: LocalDate?, progress: [(date: LocalDate, value: Double)],
                 asOf: LocalDate, onTrackShare: Double = PartnershipTestSettings().onTrackShare) {
        let progress = progress.filter { $0.date <= asOf }.sorted { $0.date < $1.date }
        guard let latest = progress.last else { return nil }
        let baseline = baseline ?? progress.first!.value
        let start = start ?? progress.first!.date
        let expected: Double
        if let due = dueDate, due > start {
            let share = min(1, max(0, Double(latest.date.days(since: start)) / Double(due.days(since: start))))
            expected = baseline + (target - baseline) * share
        } else {
            expected = target
        }
        self.date = latest.date
        self.value = latest.value
        self.expected = (expected * 100).rounded() / 100
        self.onTrack = target >= baseline ? latest.value - baseline >= onTrackShare * (expected - baseline)
                                          : baseline - latest.value >= onTrackShare * (baseline - expected)
    }
}
