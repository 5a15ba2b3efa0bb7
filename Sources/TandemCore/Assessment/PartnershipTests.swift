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

    func criteria(for organization: Int) -> PartnershipCriteria {
        let partnerships = snapshot.partnerships.indices.filter { snapshot.partnerships[$0].counterpart == organization }
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
        for goal in goals {
            let progress = goal.progress.filter { $0.date <= asOf }
            var line = "goal \(goal.key) (\(goal.metric)): target \(BundleNumber.format(goal.target))"
            if let due = goal.dueDate { line += " by \(due)" }
            guard let latest = progress.last else {
                evidence.append(line + ", no progress recorded")
                continue
            }
            let baseline = goal.baseline ?? progress.first!.value
            let start = snapshot.partnerships[goal.partnership].agreementDate ?? progress.first!.date
            let expected: Double
            if let due = goal.dueDate, due > start {
                let share = min(1, max(0, Double(latest.date.days(since: start)) / Double(due.days(since: start))))
                expected = baseline + (goal.target - baseline) * share
            } else {
                expected = goal.target
            }
            let rising = goal.target >= baseline
            let reached = rising ? latest.value - baseline >= settings.onTrackShare * (expected - baseline)
                                 : baseline - latest.value >= settings.onTrackShare * (baseline - expected)
            if reached { onTrack += 1 }
            line += ", \(BundleNumber.format(latest.value)) on \(latest.date) against \(BundleNumber.format((expected * 100).rounded() / 100)) expected: "
                + (reached ? "on track" : "off track")
            evidence.append(line)
        }
        let result: TestResult = onTrack == goals.count ? .pass : .partial
        return .init(result: result, evidence: evidence)
    }

    /// Combined assets: both sides pledged, and each delivered what it pledged, as confirmed by the other side.
    func combinedAssets(_ partnerships: [Int], _ organization: Int) -> CriterionResult {
        let pledges = snapshot.commitments.filter { partnerships.contains($0.partnership) }
        guard !pledges.isEmpty else { return .init(result: .fail, evidence: ["no pledges on either side"]) }
        var evidence: [String] = []
        var delivery: [Double] = []
        for (party, name) in [(home, homeName), (organization, snapshot.organizations[organization].key)] {
            let own = pledges.filter { $0.party == party }
            guard !own.isEmpty else {
                evidence.append("\(name) pledged nothing")
                delivery.append(0)
                continue
            }
            let due = own.filter { $0.dueDate.map { $0 <= asOf } ?? true }
            var shares: [Double] = []
            var claimed = 0
            for pledge in due {
                let confirmed = pledge.contributions.filter { $0.confirmedBy != nil && $0.date <= asOf }.map(\.amount).reduce(0, +)
                claimed += pledge.contributions.filter { $0.confirmedBy == nil && $0.date <= asOf }.count
                shares.append(pledge.amount > 0 ? min(1, confirmed / pledge.amount) : 1)
            }
            let share = shares.isEmpty ? 1 : shares.reduce(0, +) / Double(shares.count)
            delivery.append(share)
            let kinds = Set(own.map(\.asset.rawValue)).sorted().joined(separator: ", ")
            var line = "\(name) pledged \(own.count) (\(kinds)); \(due.count) due, \(Int((share * 100).rounded()))% delivered and confirmed"
            if claimed > 0 { line += ", \(claimed) unconfirmed claim\(claimed == 1 ? "" : "s")" }
            evidence.append(line)
        }
        // Both sides must bring something: one side delivering alone is not combining assets.
        let result: TestResult = delivery.allSatisfy { $0 >= settings.deliveredShare } ? .pass
            : delivery.allSatisfy { $0 >= settings.deliveringShare } ? .partial : .fail
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

    /// Interdependence: what share of each side's sales depends on the other.
    func interdependence(_ organization: Int) -> CriterionResult {
        let last = YearMonth(year: asOf.year, month: asOf.month)
        let first = last.adding(months: -(settings.salesMonths - 1))
        var homeTotal = 0.0, homeWithThem = 0.0, theirTotal = 0.0, theirFromHome = 0.0
        for sale in snapshot.sales where sale.period >= first && sale.period <= last {
            let buyer = snapshot.branches[sale.branch].organization
            if sale.manufacturer == home {
                homeTotal += sale.sellIn ?? 0
                if buyer == organization { homeWithThem += sale.sellIn ?? 0 }
            }
            if buyer == organization {
                theirTotal += sale.sellThrough ?? 0
                if sale.manufacturer == home { theirFromHome += sale.sellThrough ?? 0 }
            }
        }
        guard homeWithThem > 0 else { return .init(result: .fail, evidence: ["no sales between \(homeName) and them in the last \(settings.salesMonths) months"]) }
        let homeShare = homeTotal > 0 ? homeWithThem / homeTotal : 0
        let theirShare = theirTotal > 0 ? theirFromHome / theirTotal : 0
        let evidence = ["\(Self.percent(homeShare)) of \(homeName)'s sell-in goes through them",
                        "\(homeName) makes \(Self.percent(theirShare)) of their sell-through"]
        let both = homeShare >= settings.homeDependence && theirShare >= settings.counterpartDependence
        let either = homeShare >= settings.homeDependence || theirShare >= settings.counterpartDependence
        return .init(result: both ? .pass : either ? .partial : .fail, evidence: evidence)
    }

    static func percent(_ share: Double) -> String {
        share < 0.1 ? String(format: "%.1f%%", share * 100) : "\(Int((share * 100).rounded()))%"
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
    public init(year: Int, month: Int) {
        self.init("\(LocalDate.pad(year, 4))-\(LocalDate.pad(month, 2))")!
    }

    public func adding(months: Int) -> YearMonth {
        let index = year * 12 + (month - 1) + months
        return YearMonth(year: index / 12, month: index % 12 + 1)
    }
}
