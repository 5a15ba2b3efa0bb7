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

    func entry(revision: Int64, asOf: LocalDate, compute: @escaping @Sendable () async throws -> Entry) async throws -> Entry {
        if let entry, entry.revision == revision, entry.asOf == asOf { return entry }
        if let pending, pending.revision == revision, pending.asOf == asOf { return try await pending.task.value }
        let task = Task { try await compute() }
        pending = (revision, asOf, task)
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
