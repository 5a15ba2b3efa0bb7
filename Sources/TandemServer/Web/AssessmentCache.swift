import Foundation
import TandemCore
import TandemStore
import Vapor

/// The workspace in memory and its assessment as of today, kept per server process and
/// recomputed only when the workspace's revision has moved (any write, through any server or the
/// command line: `WorkspaceRepository.beginWrite`) or the day has changed. Requests that find it
/// stale at the same time share one computation.
actor AssessmentCache {
    struct Entry: Sendable {
        var revision: Int64
        var asOf: LocalDate
        var snapshot: Snapshot
        var report: AssessmentReport
    }

    private var entry: Entry?
    private var pending: (revision: Int64, asOf: LocalDate, task: Task<Entry, any Error>)?
    /// How many times the workspace was read from the database, and how many times a change made
    /// by this process was applied to the one in memory instead (tests and the log read them).
    private(set) var reloads = 0
    private(set) var deltas = 0

    /// A change this process has just committed as `revision`: when the cache holds the revision
    /// before it, the change is applied to the workspace in memory and the assessment recomputed
    /// from it (without reading the database), ready for the next request; otherwise (another
    /// process wrote in between, or nothing is cached) the next request reloads as usual.
    func apply(revision: Int64, change: @escaping @Sendable (inout Snapshot) -> Bool) {
        guard let base = entry, base.revision == revision - 1, pending == nil || pending!.revision < revision else { return }
        let task = Task { () throws -> Entry in
            var snapshot = base.snapshot
            guard change(&snapshot) else { throw CancellationError() }
            return Entry(revision: revision, asOf: base.asOf, snapshot: snapshot, report: Assessor().assess(snapshot, asOf: base.asOf))
        }
        pending = (revision, base.asOf, task)
        deltas += 1
        Task { _ = try? await self.settle(task) }
    }

    /// Keeps what a pending computation gave, unless something newer is there.
    private func settle(_ task: Task<Entry, any Error>) async throws -> Entry {
        do {
            let computed = try await task.value
            if pending?.task == task { pending = nil }
            // A slower computation of an older revision never replaces a newer one.
            if (entry?.revision ?? -1) <= computed.revision { entry = computed }
            return computed
        } catch {
            if pending?.task == task { pending = nil }
            throw error
        }
    }

    func entry(revision: Int64, asOf: LocalDate, compute: @escaping @Sendable () async throws -> Entry) async throws -> Entry {
        if let entry, entry.revision == revision, entry.asOf == asOf { return entry }
        if let pending, pending.revision == revision, pending.asOf == asOf {
            if let applied = try? await pending.task.value { return applied }
        }
        let task = Task { try await compute() }
        pending = (revision, asOf, task)
        reloads += 1
        return try await settle(task)
    }
}

struct AssessmentCacheKey: StorageKey {
    typealias Value = AssessmentCache
}

extension Request {
    /// Today in UTC: what the server assesses (and goals are on or off track) as of by default.
    var today: LocalDate { LocalDate(Date(), in: TimeZone(identifier: "UTC")!) }

    /// The served workspace in memory and its assessment as of today, from the cache when the
    /// workspace has not changed since it was computed.
    func assessedWorkspace() async throws -> AssessmentCache.Entry {
        let workspaceID = try application.workspaceID
        let sql = try db.sql()
        let revision = try await WorkspaceRepository(sql: sql).revision(of: workspaceID)
        let asOf = today
        guard let cache = application.storage[AssessmentCacheKey.self] else { throw Abort(.internalServerError, reason: "no assessment cache") }
        return try await cache.entry(revision: revision, asOf: asOf) {
            let snapshot = try await SnapshotLoader(sql: sql, workspaceID: workspaceID).load()
            return AssessmentCache.Entry(revision: revision, asOf: asOf, snapshot: snapshot, report: Assessor().assess(snapshot, asOf: asOf))
        }
    }
}

extension Request {
    /// Brings the cached workspace up to a new interaction this request has just saved (see `AssessmentCache.apply`).
    func applyToCache(_ interaction: Interaction, revision: Int64) async {
        guard let cache = application.storage[AssessmentCacheKey.self], let date = InteractionTime(interaction.date)?.date else { return }
        await cache.apply(revision: revision) { snapshot in
            var index: [String: Int] = [:]
            for (position, person) in snapshot.people.enumerated() { index[person.key] = position }
            let people = interaction.participantKeys.compactMap { index[$0] }
            guard people.count == interaction.participantKeys.count, let initiator = index[interaction.initiatorKey],
                  !snapshot.interactions.contains(where: { $0.key == interaction.key }) else { return false }
            snapshot.interactions.append(Snapshot.Interaction(key: interaction.key, date: date, kind: interaction.kind, initiator: initiator,
                                                              participants: people, durationMinutes: interaction.durationMinutes))
            return true
        }
    }
}
