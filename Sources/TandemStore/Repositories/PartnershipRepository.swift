import FluentKit
import Foundation
import SQLKit
import TandemCore

/// The partnerships of one workspace: their lifecycle (propose, activate with a commitment,
/// suspend, end), shared goals and progress, each side's pledges and contributions (confirmed
/// only by the other side), shared risks and business reviews. Every write is one transaction
/// and checks every field first.
public struct PartnershipRepository: Sendable {
    let database: any Database
    let sql: any SQLDatabase
    public let workspaceID: Int64

    public init(database: any Database, workspaceID: Int64) throws {
        self.database = database
        self.sql = try database.sql()
        self.workspaceID = workspaceID
    }

    var directory: DirectoryRepository { get throws { try DirectoryRepository(database: database, workspaceID: workspaceID) } }

    func inTransaction<T: Sendable>(_ body: @escaping @Sendable (PartnershipRepository) async throws -> T) async throws -> T {
        try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try PartnershipRepository(database: db, workspaceID: workspaceID)
            try await WorkspaceRepository.beginWrite(repo.sql, workspaceID: repo.workspaceID)
            return try await body(repo)
        }
    }

    // MARK: - Reads

    /// Partnerships by creation order, keyset-paginated, optionally of one counterpart or status.
    public func list(limit: Int, cursor: String?, counterpart: String?, status: String?) async throws -> ListPage<PartnershipView> {
        var conditions: [SQLQueryString] = ["p.workspace_id = \(bind: workspaceID)"]
        if let cursor {
            guard let id = Int64(try Cursor.decode(cursor, parts: 1)[0]) else {
                throw StoreError.invalid([FieldIssue(field: "cursor", message: "not a cursor returned by this API")])
            }
            conditions.append("p.id > \(bind: id)")
        }
        if let counterpart { conditions.append("o.key = \(bind: counterpart)") }
        if let status { conditions.append("p.status = \(bind: status)") }
        let limit = min(max(limit, 1), ListQuery.maxLimit)
        let rows = try await sql.raw("""
            SELECT p.id FROM partnerships p JOIN organizations o ON o.id = p.counterpart_id \
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY p.id LIMIT \(literal: limit + 1)
            """).all()
        let ids = try rows.prefix(limit).map { try $0.decode(column: "id", as: Int64.self) }
        var items: [PartnershipView] = []
        for id in ids { items.append(try await record(id: id)) }
        let next = rows.count > limit ? Cursor.encode([String(ids[limit - 1])]) : nil
        return ListPage(items: items, nextCursor: next)
    }

    public func detail(key: String, asOf: LocalDate) async throws -> PartnershipDetail {
        let id = try await require("partnerships", kind: "partnership", key: key)
        let partnership = try await record(id: id)
        let start = partnership.agreementDate.flatMap(LocalDate.init)
        var goals: [GoalView] = []
        for row in try await sql.raw("""
            SELECT id, key, metric, unit, baseline, target, due_date FROM goals WHERE partnership_id = \(bind: id) ORDER BY id
            """).all() {
            let goalID = try row.decode(column: "id", as: Int64.self)
            let progress = try await sql.raw("SELECT date, value FROM goal_progress WHERE goal_id = \(bind: goalID) ORDER BY date").all().map {
                GoalView.Measurement(date: try $0.decode(column: "date", as: String.self), value: try $0.decode(column: "value", as: Double.self))
            }
            let baseline = try row.decode(column: "baseline", as: Double?.self), target = try row.decode(column: "target", as: Double.self)
            let due = try row.decode(column: "due_date", as: String?.self)
            goals.append(GoalView(
                key: try row.decode(column: "key", as: String.self), partnershipKey: key, metric: try row.decode(column: "metric", as: String.self),
                unit: try row.decode(column: "unit", as: String?.self), baseline: baseline, target: target, dueDate: due,
                ownerKeys: try await keys("SELECT p.key FROM goal_owners g JOIN people p ON p.id = g.person_id WHERE g.goal_id = \(bind: goalID) ORDER BY g.position"),
                progress: progress,
                status: GoalStatus(baseline: baseline, target: target, dueDate: due.flatMap(LocalDate.init), start: start,
                                   progress: progress.compactMap { m in LocalDate(m.date).map { ($0, m.value) } }, asOf: asOf)))
        }
        let counterpart = try await organizationID(key: partnership.counterpartKey), home = try await homeID()
        let jobs = try await jobsOfPeople(inPartnership: id)
        var pledges: [PledgeView] = []
        for row in try await sql.raw("""
            SELECT c.id, c.key, o.id AS party_id, o.key AS party_key, c.asset, c.amount, c.unit, c.currency, c.due_date, c.description \
            FROM commitments c JOIN organizations o ON o.id = c.party_id WHERE c.partnership_id = \(bind: id) ORDER BY c.id
            """).all() {
            let pledgeID = try row.decode(column: "id", as: Int64.self), pledgeKey = try row.decode(column: "key", as: String.self)
            let party = try row.decode(column: "party_id", as: Int64.self)
            let other = party == counterpart ? home : counterpart
            let contributions = try await sql.raw("""
                SELECT c.id, c.date, c.amount, c.note, c.confirmed_by_id, p.key AS confirmer FROM contributions c \
                LEFT JOIN people p ON p.id = c.confirmed_by_id WHERE c.commitment_id = \(bind: pledgeID) ORDER BY c.date, c.id
                """).all().map { contribution in
                let date = try contribution.decode(column: "date", as: String.self)
                let confirmer = try contribution.decode(column: "confirmed_by_id", as: Int64?.self)
                return ContributionView(
                    id: try contribution.decode(column: "id", as: Int64.self), pledgeKey: pledgeKey, date: date,
                    amount: try contribution.decode(column: "amount", as: Double.self), note: try contribution.decode(column: "note", as: String?.self),
                    confirmedByKey: try contribution.decode(column: "confirmer", as: String?.self),
                    confirmed: confirmer.map { Self.worksFor(other, not: party, jobs: jobs[$0] ?? [], on: LocalDate(date)) } ?? false)
            }
            pledges.append(PledgeView(
                key: pledgeKey, partnershipKey: key, partyKey: try row.decode(column: "party_key", as: String.self),
                asset: AssetKind(rawValue: try row.decode(column: "asset", as: String.self)) ?? .other,
                amount: try row.decode(column: "amount", as: Double.self), unit: try row.decode(column: "unit", as: String?.self),
                currency: try row.decode(column: "currency", as: String?.self), dueDate: try row.decode(column: "due_date", as: String?.self),
                description: try row.decode(column: "description", as: String?.self), contributions: contributions,
                delivered: contributions.filter(\.confirmed).map(\.amount).reduce(0, +),
                claimed: contributions.filter { !$0.confirmed }.map(\.amount).reduce(0, +)))
        }
        let risks = try await sql.raw("""
            SELECT o.key AS party_key, r.description, r.exposure_amount, r.currency FROM risks r JOIN organizations o ON o.id = r.party_id \
            WHERE r.partnership_id = \(bind: id) ORDER BY r.id
            """).all().map {
            RiskView(partnershipKey: key, partyKey: try $0.decode(column: "party_key", as: String.self),
                       description: try $0.decode(column: "description", as: String.self),
                       exposureAmount: try $0.decode(column: "exposure_amount", as: Double?.self), currency: try $0.decode(column: "currency", as: String?.self))
        }
        var reviews: [ReviewView] = []
        for row in try await sql.raw("SELECT id, key, date, visibility, notes FROM reviews WHERE partnership_id = \(bind: id) ORDER BY date, id").all() {
            let reviewID = try row.decode(column: "id", as: Int64.self)
            reviews.append(ReviewView(
                key: try row.decode(column: "key", as: String.self), partnershipKey: key, date: try row.decode(column: "date", as: String.self),
                attendeeKeys: try await keys("SELECT p.key FROM review_attendees a JOIN people p ON p.id = a.person_id WHERE a.review_id = \(bind: reviewID) ORDER BY a.position"),
                visibility: ReviewView.Visibility(rawValue: try row.decode(column: "visibility", as: String.self)) ?? .internal,
                notes: try row.decode(column: "notes", as: String?.self)))
        }
        return PartnershipDetail(partnership: partnership, goals: goals, pledges: pledges, risks: risks, reviews: reviews)
    }

    /// One partnership without its shared records.
    public func partnership(key: String) async throws -> PartnershipView {
        try await record(id: try await require("partnerships", kind: "partnership", key: key))
    }

    func record(id: Int64) async throws -> PartnershipView {
        guard let row = try await sql.raw("""
            SELECT p.key, o.key AS counterpart_key, p.status, p.commitment, p.agreement_date, p.notes FROM partnerships p \
            JOIN organizations o ON o.id = p.counterpart_id WHERE p.id = \(bind: id) AND p.workspace_id = \(bind: workspaceID)
            """).first() else { throw StoreError.notFound(kind: "partnership", key: String(id)) }
        let events = try await sql.raw("SELECT date, status, note FROM partnership_events WHERE partnership_id = \(bind: id) ORDER BY date, id").all().map {
            PartnershipView.Event(date: try $0.decode(column: "date", as: String.self),
                                    status: PartnershipStatus(rawValue: try $0.decode(column: "status", as: String.self)) ?? .proposed,
                                    note: try $0.decode(column: "note", as: String?.self))
        }
        return PartnershipView(
            key: try row.decode(column: "key", as: String.self), counterpartKey: try row.decode(column: "counterpart_key", as: String.self),
            status: PartnershipStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .proposed,
            commitment: CommitmentForm(rawValue: try row.decode(column: "commitment", as: String.self)) ?? .none,
            agreementDate: try row.decode(column: "agreement_date", as: String?.self),
            signatoryKeys: try await keys("SELECT p.key FROM partnership_signatories s JOIN people p ON p.id = s.person_id WHERE s.partnership_id = \(bind: id) ORDER BY s.position"),
            territoryCodes: try await keys("SELECT t.code AS key FROM partnership_territories s JOIN territories t ON t.id = s.territory_id WHERE s.partnership_id = \(bind: id) ORDER BY s.position"),
            notes: try row.decode(column: "notes", as: String?.self), events: events)
    }

    func keys(_ query: SQLQueryString) async throws -> [String] {
        try await sql.raw(query).all().map { try $0.decode(column: "key", as: String.self) }
    }

    // MARK: - Sides of the fence

    func homeID() async throws -> Int64 {
        guard let id = try await sql.raw("SELECT id FROM organizations WHERE workspace_id = \(bind: workspaceID) AND is_home = \(bind: true)").first()?
            .decode(column: "id", as: Int64.self) else { throw StoreError.conflict("the workspace has no home organization yet") }
        return id
    }

    func organizationID(key: String) async throws -> Int64 {
        try await require("organizations", kind: "organization", key: key)
    }

    typealias Job = (organization: Int64, start: String, end: String?)

    /// The jobs of the given people, by person id.
    func jobs(of people: [Int64]) async throws -> [Int64: [Job]] {
        guard !people.isEmpty else { return [:] }
        var result: [Int64: [Job]] = [:]
        for row in try await sql.raw("""
            SELECT person_id, organization_id, start_date, end_date FROM employments \
            WHERE person_id IN (\(unsafeRaw: people.map(String.init).joined(separator: ",")))
            """).all() {
            result[try row.decode(column: "person_id", as: Int64.self), default: []].append(
                (try row.decode(column: "organization_id", as: Int64.self), try row.decode(column: "start_date", as: String.self),
                 try row.decode(column: "end_date", as: String?.self)))
        }
        return result
    }

    func jobsOfPeople(inPartnership id: Int64) async throws -> [Int64: [Job]] {
        let people = try await sql.raw("""
            SELECT DISTINCT c.confirmed_by_id AS id FROM contributions c JOIN commitments m ON m.id = c.commitment_id \
            WHERE m.partnership_id = \(bind: id) AND c.confirmed_by_id IS NOT NULL
            """).all().map { try $0.decode(column: "id", as: Int64.self) }
        return try await jobs(of: people)
    }

    /// Whether a person worked for `organization` (and not for `party`) on the day, or, with no
    /// job on the day, ever did: the rule of `Snapshot.isConfirmedByTheOtherSide`.
    /// `strict`: only a job on the day counts.
    static func worksFor(_ organization: Int64, not party: Int64, jobs: [Job], on date: LocalDate?, strict: Bool = false) -> Bool {
        let day = date?.description ?? ""
        let onTheDay = jobs.filter { $0.start <= day && ($0.end.map { $0 >= day } ?? true) }
        let relevant = onTheDay.isEmpty && !strict ? jobs : onTheDay
        return relevant.contains { $0.organization == organization } && !relevant.contains { $0.organization == party }
    }

    func idOf(_ table: String, key: String, column: String = "key") async throws -> Int64? {
        try await directory.idOf(table, key: key, column: column)
    }

    func require(_ table: String, kind: String, key: String, column: String = "key") async throws -> Int64 {
        try await directory.require(table, kind: kind, key: key, column: column)
    }

    /// People by key, each once; the unknown ones are reported under `field`.
    func people(_ keys: [String], field: String, checks: inout FieldChecks) async throws -> [(key: String, id: Int64)] {
        var found: [(key: String, id: Int64)] = []
        for key in keys {
            if let id = try await idOf("people", key: key) {
                if !found.contains(where: { $0.id == id }) { found.append((key, id)) }
            } else {
                checks.fail(field, "unknown person \"\(key)\"")
            }
        }
        return found
    }

    /// Checks that among `people` at least one works for each side on the day (or, without a
    /// date, has a current job there).
    func requireBothSides(_ people: [(key: String, id: Int64)], home: Int64, counterpart: Int64, on date: LocalDate?, field: String,
                          what: String, eachSideNeeded: Bool = true, checks: inout FieldChecks) async throws {
        let jobs = try await jobs(of: people.map(\.id))
        let day = date?.description
        func sides(_ person: Int64) -> Set<Int64> {
            Set((jobs[person] ?? []).filter { job in
                guard let day else { return job.end == nil }
                return job.start <= day && (job.end.map { $0 >= day } ?? true)
            }.map(\.organization))
        }
        let all = people.map { sides($0.id) }
        if eachSideNeeded && !all.contains(where: { $0.contains(home) }) {
            checks.fail(field, "\(what) needs someone of the home company\(day.map { " (by their jobs on \($0))" } ?? "")")
        }
        if eachSideNeeded && !all.contains(where: { $0.contains(counterpart) }) {
            checks.fail(field, "\(what) needs someone of the counterpart\(day.map { " (by their jobs on \($0))" } ?? "")")
        }
        for (index, side) in all.enumerated() where !side.contains(home) && !side.contains(counterpart) {
            checks.fail(field, "\(people[index].key) works for neither side\(day.map { " on \($0)" } ?? "")")
        }
    }
}
