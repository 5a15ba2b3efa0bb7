/// How well the home company is connected to one counterpart branch, as of a date: the
/// relationship backbone of the channel (PRODUCT.md, capability 7).
public struct BranchCoverage: Codable, Sendable, Equatable {
    public var branchKey: String
    public var organizationKey: String
    public var territoryCode: String?
    /// The strongest live relationship with someone in inside sales at the branch, nil when none.
    public var insideSales: Double?
    /// The same for outside sales.
    public var outsideSales: Double?
    /// Everyone who has worked at the branch (up to the date) and dealt with the home company,
    /// strongest relationship first: who carries the branch.
    public var carriedBy: [String]
    /// One person carries every relationship the home company has had with the branch.
    public var singleThreaded: Bool
    /// Nobody at the branch has ever dealt with the home company.
    public var uncovered: Bool
    /// Sales functions without a live relationship among the people at the branch on the date.
    public var gaps: [String]

    enum CodingKeys: String, CodingKey {
        case branchKey, organizationKey, territoryCode, insideSales, outsideSales, carriedBy, singleThreaded, uncovered, gaps
    }

    /// Writes absent strengths and territories as null, as FORMATS.md asks, rather than leaving them out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(branchKey, forKey: .branchKey)
        try container.encode(organizationKey, forKey: .organizationKey)
        try container.encode(territoryCode, forKey: .territoryCode)
        try container.encode(insideSales, forKey: .insideSales)
        try container.encode(outsideSales, forKey: .outsideSales)
        try container.encode(carriedBy, forKey: .carriedBy)
        try container.encode(singleThreaded, forKey: .singleThreaded)
        try container.encode(uncovered, forKey: .uncovered)
        try container.encode(gaps, forKey: .gaps)
    }
}

/// Coverage of every counterpart branch (branches of organizations other than the home company
/// and other manufacturers), from the relationships as of the same date.
public struct CoverageAnalysis: Sendable {
    public var settings: RelationshipSettings

    public init(settings: RelationshipSettings = RelationshipSettings()) {
        self.settings = settings
    }

    public func coverage(of snapshot: Snapshot, relationships: [Relationship], asOf: LocalDate) -> [BranchCoverage] {
        guard let home = snapshot.home else { return [] }
        // Each counterpart person's strongest relationship (any strength).
        var strongest: [String: Double] = [:]
        for relationship in relationships {
            strongest[relationship.counterpartPerson] = max(strongest[relationship.counterpartPerson] ?? 0, relationship.strength)
        }
        return coverage(of: snapshot, home: home, staffing: Staffing(snapshot, asOf: asOf)) { strongest[$0] }
    }

    /// Every counterpart branch's coverage, in order, from each counterpart person's strongest relationship (by key).
    func coverage(of snapshot: Snapshot, home: Int, staffing: Staffing, strongest: (String) -> Double?) -> [BranchCoverage] {
        snapshot.branches.indices.compactMap { coverage(ofBranch: $0, in: snapshot, home: home, staffing: staffing, strongest: strongest) }
            .sorted(by: BranchCoverage.isOrderedBefore)
    }

    /// Who works at each branch on the date, in which function, and who ever worked there (up to the date).
    struct Staffing {
        var staff: [Int: [(person: Int, function: JobFunction)]] = [:]
        var everyone: [Int: Set<Int>] = [:]

        init(_ snapshot: Snapshot, asOf: LocalDate) {
            for employment in snapshot.employments where employment.start <= asOf {
                guard let branch = employment.branch else { continue }
                everyone[branch, default: []].insert(employment.person)
                if employment.covers(asOf) { staff[branch, default: []].append((employment.person, employment.function)) }
            }
        }
    }

    /// One branch's coverage, from each counterpart person's strongest relationship (by key);
    /// nil for a branch of the home company or another manufacturer.
    func coverage(ofBranch index: Int, in snapshot: Snapshot, home: Int, staffing: Staffing, strongest: (String) -> Double?) -> BranchCoverage? {
        let branch = snapshot.branches[index]
        let organization = snapshot.organizations[branch.organization]
        guard branch.organization != home, organization.kind != .manufacturer else { return nil }
        let people = staffing.staff[index] ?? []
        func best(_ function: JobFunction) -> Double? {
            people.filter { $0.function == function }.compactMap { strongest(snapshot.people[$0.person].key) }
                .filter { $0 >= settings.liveStrength }.max()
                .map { ($0 * 10).rounded() / 10 }
        }
        let carriers = (staffing.everyone[index] ?? []).compactMap { person in
            let key = snapshot.people[person].key
            return strongest(key).map { (key: key, strength: $0) }
        }.sorted { ($0.strength, $1.key) > ($1.strength, $0.key) }.map(\.key)
        let inside = best(.insideSales), outside = best(.outsideSales)
        return BranchCoverage(branchKey: branch.key, organizationKey: organization.key, territoryCode: branch.territoryCode,
                              insideSales: inside, outsideSales: outside, carriedBy: carriers, singleThreaded: carriers.count == 1,
                              uncovered: carriers.isEmpty,
                              gaps: [(JobFunction.insideSales, inside), (.outsideSales, outside)].filter { $0.1 == nil }.map(\.0.rawValue))
    }
}

extension BranchCoverage {
    /// The order coverage is listed in: by organization, then branch.
    static func isOrderedBefore(_ lhs: BranchCoverage, _ rhs: BranchCoverage) -> Bool {
        (lhs.organizationKey, lhs.branchKey) < (rhs.organizationKey, rhs.branchKey)
    }
}
