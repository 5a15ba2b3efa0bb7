import Foundation
import SQLKit
import TandemCore
import TandemStore

/// Reading the assessment: today's from the read model, other days' computed from the stored data.
extension TandemWorkspace {
    /// Today in UTC: what the workspace is assessed (and goals are on or off track) as of by default.
    public static var today: LocalDate { LocalDate(Date(), in: TimeZone(identifier: "UTC")!) }

    /// The workspace and its assessment as of `asOf` (today's is held by the read model and
    /// recomputed only after a change it could not fold in), at the database's latest revision, or
    /// at `revision` or later when given, else at the revision the read settled on (`readsAt`).
    public func assessed(asOf: LocalDate = TandemWorkspace.today, atLeast revision: Int64? = nil) async throws -> AssessedWorkspace {
        let sql = try sql, id = id
        let revision = if let given = revision ?? Self.readsAt { given } else { try await WorkspaceRepository(sql: sql).revision(of: id) }
        return try await readModel.entry(revision: revision, asOf: asOf, feed: feed) {
            let clock = ContinuousClock(), start = clock.now
            let snapshot = try await SnapshotLoader(sql: sql, workspaceID: id)
                .load(salesFrom: AssessmentState.firstSalesMonth(asOf: asOf))
            let loaded = clock.now
            AssessmentMetrics.duration(.load).record(duration: loaded - start)
            var state = AssessmentState(snapshot, asOf: asOf)
            // From here on only each pair's dealings as the assessment reads them are held, not
            // the interactions.
            state.releaseInteractions()
            AssessmentMetrics.duration(.full).record(duration: clock.now - loaded)
            return AssessedWorkspace(revision: revision, state: state)
        }
    }

    /// The revision the current read settled on (`readRevision(atLeast:latest:)`), which the
    /// assessment it asks for is read at; nil (the database's latest) unless a face sets it for
    /// the read's task.
    @TaskLocal public static var readsAt: Int64?

    /// The workspace's latest revision in the database.
    public func revision() async throws -> Int64 {
        try await WorkspaceRepository(sql: try sql).revision(of: id)
    }

    /// The revision a read that must show the writes up to `required` (its user's own) reads today's
    /// assessment at, when the database is at `latest`: what the read model holds if it is at
    /// least `required` and was caught up less than a quarter of `staleness` ago; what it holds
    /// while one catch-up runs behind the reads if that was less than `staleness` ago; else what
    /// it holds once caught up (folding in the dealings queued and those of other processes, all
    /// at once). The answer is what `assessed(asOf:atLeast:)` and the caches are then asked for,
    /// so that a stream of writes is folded in batches rather than one by one, and reads do not
    /// wait for the folding while it keeps up. Nil when it holds nothing for today or would read
    /// the whole workspace again: read the latest then.
    public func readRevision(atLeast required: Int64, latest: Int64) async -> Int64? {
        let today = Self.today, window = staleness / 4
        if let held = readModel.quickly(atLeast: required, latest: latest, asOf: today, window: window) { return held }
        if let held = readModel.quickly(atLeast: required, latest: latest, asOf: today, window: staleness) {
            catchUpBehindReads(to: latest, asOf: today, window: window)
            return held
        }
        return await readModel.current(atLeast: required, latest: latest, asOf: today, window: window, feed: feed)
    }

    /// Brings the read model up to `latest` in a task of its own, unless one is under way.
    private func catchUpBehindReads(to latest: Int64, asOf: LocalDate, window: Duration) {
        guard catchingUp.withLock({ running in
            defer { running = true }
            return !running
        }) else { return }
        Task { [self] in
            _ = await readModel.current(atLeast: latest, latest: latest, asOf: asOf, window: window, feed: feed)
            catchingUp.withLock { $0 = false }
        }
    }

    /// What changed in the read model from revision `from` to revision `to`, so that a cache of
    /// answers computed from it keeps those the change did not touch; nil when that is not known
    /// (another process wrote, or a change was not folded in): then everything may have changed.
    /// Another process's changes are first folded in from the database's record of them (as the
    /// next read would), so that they are known too.
    public func changes(from: Int64, to: Int64) async -> Set<ReadDependency>? {
        if let known = await readModel.changes(from: from, to: to) { return known }
        guard await readModel.catchUp(to: to, asOf: Self.today, feed: feed) else { return nil }
        return await readModel.changes(from: from, to: to)
    }

    /// The read model's way to the record of the changes (`feed(after:through:)`).
    var feed: ReadModel.Feed {
        { [self] after, through, queued in try await self.feed(after: after, through: through, queued: queued) }
    }

    /// The assessment as of `asOf`: from the read model for today, computed for any other day.
    public func report(asOf: LocalDate) async throws -> AssessmentReport {
        if asOf == Self.today { return try await assessed(asOf: asOf).report }
        return Assessor().assess(try await snapshot(), asOf: asOf)
    }

    /// The relationships across the fence as of `asOf`, strongest first.
    public func relationships(asOf: LocalDate) async throws -> [Relationship] {
        if asOf == Self.today { return try await assessed(asOf: asOf).report.relationships }
        return RelationshipScoring().relationships(in: try await snapshot(), asOf: asOf)
    }

    /// The whole workspace as the analyses read it (economics, plans, lead and lag), with or
    /// without its interactions.
    public func snapshot(interactions: Bool = true) async throws -> Snapshot {
        try await SnapshotLoader(sql: try sql, workspaceID: id).load(interactions: interactions)
    }

    /// `snapshot` with the sales rows that involve the organization with `key`, every month.
    public func withSales(of key: String, in snapshot: Snapshot) async throws -> Snapshot {
        var withSales = snapshot
        withSales.sales = try await SnapshotLoader(sql: try sql, workspaceID: id).sales(through: key, in: snapshot)
        return withSales
    }

    /// Territory names by code.
    public func territoryNames() async throws -> [String: String] {
        let rows = try await sql.raw("SELECT code, name FROM territories WHERE workspace_id = \(bind: id)").all()
        var names: [String: String] = [:]
        for row in rows {
            names[try row.decode(column: "code", as: String.self)] = try row.decode(column: "name", as: String.self)
        }
        return names
    }

    /// The stored details of interactions by key (what the assessment does not hold): summary,
    /// time and duration.
    public func interactionDetails(keys: [String]) async throws -> [String: InteractionDetail] {
        guard !keys.isEmpty else { return [:] }
        var details: [String: InteractionDetail] = [:]
        for row in try await sql.select().column("key").column("occurred_at").column("summary").column("duration_minutes").from("interactions")
            .where("workspace_id", .equal, id).where("key", .in, keys).all() {
            let key = try row.decode(column: "key", as: String.self)
            details[key] = InteractionDetail(occurredAt: try row.decode(column: "occurred_at", as: String?.self),
                                             summary: try row.decode(column: "summary", as: String?.self),
                                             durationMinutes: try row.decode(column: "duration_minutes",
                                                     as: Int64?.self).map { Int($0) })
        }
        return details
    }
}

/// What is stored of an interaction besides what the assessment reads.
public struct InteractionDetail: Sendable, Equatable {
    public var occurredAt: String?
    public var summary: String?
    public var durationMinutes: Int?
}
