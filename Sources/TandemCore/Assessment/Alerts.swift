/// Something a channel manager should act on, as of a date.
public struct Alert: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case coolingRelationship = "cooling_relationship"
        case personLeft = "person_left"
        case personMoved = "person_moved"
        case pledgeOverdue = "pledge_overdue"
        case goalOffTrack = "goal_off_track"
    }

    public var kind: Kind
    /// The counterpart organization concerned (for a move, the one the person went to).
    public var organizationKey: String?
    public var personKeys: [String]
    /// When it happened (a last contact, a job's end or start, a due date, a measurement).
    public var date: LocalDate?
    public var message: String
}

/// Finds the alerts of a snapshot as of a date, from the relationships of the same date.
public struct AlertFinder: Sendable {
    /// Job changes are reported for this many days.
    public var recentDays: Int = 365
    public var relationships = RelationshipSettings()
    public var tests = PartnershipTestSettings()

    public init() {}

    public func alerts(in snapshot: Snapshot, relationships: [Relationship], asOf: LocalDate) -> [Alert] {
        guard let home = snapshot.home else { return [] }
        return alerts(relationships: relationships,
                      testing: PartnershipTesting(snapshot: snapshot, jobs: snapshot.employmentsByPerson(), home: home, asOf: asOf, settings: tests),
                      strongest: Self.strongest(relationships),
                      indexOf: Dictionary(snapshot.people.indices.map { (snapshot.people[$0].key, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The alerts, reusing what an assessment has already worked out: the jobs and sales totals,
    /// each counterpart person's strongest relationship (`strongest(_:)`) and people's positions by key.
    func alerts(relationships: [Relationship], testing: PartnershipTesting, strongest: [String: Relationship], indexOf: [String: Int]) -> [Alert] {
        let snapshot = testing.snapshot, jobs = testing.jobs
        var alerts = relationships.compactMap { coolingAlert($0, snapshot: snapshot, indexOf: indexOf) }
        for person in jobs.indices {
            alerts += personAlerts(person, snapshot: snapshot, jobs: jobs, home: testing.home, asOf: testing.asOf, indexOf: indexOf) { strongest[$0] }
        }
        alerts += partnershipAlerts(testing: testing)
        return alerts.sorted(by: Alert.isOrderedBefore)
    }

    /// The strongest relationship each counterpart person (by key) has with the home company:
    /// the first of theirs in the relationships' order.
    static func strongest(_ relationships: [Relationship]) -> [String: Relationship] {
        var strongest: [String: Relationship] = [:]
        for relationship in relationships where relationship.strength > (strongest[relationship.counterpartPerson]?.strength ?? -1) {
            strongest[relationship.counterpartPerson] = relationship
        }
        return strongest
    }

    func coolingAlert(_ relationship: Relationship, snapshot: Snapshot, indexOf: [String: Int]) -> Alert? {
        guard relationship.stage == .cooling, let cooling = relationship.cooling else { return nil }
        return Alert(kind: .coolingRelationship, organizationKey: relationship.counterpartOrganization,
                     personKeys: [relationship.homePerson, relationship.counterpartPerson], date: relationship.lastContact,
                     message: "\(name(relationship.homePerson, snapshot, indexOf)) and \(name(relationship.counterpartPerson, snapshot, indexOf)): "
                         + "\(cooling.dealingsSince) dealings since \(cooling.since) against \(cooling.dealingsBefore) in the year before "
                         + "(at most \(Int((self.relationships.coolingPace * 100).rounded()))% of the pace); strength \(Int(relationship.strength.rounded())), "
                         + "last contact \(relationship.lastContact)")
    }

    /// A person's moves and departures from counterpart organizations in the last `recentDays`,
    /// with their strongest relationship and, for a departure, who could take over (the
    /// strongest-related colleague in the same function there now).
    func personAlerts(_ person: Int, snapshot: Snapshot, jobs: [[Snapshot.Employment]], home: Int, asOf: LocalDate, indexOf: [String: Int],
                      strongest: (String) -> Relationship?) -> [Alert] {
        let keyOf = { (person: Int) in snapshot.people[person].key }
        let from = asOf.adding(days: -recentDays)
        var alerts: [Alert] = []
        let outside = jobs[person].filter { $0.organization != home }
        for ended in outside where ended.end.map({ $0 > from && $0 < asOf }) == true {
            let organization = ended.organization
            guard !outside.contains(where: { $0.organization == organization && $0.covers(asOf) }) else { continue }
            let key = keyOf(person)
            let relationship = strongest(key).map { " (strongest relationship: \(name($0.homePerson, snapshot, indexOf)), \(Int($0.strength.rounded())))" } ?? ""
            if let next = outside.first(where: { $0.organization != organization && $0.start >= ended.start && $0.covers(asOf) }) {
                alerts.append(Alert(kind: .personMoved, organizationKey: snapshot.organizations[next.organization].key, personKeys: [key], date: next.start,
                                    message: "\(snapshot.people[person].name) moved from \(snapshot.organizations[organization].key) to "
                                        + "\(snapshot.organizations[next.organization].key) on \(next.start): an opening, the relationship moved with them\(relationship)"))
            } else {
                let successors = jobs.indices.filter { other in
                    other != person && jobs[other].contains { $0.organization == organization && $0.covers(asOf) && $0.function == ended.function }
                }.map(keyOf).sorted { (strongest($0)?.strength ?? 0, $1) > (strongest($1)?.strength ?? 0, $0) }
                let takeOver = successors.first.map { " Who could take over: \(name($0, snapshot, indexOf)) (\(ended.function.rawValue))." }
                    ?? " Nobody in \(ended.function.rawValue) there yet."
                alerts.append(Alert(kind: .personLeft, organizationKey: snapshot.organizations[organization].key, personKeys: [key] + successors.prefix(1),
                                    date: ended.end, message: "\(snapshot.people[person].name) left \(snapshot.organizations[organization].key) on "
                                        + "\(ended.end!): their relationships are at risk\(relationship).\(takeOver)"))
            }
        }
        return alerts
    }

    /// Overdue pledges and goals off track: what dealings do not change.
    func partnershipAlerts(testing: PartnershipTesting) -> [Alert] {
        let snapshot = testing.snapshot, asOf = testing.asOf, jobs = testing.jobs
        var alerts: [Alert] = []
        for pledge in snapshot.commitments {
            guard let due = pledge.dueDate, due < asOf else { continue }
            let confirmed = pledge.contributions.filter { $0.date <= asOf && snapshot.isConfirmedByTheOtherSide($0, of: pledge, jobs: jobs) }
                .map(\.amount).reduce(0, +)
            guard confirmed < pledge.amount else { continue }
            let partnership = snapshot.partnerships[pledge.partnership]
            alerts.append(Alert(kind: .pledgeOverdue, organizationKey: snapshot.organizations[partnership.counterpart].key, personKeys: [], date: due,
                                message: "pledge \(pledge.key) of \(snapshot.organizations[pledge.party].key) in \(partnership.key): "
                                    + "\(BundleNumber.format(pledge.amount)) \(pledge.asset.rawValue) due \(due), \(BundleNumber.format(confirmed)) confirmed"))
        }
        for goal in snapshot.goals {
            guard let status = testing.goalStatus(goal), !status.onTrack else { continue }
            let partnership = snapshot.partnerships[goal.partnership]
            alerts.append(Alert(kind: .goalOffTrack, organizationKey: snapshot.organizations[partnership.counterpart].key,
                                personKeys: goal.owners.map { snapshot.people[$0].key }, date: status.date,
                                message: "goal \(goal.key) (\(goal.metric)) in \(partnership.key): \(BundleNumber.format(status.value)) on \(status.date) "
                                    + "against \(BundleNumber.format((status.expected * 100).rounded() / 100)) expected"))
        }
        return alerts
    }

    func name(_ key: String, _ snapshot: Snapshot, _ index: [String: Int]) -> String {
        index[key].map { snapshot.people[$0].name } ?? key
    }
}

extension Alert {
    /// The order alerts are listed in: by kind, organization, people, then message.
    static func isOrderedBefore(_ lhs: Alert, _ rhs: Alert) -> Bool {
        (lhs.kind.rawValue, lhs.organizationKey ?? "", lhs.personKeys.joined(separator: ","), lhs.message)
            < (rhs.kind.rawValue, rhs.organizationKey ?? "", rhs.personKeys.joined(separator: ","), rhs.message)
    }
}
