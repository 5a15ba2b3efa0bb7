/// A full assessment together with what it was worked out from, so that a new dealing can be
/// folded in by recomputing only what it touches (`add(_:)`): the pairs in it, the findings of
/// its people and organizations, the branches those people worked at, their alerts, and then
/// every counterpart's classification against the workspace's new norm. The report is the same
/// as assessing the whole snapshot again.
public struct AssessmentState: Sendable {
    /// What the assessment holds for one assessed counterpart organization.
    struct Counterpart: Sendable {
        var criteria: PartnershipCriteria
        var active: Bool
        var recent = Assessor.RecentDealings()
        var strong = 0, total = 0, live = 0, cooling = 0
        var strongest = 0.0
        var profile = Assessor.DepthProfile([], live: 0, recent: .init())

        /// Counts its relationships (in the report's order) and its dealings of the last 12 months.
        mutating func update(_ own: [Relationship], recent: Assessor.RecentDealings, settings: RelationshipSettings) {
            self.recent = recent
            strong = own.count { $0.strength >= settings.strongStrength }
            total = own.count
            strongest = own.map(\.strength).max() ?? 0
            live = own.count { $0.strength >= settings.liveStrength }
            cooling = own.count { $0.stage == .cooling }
            profile = Assessor.DepthProfile(own, live: settings.liveStrength, recent: recent)
        }
    }

    public let asOf: LocalDate
    public let settings: AssessmentSettings
    /// The workspace as assessed, grown by `add(_:)`: all of it but its sales rows (a million on
    /// xl), which the assessment reads once for their totals, and, once they are released
    /// (`releaseInteractions()`), its interactions.
    public private(set) var snapshot: Snapshot
    public private(set) var report: AssessmentReport

    private let home: Int?
    private let jobs: [[Snapshot.Employment]]
    /// The organization each person deals for as of the date (or last dealt for); nil for the
    /// home company's people and people without a job.
    private let dealsFor: [Int?]
    private let peopleDealingFor: [Int: [Int]]
    private let indexOf: [String: Int]
    private let sales: PartnershipTesting.SalesTotals?
    private let staffing: CoverageAnalysis.Staffing?
    private var tallies = OrderSeekerDetection.Tallies()
    private var recent: [Int: Assessor.RecentDealings] = [:]
    private var counterparts: [Int: Counterpart] = [:]
    private var organizationFindings: [Int: OrderSeekerFinding] = [:]
    private var personFindings: [Int: OrderSeekerFinding] = [:]
    /// Each counterpart person's strongest relationship, by key.
    private var strongest: [String: Relationship] = [:]
    /// Whether the snapshot still holds the workspace's interactions (`releaseInteractions()`).
    public private(set) var holdsInteractions = true
    /// Each pair's dealings up to the date, oldest first (8 bytes each): what a new dealing's
    /// pairs are recomputed from, without the interactions.
    private var dealingsByPair: [PairKey: [Dealing.Held]] = [:]

    /// The first month of sales an assessment as of `asOf` reads (it adds up the last
    /// `salesMonths`); a snapshot loaded for it needs no earlier ones.
    public static func firstSalesMonth(asOf: LocalDate, settings: AssessmentSettings = AssessmentSettings()) -> YearMonth {
        PartnershipTesting.SalesTotals.months(asOf: asOf, count: settings.tests.salesMonths).first
    }

    /// Assesses the whole snapshot.
    public init(_ snapshot: Snapshot, asOf: LocalDate, settings: AssessmentSettings = AssessmentSettings()) {
        self.snapshot = snapshot
        self.asOf = asOf
        self.settings = settings
        home = snapshot.home
        let jobs = snapshot.employmentsByPerson()
        self.jobs = jobs
        let indexOf = Dictionary(snapshot.people.indices.map { (snapshot.people[$0].key, $0) }, uniquingKeysWith: { first, _ in first })
        self.indexOf = indexOf
        guard let home else {
            dealsFor = []
            peopleDealingFor = [:]
            sales = nil
            staffing = nil
            report = AssessmentReport(asOf: asOf, relationships: [], assessments: [], orderSeekerPeople: [])
            return
        }
        let dealsFor = jobs.map { RelationshipScoring.organization(of: $0, asOf: asOf, home: home) }
        self.dealsFor = dealsFor
        peopleDealingFor = Dictionary(grouping: dealsFor.indices.filter { dealsFor[$0] != nil }) { dealsFor[$0]! }

        // One pass over the dealings up to the date.
        let scoring = RelationshipScoring(settings: settings.relationships)
        let seekers = OrderSeekerDetection(settings: settings.orderSeekers)
        let windowStart = seekers.windowStart(asOf), recentFrom = asOf.adding(days: -settings.relationships.recentDays)
        var dealings: [PairKey: [Dealing]] = [:]
        for interaction in snapshot.interactions where interaction.date <= asOf {
            let sides = Sides(interaction, jobs: jobs, home: home)
            scoring.forEachPair(of: interaction, sides: sides) { pair, dealing in dealings[pair, default: []].append(dealing) }
            seekers.count(interaction, sides: sides, windowStart: windowStart, into: &tallies)
            if interaction.date > recentFrom { Assessor.RecentDealings.count(interaction, sides: sides, into: &recent) }
        }
        for pair in dealings.keys { dealings[pair]!.sort { $0.day < $1.day } }
        let relationships = scoring.relationships(from: dealings, snapshot: snapshot, jobs: jobs, home: home, asOf: asOf)
        dealingsByPair = dealings.mapValues { $0.map(Dealing.Held.init) }
        dealings = [:]

        for (organization, tally) in tallies.organizations {
            organizationFindings[organization] = seekers.organizationFinding(organization, tally: tally, in: snapshot, jobs: jobs, asOf: asOf)
        }
        let flagged = Set(organizationFindings.filter(\.value.flagged).keys)
        for (person, tally) in tallies.people {
            personFindings[person] = seekers.personFinding(person, tally: tally, in: snapshot, dealsFor: dealsFor[person], flaggedOrganizations: flagged)
        }

        let testing = PartnershipTesting(snapshot: snapshot, jobs: jobs, home: home, asOf: asOf, settings: settings.tests)
        sales = testing.sales
        let byOrganization = Dictionary(grouping: relationships) { $0.counterpartOrganization ?? "" }
        for organization in snapshot.organizations.indices where organization != home && snapshot.organizations[organization].kind != .manufacturer {
            let own = byOrganization[snapshot.organizations[organization].key] ?? []
            let existing = snapshot.partnerships.filter { $0.counterpart == organization && ($0.agreementDate.map { $0 <= asOf } ?? true) }
            guard !own.isEmpty || !existing.isEmpty else { continue }
            var counterpart = Counterpart(criteria: testing.criteria(for: organization), active: existing.contains { $0.status == .active })
            counterpart.update(own, recent: recent[organization] ?? .init(), settings: settings.relationships)
            counterparts[organization] = counterpart
        }

        strongest = AlertFinder.strongest(relationships)
        let staffing = CoverageAnalysis.Staffing(snapshot, asOf: asOf)
        self.staffing = staffing
        let strongest = strongest
        report = AssessmentReport(
            asOf: asOf, relationships: relationships, assessments: [], orderSeekerPeople: [],
            coverage: CoverageAnalysis(settings: settings.relationships).coverage(of: snapshot, home: home, staffing: staffing) { strongest[$0]?.strength },
            alerts: Self.alertFinder(settings).alerts(relationships: relationships, testing: testing, strongest: strongest, indexOf: indexOf))
        assessCounterparts()
        self.snapshot.sales = []
    }

    private static func alertFinder(_ settings: AssessmentSettings) -> AlertFinder {
        var finder = AlertFinder()
        finder.relationships = settings.relationships
        finder.tests = settings.tests
        return finder
    }

    /// Every assessed counterpart's assessment and the flagged people, from what is worked out
    /// for each; the norm is taken over all of them, as they are in organization order.
    private mutating func assessCounterparts() {
        let assessor = Assessor(settings: settings)
        let organizations = counterparts.keys.sorted()
        let norm = Assessor.DepthNorm(organizations.map { counterparts[$0]!.profile }, peers: settings.depthPeers)
        let flaggedPeople = personFindings.filter(\.value.flagged).sorted { $0.value.key < $1.value.key }
        var seekerPeople: [Int: [String]] = [:]
        for (person, finding) in flaggedPeople {
            if let organization = dealsFor[person] { seekerPeople[organization, default: []].append(finding.key) }
        }
        report.assessments = organizations.map {
            assessor.assessment(of: $0, counterparts[$0]!, in: snapshot, norm: norm, seeker: organizationFindings[$0], seekerPeople: seekerPeople[$0] ?? [])
        }.sorted { $0.organizationKey < $1.organizationKey }
        report.orderSeekerPeople = flaggedPeople.map(\.value)
    }

    /// Lets go of the workspace's interactions, the bulk of it, once it is assessed: what is held
    /// then is the directory, each pair's dealings as the assessment reads them and what the
    /// assessment made of them; lists of dealings are read from the store.
    public mutating func releaseInteractions() {
        snapshot.interactions = ChunkedArray()
        holdsInteractions = false
    }

    /// The strength, on each of `dates` (none after the date), of every relationship the person
    /// with `key` has across the fence, strongest last first: their timelines, from the dealings
    /// held for each pair (the same as `RelationshipScoring.strengthHistories`).
    public func strengthHistories(of key: String, dates: [LocalDate]) -> [(home: String, counterpart: String, strengths: [Double])] {
        guard let person = indexOf[key] else { return [] }
        let scoring = RelationshipScoring(settings: settings.relationships)
        return dealingsByPair.filter { $0.key.home == person || $0.key.counterpart == person }
            .map { pair, held in
                let list = held.map { $0.dealing(scoring.settings) }
                return (snapshot.people[pair.home].key, snapshot.people[pair.counterpart].key,
                        dates.map { scoring.settings.strength(fromScore: scoring.score(list, upTo: $0.dayNumber)) })
            }
            .sorted { ($0.strengths.last ?? 0, $1.home, $1.counterpart) > ($1.strengths.last ?? 0, $0.home, $0.counterpart) }
    }

    /// Each person's jobs, by position, oldest first (`Snapshot.employmentsByPerson()`, kept).
    public var employmentsByPerson: [[Snapshot.Employment]] { jobs }

    /// The jobs of `person` (a position), oldest first.
    public func jobs(of person: Int) -> [Snapshot.Employment] { jobs.indices.contains(person) ? jobs[person] : [] }

    /// The name of the person with `key`.
    public func name(ofPerson key: String) -> String? { indexOf[key].map { snapshot.people[$0].name } }

    /// The position of the person with `key` in the snapshot.
    public func person(withKey key: String) -> Int? { indexOf[key] }

    /// Folds in one new interaction, recomputing only what it changes. Returns false, changing
    /// nothing, when it names a person the snapshot does not hold.
    public mutating func add(_ interaction: Snapshot.Interaction) -> Bool { add([interaction]) }

    /// Folds in new interactions, in order: the pairs and findings of each, then once for all of
    /// them what they change together (the counterparts' assessments against the new norm, the
    /// branches' coverage, the alerts), so that catching up with many costs little more than one.
    /// Returns false, changing nothing, when one names a person the snapshot does not hold.
    public mutating func add(_ interactions: [Snapshot.Interaction]) -> Bool {
        guard interactions.allSatisfy({ $0.participants.allSatisfy(snapshot.people.indices.contains) }),
              snapshot.interactions.count + interactions.count < Int32.max else { return false }
        var people: Set<Int> = [], dealtFor: Set<Int> = [], changed: [PairKey: Relationship] = [:]
        for interaction in interactions {
            if holdsInteractions { snapshot.interactions.append(interaction) }
            guard let home, interaction.date <= asOf else { continue }
            let sides = Sides(interaction, jobs: jobs, home: home)
            guard !sides.home.isEmpty, !sides.others.isEmpty else { continue }
            let scoring = RelationshipScoring(settings: settings.relationships)
            scoring.forEachPair(of: interaction, sides: sides) { pair, dealing in
                // After those of the same day or earlier: where sorting them all by day puts it.
                func insert(into list: inout [Dealing.Held]) {
                    let held = Dealing.Held(dealing)
                    list.insert(held, at: list.insertionIndex(of: held) { $0.day <= $1.day })
                }
                insert(into: &dealingsByPair[pair, default: []])
            }
            let (theirs, organizations, relationships) = fold(interaction, sides: sides, home: home)
            people.formUnion(theirs)
            dealtFor.formUnion(organizations)
            changed.merge(relationships) { _, newer in newer }
        }
        guard let home, !people.isEmpty else { return true }

        // The counterparts whose relationships or recent dealings changed.
        let touched = dealtFor.union(people.compactMap { dealsFor[$0] })
            .filter { $0 != home && snapshot.organizations[$0].kind != .manufacturer }
        let touchedKeys = touched.map { (key: snapshot.organizations[$0].key, organization: $0) }
        var own: [Int: [Relationship]] = [:]
        // By position: a loop over the elements would copy every relationship.
        for index in report.relationships.indices {
            if let key = report.relationships[index].counterpartOrganization,
               let organization = touchedKeys.first(where: { $0.key == key })?.organization {
                own[organization, default: []].append(report.relationships[index])
            }
        }
        for organization in touched {
            var counterpart: Counterpart
            if let existing = counterparts[organization] {
                counterpart = existing
            } else {
                guard own[organization] != nil else { continue }
                let testing = PartnershipTesting(snapshot: snapshot, jobs: jobs, home: home, asOf: asOf, settings: settings.tests, sales: sales)
                let partnerships = snapshot.partnerships.filter { $0.counterpart == organization && ($0.agreementDate.map { $0 <= asOf } ?? true) }
                counterpart = Counterpart(criteria: testing.criteria(for: organization), active: partnerships.contains { $0.status == .active })
            }
            counterpart.update(own[organization] ?? [], recent: recent[organization] ?? .init(), settings: settings.relationships)
            counterparts[organization] = counterpart
        }
        assessCounterparts()
        updateCoverage(of: people, home: home)
        updateAlerts(changed: changed.keys.sorted { ($0.home, $0.counterpart) < ($1.home, $1.counterpart) }.map { changed[$0]! },
                     people: people, home: home)
        return true
    }

    /// One dealing's own part: its tallies and recent dealings, its pairs recomputed from their
    /// dealings, the strongest relationships of its people, and the order-seeker findings of the
    /// organizations in it and of their people. Returns its counterpart people, the organizations
    /// they dealt for, and the pairs recomputed.
    private mutating func fold(_ interaction: Snapshot.Interaction, sides: Sides,
                               home: Int) -> (people: Set<Int>, dealtFor: Set<Int>, changed: [PairKey: Relationship]) {
        let scoring = RelationshipScoring(settings: settings.relationships)
        let seekers = OrderSeekerDetection(settings: settings.orderSeekers)
        seekers.count(interaction, sides: sides, windowStart: seekers.windowStart(asOf), into: &tallies)
        if interaction.date > asOf.adding(days: -settings.relationships.recentDays) {
            Assessor.RecentDealings.count(interaction, sides: sides, into: &recent)
        }

        // The pairs in the dealing, each recomputed from its own dealings.
        let people = Set(sides.others.map(\.person))
        let pairs = sides.home.flatMap { home in people.sorted().map { PairKey(home: home, counterpart: $0) } }
        let changed = pairs.map { pair in
            (pair, scoring.relationship(pair, (dealingsByPair[pair] ?? []).map { $0.dealing(scoring.settings) }, snapshot: snapshot, jobs: jobs,
                                        home: home, asOf: asOf))
        }
        // Loops below go by position: over the elements, they would copy every relationship.
        let changedPairs = changed.map { (home: $0.1.homePerson, counterpart: $0.1.counterpartPerson) }
        report.relationships.removeAll { old in
            changedPairs.contains { $0.counterpart == old.counterpartPerson && $0.home == old.homePerson }
        }
        for (_, relationship) in changed {
            report.relationships.insert(relationship, at: report.relationships.insertionIndex(of: relationship, by: RelationshipScoring.isOrderedBefore))
        }
        // A handful of keys: comparing with each is cheaper than hashing every relationship's.
        let personKeys = people.map { snapshot.people[$0].key }
        for key in personKeys { strongest[key] = nil }
        for index in report.relationships.indices
        where personKeys.contains(report.relationships[index].counterpartPerson) && strongest[report.relationships[index].counterpartPerson] == nil {
            strongest[report.relationships[index].counterpartPerson] = report.relationships[index]
        }

        // Order-seeker findings of the organizations in the dealing, and of the people whose own
        // tallies or whose organization's finding changed.
        let dealtFor = Set(sides.others.map(\.organization))
        for organization in dealtFor {
            if let tally = tallies.organizations[organization] {
                organizationFindings[organization] = seekers.organizationFinding(organization, tally: tally, in: snapshot, jobs: jobs, asOf: asOf)
            }
        }
        let flagged = Set(organizationFindings.filter(\.value.flagged).keys)
        for person in people.union(dealtFor.flatMap { peopleDealingFor[$0] ?? [] }) {
            if let tally = tallies.people[person] {
                personFindings[person] = seekers.personFinding(person, tally: tally, in: snapshot, dealsFor: dealsFor[person], flaggedOrganizations: flagged)
            }
        }
        return (people, dealtFor, Dictionary(changed, uniquingKeysWith: { _, newer in newer }))
    }

    /// Recomputes the coverage of every branch one of `people` has worked at.
    private mutating func updateCoverage(of people: Set<Int>, home: Int) {
        guard let staffing else { return }
        let analysis = CoverageAnalysis(settings: settings.relationships)
        let branches = Set(snapshot.employments.filter { people.contains($0.person) && $0.start <= asOf }.compactMap(\.branch))
        let strongest = strongest
        for branch in branches {
            guard let coverage = analysis.coverage(ofBranch: branch, in: snapshot, home: home, staffing: staffing, strongest: { strongest[$0]?.strength }),
                  let position = report.coverage.firstIndex(where: { $0.branchKey == coverage.branchKey && $0.organizationKey == coverage.organizationKey })
            else { continue }
            report.coverage[position] = coverage
        }
    }

    /// Replaces the cooling alerts of the changed pairs, and the move and departure alerts that
    /// name `people`'s strongest relationships or might name one of them as a successor.
    private mutating func updateAlerts(changed: [Relationship], people: Set<Int>, home: Int) {
        let finder = Self.alertFinder(settings)
        let pairKeys = Set(changed.map { [$0.homePerson, $0.counterpartPerson] })
        // A departure from an organization one of `people` works at now may name them as who could take over.
        let workplaces = Set(people.flatMap { person in jobs[person].filter { $0.organization != home && $0.covers(asOf) }.map(\.organization) })
        let from = asOf.adding(days: -finder.recentDays)
        let departed = jobs.indices.filter { person in
            jobs[person].contains { workplaces.contains($0.organization) && $0.end.map { $0 > from && $0 < asOf } == true }
        }
        let recomputed = people.union(departed)
        let recomputedKeys = Set(recomputed.map { snapshot.people[$0].key })
        report.alerts.removeAll { alert in
            switch alert.kind {
            case .coolingRelationship: pairKeys.contains(alert.personKeys)
            case .personLeft, .personMoved: alert.personKeys.first.map(recomputedKeys.contains) ?? false
            case .pledgeOverdue, .goalOffTrack: false
            }
        }
        let strongest = strongest
        var added = changed.compactMap { finder.coolingAlert($0, snapshot: snapshot, indexOf: indexOf) }
        for person in recomputed.sorted() {
            added += finder.personAlerts(person, snapshot: snapshot, jobs: jobs, home: home, asOf: asOf, indexOf: indexOf) { strongest[$0] }
        }
        for alert in added {
            report.alerts.insert(alert, at: report.alerts.insertionIndex(of: alert, by: Alert.isOrderedBefore))
        }
    }
}

extension Array {
    /// Where `element` goes in this array, sorted by `isOrderedBefore`: after every element ordered before it.
    func insertionIndex(of element: Element, by isOrderedBefore: (Element, Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if isOrderedBefore(self[middle], element) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
