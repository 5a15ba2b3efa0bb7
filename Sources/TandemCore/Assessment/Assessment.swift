import Foundation

/// What a counterpart is to the home company, from a plain transactional account to a partnership.
public enum Classification: String, Codable, Sendable, CaseIterable {
    case transactional, relationship
    case deepRelationship = "deep_relationship"
    case partnershipCandidate = "partnership_candidate"
    case partnership
    case partnershipAtRisk = "partnership_at_risk"
}

/// Every setting of the assessment, with the defaults `docs/scoring.md` explains.
public struct AssessmentSettings: Codable, Sendable, Equatable {
    public var relationships = RelationshipSettings()
    public var orderSeekers = OrderSeekerSettings()
    public var tests = PartnershipTestSettings()
    /// A counterpart is a deep relationship with at least this many strong relationships, or
    /// with at least `deepLiveRelationships` live ones and a relational share of its dealings of
    /// at least `deepRelationalShare` (where few dealings are logged, few relationships get strong).
    public var deepStrongRelationships: Int = 5
    public var deepLiveRelationships: Int = 4
    public var deepRelationalShare: Double = 0.615
    /// A deep relationship with at least this many of the four tests besides commitment passed
    /// or partly passed is a partnership candidate.
    public var candidateTests: Int = 2
    /// A partnership needs at least this many tests passed and none failed.
    public var partnershipPasses: Int = 4
    /// A partnership is at risk when at least this many relationships, and this share of the
    /// live ones, are cooling.
    public var coolingRelationships: Int = 3
    public var coolingShare: Double = 0.3

    public init() {}
}

/// One counterpart organization, assessed (the shape FORMATS.md gives).
public struct Assessment: Codable, Sendable, Equatable {
    public struct OrderSeeker: Codable, Sendable, Equatable {
        public var flagged: Bool
        public var evidence: [String]
    }

    public struct Relationships: Codable, Sendable, Equatable {
        public var strong: Int
        public var total: Int
        public var strongest: Double
        public var live: Int
        public var cooling: Int
        /// Over the last 12 months: dealings, the share that was relational, and how evenly the
        /// two sides started them (1 even, 0 one-sided).
        public var recentDealings: Int
        public var relationalShare: Double
        public var reciprocity: Double
    }

    public var organizationKey: String
    public var classification: Classification
    public var reasons: [String]
    public var criteria: PartnershipCriteria
    public var orderSeeker: OrderSeeker
    public var orderSeekerPeople: [String]
    public var relationships: Relationships
}

/// Everything the assessment found as of a date.
public struct AssessmentReport: Sendable {
    public var asOf: LocalDate
    public var relationships: [Relationship]
    public var assessments: [Assessment]
    public var orderSeekerPeople: [OrderSeekerFinding]
    public var coverage: [BranchCoverage] = []
    public var alerts: [Alert] = []
}

/// Assesses every counterpart organization of a snapshot. Pure: the same snapshot, date and
/// settings always give the same report.
public struct Assessor: Sendable {
    public var settings: AssessmentSettings

    public init(settings: AssessmentSettings = AssessmentSettings()) {
        self.settings = settings
    }

    public func assess(_ snapshot: Snapshot, asOf: LocalDate) -> AssessmentReport {
        let relationships = RelationshipScoring(settings: settings.relationships).relationships(in: snapshot, asOf: asOf)
        guard let home = snapshot.home else {
            return AssessmentReport(asOf: asOf, relationships: relationships, assessments: [], orderSeekerPeople: [])
        }
        let seekers = OrderSeekerDetection(settings: settings.orderSeekers).findings(in: snapshot, asOf: asOf)
        let testing = PartnershipTesting(snapshot: snapshot, jobs: snapshot.employmentsByPerson(), home: home, asOf: asOf, settings: settings.tests)
        let byOrganization = Dictionary(grouping: relationships) { $0.counterpartOrganization ?? "" }
        let seekerByKey = Dictionary(seekers.organizations.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let jobs = testing.jobs
        let recentDealings = Self.recentDealings(snapshot, jobs: jobs, home: home, from: asOf.adding(days: -settings.relationships.recentDays), to: asOf)
        // Who deals for each organization as of the date (or last did).
        var peopleByOrganization: [Int: Set<String>] = [:]
        for person in jobs.indices {
            if let organization = RelationshipScoring.organization(of: jobs[person], asOf: asOf, home: home) {
                peopleByOrganization[organization, default: []].insert(snapshot.people[person].key)
            }
        }
        // Where few dealings are logged, no counterpart gets many strong relationships: depth is
        // then read from live relationships and relational dealings instead.
        let sparse = !byOrganization.values.contains { own in
            own.filter { $0.strength >= settings.relationships.strongStrength }.count >= settings.deepStrongRelationships
        }
        var assessments: [Assessment] = []
        for organization in snapshot.organizations.indices where organization != home && snapshot.organizations[organization].kind != .manufacturer {
            let key = snapshot.organizations[organization].key
            let own = byOrganization[key] ?? []
            let existing = snapshot.partnerships.filter { $0.counterpart == organization && ($0.agreementDate.map { $0 <= asOf } ?? true) }
            let hasPartnership = !existing.isEmpty
            guard !own.isEmpty || hasPartnership else { continue }
            let criteria = testing.criteria(for: organization)
            let seeker = seekerByKey[key]
            let people = peopleByOrganization[organization] ?? []
            let recent = recentDealings[organization] ?? RecentDealings()
            let summary = Assessment.Relationships(
                strong: own.filter { $0.strength >= settings.relationships.strongStrength }.count, total: own.count,
                strongest: Self.rounded(own.map(\.strength).max() ?? 0, places: 1), live: own.filter { $0.strength >= settings.relationships.liveStrength }.count,
                cooling: own.filter { $0.stage == .cooling }.count, recentDealings: recent.count,
                relationalShare: Self.rounded(recent.count == 0 ? 0 : Double(recent.relational) / Double(recent.count), places: 2),
                reciprocity: Self.rounded(recent.byHome + recent.byThem == 0 ? 0
                                          : 2 * Double(min(recent.byHome, recent.byThem)) / Double(recent.byHome + recent.byThem), places: 2))
            let (classification, reasons) = classify(criteria: criteria, seeker: seeker?.flagged == true, relationships: summary,
                                                     active: existing.contains { $0.status == .active }, sparse: sparse)
            assessments.append(Assessment(
                organizationKey: key, classification: classification, reasons: reasons, criteria: criteria,
                orderSeeker: .init(flagged: seeker?.flagged == true, evidence: seeker?.evidence ?? []),
                orderSeekerPeople: seekers.people.filter { $0.flagged && people.contains($0.key) }.map(\.key),
                relationships: summary))
        }
        return AssessmentReport(asOf: asOf, relationships: relationships, assessments: assessments.sorted { $0.organizationKey < $1.organizationKey },
                                orderSeekerPeople: seekers.people.filter(\.flagged),
                                coverage: CoverageAnalysis(settings: settings.relationships).coverage(of: snapshot, relationships: relationships, asOf: asOf),
                                alerts: {
                                    var finder = AlertFinder()
                                    finder.relationships = settings.relationships
                                    finder.tests = settings.tests
                                    return finder.alerts(relationships: relationships, testing: testing)
                                }())
    }

    static func rounded(_ value: Double, places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }

    struct RecentDealings {
        var count = 0, relational = 0, byHome = 0, byThem = 0
    }

    /// Each counterpart organization's dealings with the home company in a period.
    static func recentDealings(_ snapshot: Snapshot, jobs: [[Snapshot.Employment]], home: Int, from: LocalDate, to: LocalDate) -> [Int: RecentDealings] {
        var result: [Int: RecentDealings] = [:]
        for interaction in snapshot.interactions where interaction.date > from && interaction.date <= to {
            let sides = Sides(interaction, jobs: jobs, home: home)
            guard !sides.home.isEmpty else { continue }
            for organization in Set(sides.others.map(\.organization)) {
                var entry = result[organization] ?? RecentDealings()
                entry.count += 1
                if interaction.kind.category == .relational { entry.relational += 1 }
                if sides.home.contains(interaction.initiator) { entry.byHome += 1 }
                if sides.others.contains(where: { $0.person == interaction.initiator && $0.organization == organization }) { entry.byThem += 1 }
                result[organization] = entry
            }
        }
        return result
    }

    /// The classification and, in words, why.
    func classify(criteria: PartnershipCriteria, seeker: Bool, relationships: Assessment.Relationships, active: Bool,
                  sparse: Bool = false) -> (Classification, [String]) {
        let results = criteria.all.map(\.result)
        let passes = results.filter { $0 == .pass }.count
        let fails = results.filter { $0 == .fail }.count
        let deep = relationships.strong >= settings.deepStrongRelationships
            || sparse && relationships.live >= settings.deepLiveRelationships && relationships.relationalShare >= settings.deepRelationalShare
        let cooling = relationships.cooling >= max(settings.coolingRelationships,
                                                   Int((settings.coolingShare * Double(relationships.live)).rounded(.up)))
        if active {
            var risks: [String] = []
            if seeker { risks.append("the counterpart is an order-seeker") }
            if passes < settings.partnershipPasses || fails > 0 { risks.append("\(passes) of 5 tests passed, \(fails) failed") }
            if cooling { risks.append("\(relationships.cooling) relationships cooling") }
            if risks.isEmpty { return (.partnership, ["an active partnership that passes \(passes) of 5 tests"]) }
            return (.partnershipAtRisk, ["an active partnership, but " + risks.joined(separator: "; ")])
        }
        if seeker { return (.transactional, ["an order-seeker: the dealings are about orders and prices"]) }
        if deep {
            let depth = relationships.strong >= settings.deepStrongRelationships
                ? "\(relationships.strong) strong relationships"
                : "\(relationships.live) live relationships, \(Int((relationships.relationalShare * 100).rounded()))% of the dealings relational"
            let met = [criteria.commonGoal, criteria.combinedAssets, criteria.sharedRisk, criteria.interdependence].filter { $0.result != .fail }.count
            if met >= settings.candidateTests {
                return (.partnershipCandidate, ["\(depth) and \(met) of the other four tests at least partly met, without an active partnership"])
            }
            return (.deepRelationship, ["\(depth), but no partnership: the five tests are not met"])
        }
        if relationships.live > 0 {
            return (.relationship, ["a live relationship (strongest \(Int(relationships.strongest.rounded())))"])
        }
        return (.transactional, ["no live relationship"])
    }
}
