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
    /// A counterpart is a deep relationship when its depth (the mean strength of its current
    /// relationships, its dealings' relational share and its breadth, each against the other
    /// counterparts') is at least `deepDepth`, and at least `deepPeople` of its people have a
    /// live relationship with the home company.
    public var deepDepth: Double = 1.5
    public var deepPeople: Int = 3
    /// With fewer counterparts than this holding live relationships there is no norm to
    /// compare with: depth is then 1 and a deep relationship needs `smallWorkspaceStrong`
    /// strong relationships and a relational share of at least `smallWorkspaceRelationalShare`.
    public var depthPeers: Int = 5
    public var smallWorkspaceStrong: Int = 5
    public var smallWorkspaceRelationalShare: Double = 0.5
    /// A counterpart with less than this share of relational dealings in the last 12 months is
    /// transactional, however strong its ties: the contact is orders and requests.
    public var relationshipRelationalShare: Double = 0.2
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
        /// Their people with a live relationship with the home company.
        public var livePeople: Int
        /// Mean strength of the current relationships (both people still in their jobs).
        public var currentMean: Double
        /// Current relationships per person of theirs in one: how many of ours each of theirs knows.
        public var breadth: Double
        /// `currentMean` against the mean over every counterpart's current relationships, times
        /// `relationalShare` and `breadth` each against the median counterpart's: 1 is the
        /// workspace's norm.
        public var depth: Double
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
public struct AssessmentReport: Sendable, Equatable {
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
        AssessmentState(snapshot, asOf: asOf, settings: settings).report
    }

    /// One counterpart's assessment from what was worked out for it, against the workspace's norm.
    func assessment(of organization: Int, _ counterpart: AssessmentState.Counterpart, in snapshot: Snapshot, norm: DepthNorm,
                    seeker: OrderSeekerFinding?, seekerPeople: [String]) -> Assessment {
        let recent = counterpart.recent, profile = counterpart.profile
        let summary = Assessment.Relationships(
            strong: counterpart.strong, total: counterpart.total, strongest: Self.rounded(counterpart.strongest, places: 1),
            live: counterpart.live, cooling: counterpart.cooling, recentDealings: recent.count,
            relationalShare: Self.rounded(profile.relationalShare, places: 2),
            reciprocity: Self.rounded(recent.byHome + recent.byThem == 0 ? 0
                                      : 2 * Double(min(recent.byHome, recent.byThem)) / Double(recent.byHome + recent.byThem), places: 2),
            livePeople: profile.livePeople, currentMean: Self.rounded(profile.currentMean, places: 1), breadth: Self.rounded(profile.breadth, places: 2),
            depth: Self.rounded(norm.depth(of: profile), places: 2))
        let (classification, reasons) = classify(criteria: counterpart.criteria, seeker: seeker?.flagged == true, relationships: summary,
                                                 active: counterpart.active, norm: norm)
        return Assessment(organizationKey: snapshot.organizations[organization].key, classification: classification, reasons: reasons,
                          criteria: counterpart.criteria,
                          orderSeeker: .init(flagged: seeker?.flagged == true, evidence: seeker?.evidence ?? []),
                          orderSeekerPeople: seekerPeople, relationships: summary)
    }

    static func rounded(_ value: Double, places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }

    struct RecentDealings {
        var count = 0, relational = 0, byHome = 0, byThem = 0

        /// Counts one dealing with the home company in the period for each counterpart organization in it.
        static func count(_ interaction: Snapshot.Interaction, sides: Sides, into result: inout [Int: RecentDealings]) {
            guard !sides.home.isEmpty else { return }
            for organization in Set(sides.others.map(\.organization)) {
                var entry = result[organization] ?? RecentDealings()
                entry.count += 1
                if interaction.kind.category == .relational { entry.relational += 1 }
                if sides.home.contains(interaction.initiator) { entry.byHome += 1 }
                if sides.others.contains(where: { $0.person == interaction.initiator && $0.organization == organization }) { entry.byThem += 1 }
                result[organization] = entry
            }
        }
    }

    /// What depth is made of, for one counterpart: its current relationships (both people still
    /// in their jobs), how strong they are on average, how many of ours each of theirs knows,
    /// and how relational its dealings of the last 12 months were.
    struct DepthProfile {
        var current: Int
        var currentMean: Double
        var breadth: Double
        var livePeople: Int
        var relationalShare: Double
        var hasRecentDealings: Bool

        init(_ relationships: [Relationship], live: Double, recent: RecentDealings) {
            let current = relationships.filter(\.bothInPlace)
            self.current = current.count
            currentMean = current.isEmpty ? 0 : current.map(\.strength).reduce(0, +) / Double(current.count)
            breadth = current.isEmpty ? 0 : Double(current.count) / Double(Set(current.map(\.counterpartPerson)).count)
            livePeople = Set(current.filter { $0.strength >= live }.map(\.counterpartPerson)).count
            relationalShare = recent.count == 0 ? 0 : Double(recent.relational) / Double(recent.count)
            hasRecentDealings = recent.count > 0
        }
    }

    /// What depth is measured against: the mean strength of every counterpart's current
    /// relationships, and the median counterpart's relational share and breadth. How much a
    /// team logs sets the scale of strength and breadth, so depth is relative to the
    /// workspace's own norm.
    struct DepthNorm {
        var currentMean: Double
        var relationalShare: Double
        var breadth: Double
        /// False with too few counterparts to make a norm of.
        var comparable: Bool

        init(_ profiles: [DepthProfile], peers: Int) {
            let withCurrent = profiles.filter { $0.current > 0 }
            let count = withCurrent.map(\.current).reduce(0, +)
            currentMean = count == 0 ? 0 : withCurrent.map { $0.currentMean * Double($0.current) }.reduce(0, +) / Double(count)
            relationalShare = Self.median(withCurrent.filter(\.hasRecentDealings).map(\.relationalShare))
            breadth = Self.median(withCurrent.map(\.breadth))
            comparable = withCurrent.count >= peers && currentMean > 0 && relationalShare > 0 && breadth > 0
        }

        func depth(of profile: DepthProfile) -> Double {
            comparable ? (profile.currentMean / currentMean) * (profile.relationalShare / relationalShare) * (profile.breadth / breadth) : 1
        }

        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted.count.isMultiple(of: 2) ? (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2 : sorted[sorted.count / 2]
        }
    }

    /// The classification and, in words, why.
    func classify(criteria: PartnershipCriteria, seeker: Bool, relationships: Assessment.Relationships, active: Bool,
                  norm: DepthNorm) -> (Classification, [String]) {
        let results = criteria.all.map(\.result)
        let passes = results.filter { $0 == .pass }.count
        let fails = results.filter { $0 == .fail }.count
        let percent = { (share: Double) in "\(Int((share * 100).rounded()))%" }
        let deep = relationships.livePeople >= settings.deepPeople && (norm.comparable
            ? relationships.depth >= settings.deepDepth
            : relationships.strong >= settings.smallWorkspaceStrong && relationships.relationalShare >= settings.smallWorkspaceRelationalShare)
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
            let depth = norm.comparable
                ? "depth \(String(format: "%.2f", relationships.depth)): their relationships with us average strength "
                    + "\(Int(relationships.currentMean.rounded())) against \(Int(norm.currentMean.rounded())) across counterparts, "
                    + "\(percent(relationships.relationalShare)) of the dealings relational against a median of \(percent(norm.relationalShare)), "
                    + "each of their people known to \(String(format: "%.1f", relationships.breadth)) of ours against a median of "
                    + "\(String(format: "%.1f", norm.breadth)); \(relationships.livePeople) of their people in live relationships"
                : "\(relationships.strong) strong relationships, \(percent(relationships.relationalShare)) of the dealings relational"
            let met = [criteria.commonGoal, criteria.combinedAssets, criteria.sharedRisk, criteria.interdependence].filter { $0.result != .fail }.count
            if met >= settings.candidateTests {
                return (.partnershipCandidate, ["\(depth); \(met) of the other four tests at least partly met, without an active partnership"])
            }
            return (.deepRelationship, ["\(depth); but no partnership: the five tests are not met"])
        }
        if relationships.recentDealings > 0 && relationships.relationalShare < settings.relationshipRelationalShare {
            return (.transactional, ["only \(percent(relationships.relationalShare)) of \(relationships.recentDealings) dealings in the last "
                                     + "12 months were relational: the contact is orders and requests"])
        }
        if relationships.live > 0 {
            return (.relationship, ["a live relationship (strongest \(Int(relationships.strongest.rounded())))"])
        }
        if relationships.recentDealings > 0 {
            return (.relationship, ["\(percent(relationships.relationalShare)) of \(relationships.recentDealings) dealings in the last 12 months "
                                    + "were relational, but no relationship is live yet (strongest \(Int(relationships.strongest.rounded())))"])
        }
        return (.transactional, ["no live relationship and no dealings in the last 12 months"])
    }
}
