/// When a counterpart counts as an order-seeker: dealings dominated by requests for orders and
/// prices, started mostly by them, and (for an organization) pledges they leave undelivered.
/// `docs/scoring.md` explains each threshold.
public struct OrderSeekerSettings: Codable, Sendable, Equatable {
    /// The window the dealings are counted in, ending on the as-of date.
    public var windowDays: Int = 365
    /// Fewer dealings than this say too little to judge an organization.
    public var minimumDealings: Int = 8
    /// A person is judged on all their dealings up to the date, since few people deal with the
    /// supplier every month: at least this many, with the person shares below.
    public var minimumPersonDealings: Int = 5
    public var personAskingShare: Double = 0.6
    public var personInitiatedShare: Double = 0.6
    /// The kinds that ask for something.
    public var askingKinds: Set<InteractionKind> = [.orderRequest, .pricingRequest, .quoteRequest, .expedite]
    /// At least this share of the dealings ask for something…
    public var askingShare: Double = 0.65
    /// …and at least this share were started by the counterpart.
    public var initiatedShare: Double = 0.65
    /// An organization that delivered less than this share of its pledges due by the date…
    public var deliveredShare: Double = 0.5
    /// …is flagged when at least this share of its dealings ask for something, however they started.
    public var askingShareWithUndeliveredPledges: Double = 0.5

    public init() {}
}

/// Whether a counterpart person or organization is an order-seeker, and why.
public struct OrderSeekerFinding: Codable, Sendable, Equatable {
    public var key: String
    public var flagged: Bool
    public var evidence: [String]
    public var dealings: Int
    public var asking: Int
    public var initiated: Int
    public var pricingRequests: Int
    /// Pledges due by the date and how many were delivered in full (organizations only).
    public var pledgesDue: Int?
    public var pledgesDelivered: Int?
}

/// Finds order-seekers among the counterparts' people and organizations. Only the home company
/// should ever see the result.
public struct OrderSeekerDetection: Sendable {
    public var settings: OrderSeekerSettings

    public init(settings: OrderSeekerSettings = OrderSeekerSettings()) {
        self.settings = settings
    }

    struct Tally {
        var dealings = 0, asking = 0, initiated = 0, pricing = 0
    }

    /// Every counterpart person's dealings up to the date, and every counterpart organization's
    /// in the window.
    struct Tallies {
        var people: [Int: Tally] = [:]
        var organizations: [Int: Tally] = [:]
    }

    /// Findings for every counterpart person and organization with dealings in the window, by key.
    public func findings(in snapshot: Snapshot, asOf: LocalDate) -> (people: [OrderSeekerFinding], organizations: [OrderSeekerFinding]) {
        guard let home = snapshot.home else { return ([], []) }
        let jobs = snapshot.employmentsByPerson()
        var tallies = Tallies()
        let from = windowStart(asOf)
        for interaction in snapshot.interactions where interaction.date <= asOf {
            count(interaction, sides: Sides(interaction, jobs: jobs, home: home), windowStart: from, into: &tallies)
        }
        var flaggedOrganizations = Set<Int>()
        let organizationFindings = tallies.organizations.map { organization, tally in
            let found = organizationFinding(organization, tally: tally, in: snapshot, jobs: jobs, asOf: asOf)
            if found.flagged { flaggedOrganizations.insert(organization) }
            return found
        }.sorted { $0.key < $1.key }
        let personFindings = tallies.people.map { person, tally in
            personFinding(person, tally: tally, in: snapshot,
                          dealsFor: RelationshipScoring.organization(of: jobs[person], asOf: asOf, home: home),
                          flaggedOrganizations: flaggedOrganizations)
        }.sorted { $0.key < $1.key }
        return (personFindings, organizationFindings)
    }

    /// The day before the window of an organization's dealings starts.
    func windowStart(_ asOf: LocalDate) -> LocalDate { asOf.adding(days: -settings.windowDays) }

    /// Counts one dealing (on or before the as-of date) for the counterpart people and
    /// organizations in it; organizations count it when it falls after `from`.
    func count(_ interaction: Snapshot.Interaction, sides: Sides, windowStart from: LocalDate, into tallies: inout Tallies) {
        guard !sides.home.isEmpty, !sides.others.isEmpty else { return }
        let asking = settings.askingKinds.contains(interaction.kind)
        let recent = interaction.date > from
        var counted = Set<Int>()
        for (person, organization) in sides.others {
            let started = interaction.initiator == person
            tallies.people[person, default: Tally()].add(asking: asking, started: started, pricing: interaction.kind == .pricingRequest)
            guard recent else { continue }
            if counted.insert(organization).inserted {
                let startedByOrganization = sides.others.contains { $0.person == interaction.initiator && $0.organization == organization }
                tallies.organizations[organization, default: Tally()].add(asking: asking, started: startedByOrganization,
                                                                           pricing: interaction.kind == .pricingRequest)
            }
        }
    }

    func organizationFinding(_ organization: Int, tally: Tally, in snapshot: Snapshot, jobs: [[Snapshot.Employment]], asOf: LocalDate) -> OrderSeekerFinding {
        finding(key: snapshot.organizations[organization].key, tally: tally, period: "in the last \(Self.describe(days: settings.windowDays))",
                minimum: settings.minimumDealings, shares: (settings.askingShare, settings.initiatedShare),
                pledges: pledges(of: organization, in: snapshot, jobs: jobs, asOf: asOf))
    }

    /// Placing orders is an inside salesperson's job: a person's own pattern marks them only
    /// when they deal for an organization that is an order-seeker itself (`dealsFor`: the one
    /// they deal for as of the date, or last dealt for, not one they left).
    func personFinding(_ person: Int, tally: Tally, in snapshot: Snapshot, dealsFor organization: Int?, flaggedOrganizations: Set<Int>) -> OrderSeekerFinding {
        var found = finding(key: snapshot.people[person].key, tally: tally, period: "so far", minimum: settings.minimumPersonDealings,
                            shares: (settings.personAskingShare, settings.personInitiatedShare), pledges: nil)
        let seeker = organization.flatMap { flaggedOrganizations.contains($0) ? snapshot.organizations[$0].key : nil }
        if let seeker {
            found.evidence.append("deals for \(seeker), an order-seeker")
        } else {
            found.flagged = false
        }
        return found
    }

    /// The organization's pledges due by the date, and how many its partner confirmed in full.
    func pledges(of organization: Int, in snapshot: Snapshot, jobs: [[Snapshot.Employment]], asOf: LocalDate) -> (due: Int, delivered: Int) {
        var due = 0, delivered = 0
        for commitment in snapshot.commitments where commitment.party == organization && (commitment.dueDate.map { $0 <= asOf } ?? true) {
            due += 1
            let confirmed = commitment.contributions.filter { $0.date <= asOf && snapshot.isConfirmedByTheOtherSide($0, of: commitment, jobs: jobs) }
                .map(\.amount).reduce(0, +)
            if confirmed >= commitment.amount { delivered += 1 }
        }
        return (due, delivered)
    }

    static func describe(days: Int) -> String {
        days % 365 == 0 ? "\(days / 365 * 12) months" : "\(days) days"
    }

    func finding(key: String, tally: Tally, period: String, minimum: Int, shares: (asking: Double, initiated: Double),
                 pledges: (due: Int, delivered: Int)?) -> OrderSeekerFinding {
        let dealings = max(tally.dealings, 1)
        let askingShare = Double(tally.asking) / Double(dealings)
        let initiatedShare = Double(tally.initiated) / Double(dealings)
        var evidence = ["\(tally.asking) of \(tally.dealings) dealings \(period) asked for orders, prices, quotes or expedites",
                        "they started \(tally.initiated) of \(tally.dealings)"]
        if tally.pricing > 0 { evidence.append("asked for special pricing \(tally.pricing) time\(tally.pricing == 1 ? "" : "s")") }
        var undelivered = false
        if let pledges, pledges.due > 0 {
            evidence.append("\(pledges.delivered) of \(pledges.due) pledged commitments delivered")
            undelivered = Double(pledges.delivered) / Double(pledges.due) < settings.deliveredShare
        }
        let enough = tally.dealings >= minimum
        let flagged = enough && askingShare >= shares.asking && initiatedShare >= shares.initiated
            || enough && undelivered && askingShare >= settings.askingShareWithUndeliveredPledges
        return OrderSeekerFinding(key: key, flagged: flagged, evidence: evidence, dealings: tally.dealings, asking: tally.asking,
                                  initiated: tally.initiated, pricingRequests: tally.pricing,
                                  pledgesDue: pledges?.due, pledgesDelivered: pledges?.delivered)
    }
}

extension OrderSeekerDetection.Tally {
    mutating func add(asking isAsking: Bool, started: Bool, pricing isPricing: Bool) {
        dealings += 1
        if isAsking { asking += 1 }
        if started { initiated += 1 }
        if isPricing { pricing += 1 }
    }
}
