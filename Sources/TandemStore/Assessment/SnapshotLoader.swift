import Foundation
import SQLKit
import TandemCore

/// Reads a workspace into the assessment's in-memory `Snapshot`, streaming rows (the interactions
/// of a large workspace are never all held as database rows at once).
public struct SnapshotLoader: Sendable {
    let sql: any SQLDatabase
    let workspaceID: Int64

    public init(sql: any SQLDatabase, workspaceID: Int64) {
        self.sql = sql
        self.workspaceID = workspaceID
    }

    /// The whole workspace; without `interactions` (the bulk of it) for figures that need none, such as sales.
    /// With `salesFrom`, only the sales of that month and later (an assessment reads a year's worth:
    /// `AssessmentState.firstSalesMonth`; the rows of every month are the largest part of a big workspace).
    /// On SQLite it is read through a connection of its own, in one read transaction: every query
    /// sees the same state, and rows skip the driver's asynchronous path, which costs more than the
    /// reading itself on a large workspace.
    public func load(interactions: Bool = true, salesFrom: YearMonth? = nil) async throws -> Snapshot {
        guard sql.dialect.name == "sqlite", !(sql is DirectSQLiteDatabase),
              let path = try await sql.raw("SELECT file FROM pragma_database_list WHERE name = 'main'").first()?
                .decode(column: "file", as: String.self), !path.isEmpty else {
            return try await loadRows(interactions: interactions, salesFrom: salesFrom)
        }
        let connection = try DirectSQLiteConnection(path: path)
        defer { connection.close() }
        try connection.execute("BEGIN")
        do {
            let direct = DirectSQLiteDatabase(connection: connection, logger: sql.logger, eventLoop: sql.eventLoop)
            let snapshot = try await SnapshotLoader(sql: direct, workspaceID: workspaceID).loadRows(interactions: interactions, salesFrom: salesFrom)
            try connection.execute("COMMIT")
            return snapshot
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    func loadRows(interactions: Bool, salesFrom: YearMonth? = nil) async throws -> Snapshot {
        var snapshot = Snapshot()
        var organizationIndex: [Int64: Int] = [:]
        for row in try await sql.raw("""
            SELECT id, key, name, kind, is_home, currency FROM organizations WHERE workspace_id = \(bind: workspaceID) ORDER BY id
            """).all() {
            organizationIndex[try row.decode(column: "id", as: Int64.self)] = snapshot.organizations.count
            snapshot.organizations.append(.init(key: try row.decode(column: "key", as: String.self),
                                                name: try row.decode(column: "name", as: String.self),
                                                kind: OrganizationKind(rawValue: try row.decode(column: "kind", as: String.self)),
                                                isHome: try row.decode(column: "is_home", as: Bool.self),
                                                currency: try row.decode(column: "currency", as: String?.self)))
        }
        snapshot.territories = try await sql.raw("""
            SELECT t.code, p.code AS parent_code FROM territories t LEFT JOIN territories p ON p.id = t.parent_id \
            WHERE t.workspace_id = \(bind: workspaceID) ORDER BY t.id
            """).all().map { row in
            Snapshot.Territory(code: try row.decode(column: "code", as: String.self), parentCode: try row.decode(column: "parent_code", as: String?.self))
        }
        var branchIndex: [Int64: Int] = [:]
        for row in try await sql.raw("""
            SELECT b.id, b.key, b.organization_id, t.code FROM branches b LEFT JOIN territories t ON t.id = b.territory_id \
            WHERE b.workspace_id = \(bind: workspaceID) ORDER BY b.id
            """).all() {
            guard let organization = organizationIndex[try row.decode(column: "organization_id", as: Int64.self)] else { continue }
            branchIndex[try row.decode(column: "id", as: Int64.self)] = snapshot.branches.count
            snapshot.branches.append(.init(key: try row.decode(column: "key", as: String.self), organization: organization,
                                           territoryCode: try row.decode(column: "code", as: String?.self)))
        }
        var personIndex: [Int64: Int] = [:]
        for row in try await sql.raw("SELECT id, key, name FROM people WHERE workspace_id = \(bind: workspaceID) ORDER BY id").all() {
            personIndex[try row.decode(column: "id", as: Int64.self)] = snapshot.people.count
            snapshot.people.append(.init(key: try row.decode(column: "key", as: String.self), name: try row.decode(column: "name", as: String.self)))
        }
        for row in try await sql.raw("""
            SELECT person_id, organization_id, branch_id, function, start_date, end_date FROM employments \
            WHERE workspace_id = \(bind: workspaceID) ORDER BY id
            """).all() {
            guard let person = personIndex[try row.decode(column: "person_id", as: Int64.self)],
                  let organization = organizationIndex[try row.decode(column: "organization_id", as: Int64.self)],
                  let function = JobFunction(rawValue: try row.decode(column: "function", as: String.self)),
                  let start = LocalDate(try row.decode(column: "start_date", as: String.self)) else { continue }
            snapshot.employments.append(.init(person: person, organization: organization,
                                              branch: try row.decode(column: "branch_id", as: Int64?.self).flatMap { branchIndex[$0] },
                                              function: function, start: start,
                                              end: try row.decode(column: "end_date", as: String?.self).flatMap(LocalDate.init)))
        }
        if interactions { snapshot.interactions = try await loadInteractions(people: personIndex) }
        try await loadPartnerships(into: &snapshot, organizations: organizationIndex, people: personIndex)
        snapshot.sales = try await loadSales(organizations: organizationIndex, branches: branchIndex, from: salesFrom)
        return snapshot
    }

    private func rows(_ query: SQLQueryString) async throws -> [any SQLRow] {
        try await sql.raw(query).all()
    }

    /// Partnerships with their signatories, goals with owners and progress, commitments with
    /// contributions, and risks.
    private func loadPartnerships(into snapshot: inout Snapshot, organizations: [Int64: Int], people: [Int64: Int]) async throws {
        var partnershipIndex: [Int64: Int] = [:]
        for row in try await rows("""
            SELECT id, key, counterpart_id, status, commitment, agreement_date FROM partnerships WHERE workspace_id = \(bind: workspaceID) ORDER BY id
            """) {
            guard let counterpart = organizations[try row.decode(column: "counterpart_id", as: Int64.self)],
                  let status = PartnershipStatus(rawValue: try row.decode(column: "status", as: String.self)),
                  let commitment = CommitmentForm(rawValue: try row.decode(column: "commitment", as: String.self)) else { continue }
            partnershipIndex[try row.decode(column: "id", as: Int64.self)] = snapshot.partnerships.count
            snapshot.partnerships.append(.init(key: try row.decode(column: "key", as: String.self), counterpart: counterpart, status: status,
                                               commitment: commitment,
                                               agreementDate: try row.decode(column: "agreement_date", as: String?.self).flatMap(LocalDate.init)))
        }
        for row in try await rows("""
            SELECT s.partnership_id, s.person_id FROM partnership_signatories s JOIN partnerships p ON p.id = s.partnership_id \
            WHERE p.workspace_id = \(bind: workspaceID) ORDER BY s.partnership_id, s.position
            """) {
            guard let partnership = partnershipIndex[try row.decode(column: "partnership_id", as: Int64.self)],
                  let person = people[try row.decode(column: "person_id", as: Int64.self)] else { continue }
            snapshot.partnerships[partnership].signatories.append(person)
        }
        for row in try await rows("""
            SELECT partnership_id, MAX(date) AS ended FROM partnership_events WHERE workspace_id = \(bind: workspaceID) AND status = 'ended' \
            GROUP BY partnership_id
            """) {
            guard let partnership = partnershipIndex[try row.decode(column: "partnership_id", as: Int64.self)] else { continue }
            snapshot.partnerships[partnership].endDate = try row.decode(column: "ended", as: String?.self).flatMap(LocalDate.init)
        }
        for row in try await rows("""
            SELECT s.partnership_id, t.code FROM partnership_territories s JOIN partnerships p ON p.id = s.partnership_id \
            JOIN territories t ON t.id = s.territory_id WHERE p.workspace_id = \(bind: workspaceID) ORDER BY s.partnership_id, s.position
            """) {
            guard let partnership = partnershipIndex[try row.decode(column: "partnership_id", as: Int64.self)] else { continue }
            snapshot.partnerships[partnership].territoryCodes.append(try row.decode(column: "code", as: String.self))
        }
        var goalIndex: [Int64: Int] = [:]
        for row in try await rows("""
            SELECT id, key, partnership_id, metric, baseline, target, due_date FROM goals WHERE workspace_id = \(bind: workspaceID) ORDER BY id
            """) {
            guard let partnership = partnershipIndex[try row.decode(column: "partnership_id", as: Int64.self)] else { continue }
            goalIndex[try row.decode(column: "id", as: Int64.self)] = snapshot.goals.count
            snapshot.goals.append(.init(key: try row.decode(column: "key", as: String.self), partnership: partnership,
                                        metric: try row.decode(column: "metric", as: String.self),
                                        baseline: try row.decode(column: "baseline", as: Double?.self),
                                        target: try row.decode(column: "target", as: Double.self),
                                        dueDate: try row.decode(column: "due_date", as: String?.self).flatMap(LocalDate.init)))
        }
        for row in try await rows("""
            SELECT o.goal_id, o.person_id FROM goal_owners o JOIN goals g ON g.id = o.goal_id \
            WHERE g.workspace_id = \(bind: workspaceID) ORDER BY o.goal_id, o.position
            """) {
            guard let goal = goalIndex[try row.decode(column: "goal_id", as: Int64.self)],
                  let person = people[try row.decode(column: "person_id", as: Int64.self)] else { continue }
            snapshot.goals[goal].owners.append(person)
        }
        for row in try await rows("SELECT goal_id, date, value FROM goal_progress WHERE workspace_id = \(bind: workspaceID) ORDER BY goal_id, date") {
            guard let goal = goalIndex[try row.decode(column: "goal_id", as: Int64.self)],
                  let date = LocalDate(try row.decode(column: "date", as: String.self)) else { continue }
            snapshot.goals[goal].progress.append((date, try row.decode(column: "value", as: Double.self)))
        }
        var commitmentIndex: [Int64: Int] = [:]
        for row in try await rows("""
            SELECT id, key, partnership_id, party_id, asset, amount, unit, currency, due_date FROM commitments \
            WHERE workspace_id = \(bind: workspaceID) ORDER BY id
            """) {
            guard let partnership = partnershipIndex[try row.decode(column: "partnership_id", as: Int64.self)],
                  let party = organizations[try row.decode(column: "party_id", as: Int64.self)],
                  let asset = AssetKind(rawValue: try row.decode(column: "asset", as: String.self)) else { continue }
            commitmentIndex[try row.decode(column: "id", as: Int64.self)] = snapshot.commitments.count
            snapshot.commitments.append(.init(key: try row.decode(column: "key", as: String.self), partnership: partnership, party: party,
                                              asset: asset, amount: try row.decode(column: "amount", as: Double.self),
                                              dueDate: try row.decode(column: "due_date", as: String?.self).flatMap(LocalDate.init),
                                              unit: try row.decode(column: "unit", as: String?.self),
                                              currency: try row.decode(column: "currency", as: String?.self)))
        }
        for row in try await rows("""
            SELECT commitment_id, date, amount, confirmed_by_id FROM contributions WHERE workspace_id = \(bind: workspaceID) ORDER BY commitment_id, date, id
            """) {
            guard let commitment = commitmentIndex[try row.decode(column: "commitment_id", as: Int64.self)],
                  let date = LocalDate(try row.decode(column: "date", as: String.self)) else { continue }
            snapshot.commitments[commitment].contributions.append(.init(
                date: date, amount: try row.decode(column: "amount", as: Double.self),
                confirmedBy: try row.decode(column: "confirmed_by_id", as: Int64?.self).flatMap { people[$0] }))
        }
        for row in try await rows("""
            SELECT partnership_id, party_id, description, exposure_amount FROM risks WHERE workspace_id = \(bind: workspaceID) ORDER BY id
            """) {
            guard let partnership = partnershipIndex[try row.decode(column: "partnership_id", as: Int64.self)],
                  let party = organizations[try row.decode(column: "party_id", as: Int64.self)] else { continue }
            snapshot.risks.append(.init(partnership: partnership, party: party, description: try row.decode(column: "description", as: String.self),
                                        exposure: try row.decode(column: "exposure_amount", as: Double?.self)))
        }
    }

    /// The sales rows through one organization's branches, placed in `snapshot` (its organizations
    /// and branches matched by key): for a page that shows one organization's sales from a
    /// workspace held without its sales rows (`AssessmentState.snapshot`).
    public func sales(through organizationKey: String, in snapshot: Snapshot) async throws -> [Snapshot.Sale] {
        let organizations = Dictionary(snapshot.organizations.indices.map { (snapshot.organizations[$0].key, $0) }, uniquingKeysWith: { first, _ in first })
        let branches = Dictionary(snapshot.branches.indices.map { (snapshot.branches[$0].key, $0) }, uniquingKeysWith: { first, _ in first })
        return try await stream("""
            SELECT s.period, m.key AS manufacturer_key, b.key AS branch_key, s.product_line, s.sell_in_amount, s.sell_through_amount, \
            s.manufacturer_gross_profit, s.distributor_gross_profit, s.currency FROM sales s \
            JOIN branches b ON b.id = s.branch_id JOIN organizations o ON o.id = b.organization_id JOIN organizations m ON m.id = s.manufacturer_id \
            WHERE s.workspace_id = \(bind: workspaceID) AND o.workspace_id = \(bind: workspaceID) AND o.key = \(bind: organizationKey) ORDER BY s.id
            """) { row in
            guard let period = YearMonth(try row.decode(column: "period", as: String.self)),
                  let manufacturer = organizations[try row.decode(column: "manufacturer_key", as: String.self)],
                  let branch = branches[try row.decode(column: "branch_key", as: String.self)] else { return nil }
            return try Self.sale(row, period: period, manufacturer: manufacturer, branch: branch)
        }
    }

    static func sale(_ row: any SQLRow, period: YearMonth, manufacturer: Int, branch: Int) throws -> Snapshot.Sale {
        Snapshot.Sale(period: period, manufacturer: manufacturer, branch: branch,
                      productLine: try row.decode(column: "product_line", as: String.self),
                      sellIn: try row.decode(column: "sell_in_amount", as: Double?.self),
                      sellThrough: try row.decode(column: "sell_through_amount", as: Double?.self),
                      manufacturerGrossProfit: try row.decode(column: "manufacturer_gross_profit", as: Double?.self),
                      distributorGrossProfit: try row.decode(column: "distributor_gross_profit", as: Double?.self),
                      currency: try row.decode(column: "currency", as: String?.self))
    }

    /// Monthly sales, streamed.
    private func loadSales(organizations: [Int64: Int], branches: [Int64: Int], from first: YearMonth?) async throws -> [Snapshot.Sale] {
        try await stream("""
            SELECT period, manufacturer_id, branch_id, product_line, sell_in_amount, sell_through_amount, manufacturer_gross_profit, \
            distributor_gross_profit, currency FROM sales WHERE workspace_id = \(bind: workspaceID) AND period >= \(bind: first?.description ?? "") ORDER BY id
            """) { row in
            guard let period = YearMonth(try row.decode(column: "period", as: String.self)),
                  let manufacturer = organizations[try row.decode(column: "manufacturer_id", as: Int64.self)],
                  let branch = branches[try row.decode(column: "branch_id", as: Int64.self)] else { return nil }
            return try Self.sale(row, period: period, manufacturer: manufacturer, branch: branch)
        }
    }

    /// Interactions and their participants, both read in id order and merged as the
    /// participants stream in, so that nothing but the interactions themselves is held.
    private func loadInteractions(people: [Int64: Int]) async throws -> ChunkedArray<Snapshot.Interaction> {
        if let direct = sql as? DirectSQLiteDatabase { return try directInteractions(direct.connection, people: people) }
        let count = try await sql.raw("SELECT COUNT(*) AS n FROM interactions WHERE workspace_id = \(bind: workspaceID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let collected = InteractionsCollector(count: count)
        try await sql.raw("""
            SELECT id, key, occurred_on, kind, initiator_id, duration_minutes FROM interactions \
            WHERE workspace_id = \(bind: workspaceID) ORDER BY id
            """).run { row in
            collected.add {
                guard let date = LocalDate(try row.decode(column: "occurred_on", as: String.self)),
                      let kind = InteractionKind(rawValue: try row.decode(column: "kind", as: String.self)),
                      let initiator = people[try row.decode(column: "initiator_id", as: Int64.self)] else { return nil }
                return (try row.decode(column: "id", as: Int64.self),
                        Snapshot.Interaction(key: try row.decode(column: "key", as: String.self), date: date, kind: kind, initiator: initiator,
                                             participants: [], durationMinutes: try row.decode(column: "duration_minutes", as: Int?.self)))
            }
        }
        try await sql.raw("""
            SELECT p.interaction_id, p.person_id FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id \
            WHERE i.workspace_id = \(bind: workspaceID) ORDER BY p.interaction_id
            """).run { row in
            collected.addParticipant {
                guard let person = people[try row.decode(column: "person_id", as: Int64.self)] else { return nil }
                return (try row.decode(column: "interaction_id", as: Int64.self), person)
            }
        }
        return try collected.result()
    }

    /// `loadInteractions` on a connection of its own to SQLite: the same two queries, their columns
    /// read by position as each row is stepped, without a row value for each (on xl, nine million
    /// rows; the whole load took 8.9 s with it, of which SQLite's own stepping is 2.8 s, but it
    /// was not timed against the pooled path in the same run).
    private func directInteractions(_ connection: DirectSQLiteConnection, people: [Int64: Int]) throws -> ChunkedArray<Snapshot.Interaction> {
        let count = try connection.withStatement("SELECT COUNT(*) FROM interactions WHERE workspace_id = ?") { statement in
            statement.bind(1, workspaceID)
            return try statement.step() ? Int(statement.integer(0)) : 0
        }
        let collected = InteractionsCollector(count: count)
        try connection.withStatement("""
            SELECT id, key, occurred_on, kind, initiator_id, duration_minutes FROM interactions WHERE workspace_id = ? ORDER BY id
            """) { statement in
            statement.bind(1, workspaceID)
            while try statement.step() {
                collected.add {
                    guard let date = LocalDate(statement.text(2)), let kind = InteractionKind(rawValue: statement.text(3)),
                          let initiator = people[statement.integer(4)] else { return nil }
                    return (statement.integer(0),
                            Snapshot.Interaction(key: statement.text(1), date: date, kind: kind, initiator: initiator, participants: [],
                                                 durationMinutes: statement.isNull(5) ? nil : Int(statement.integer(5))))
                }
            }
        }
        try connection.withStatement("""
            SELECT p.interaction_id, p.person_id FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id \
            WHERE i.workspace_id = ? ORDER BY p.interaction_id
            """) { statement in
            statement.bind(1, workspaceID)
            while try statement.step() {
                collected.addParticipant { people[statement.integer(1)].map { (statement.integer(0), $0) } }
            }
        }
        return try collected.result()
    }

    /// The rows of `query` through `decode` (nil skips a row), streamed rather than held as
    /// database rows; the first decoding error is thrown.
    private func stream<T: Sendable>(_ query: SQLQueryString, _ decode: @escaping @Sendable (any SQLRow) throws -> T?) async throws -> [T] {
        let collected = Collected<T>()
        try await sql.raw(query).run { row in collected.add { try decode(row) } }
        return try collected.result()
    }
}

/// What a row callback collected: SQLKit calls it one row at a time, but the callback must be
/// `Sendable`, so the state sits behind a lock.
private final class Collected<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    private var failure: (any Error)?

    func add(_ make: () throws -> T?) {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil else { return }
        do {
            if let item = try make() { items.append(item) }
        } catch {
            failure = error
        }
    }

    /// The items, leaving this empty (so the caller holds the only copy), or the first error.
    func result() throws -> [T] {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        defer { items = [] }
        return items
    }
}

/// The interactions as they stream in, in id order, then each one's participants (also in
/// interaction id order) merged into them; behind a lock, as SQLKit's row callback must be `Sendable`.
private final class InteractionsCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [Int64] = []
    private var items = ChunkedArray<Snapshot.Interaction>()
    private var position = 0
    private var failure: (any Error)?

    /// `count`: how many interactions to expect.
    init(count: Int) {
        ids.reserveCapacity(count)
        items.reserveCapacity(count)
    }

    func add(_ make: () throws -> (id: Int64, interaction: Snapshot.Interaction)?) {
        locked {
            guard let (id, interaction) = try make() else { return }
            ids.append(id)
            items.append(interaction)
        }
    }

    func addParticipant(_ make: () throws -> (interaction: Int64, person: Int)?) {
        locked {
            guard let (interaction, person) = try make() else { return }
            while position < ids.count, ids[position] < interaction { position += 1 }
            guard position < ids.count, ids[position] == interaction else { return }
            // The initiator is already there (first); everyone else once.
            if !items[position].participants.contains(person) { items[position].participants.append(person) }
        }
    }

    /// Runs `body` under the lock, unless an earlier row failed; keeps the first error.
    private func locked(_ body: () throws -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil else { return }
        do { try body() } catch { failure = error }
    }

    /// The interactions, leaving this empty (so the caller holds the only copy), or the first error.
    func result() throws -> ChunkedArray<Snapshot.Interaction> {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        defer { items = []; ids = [] }
        return items
    }
}
