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
        var state: AssessmentState
        var asOf: LocalDate { state.asOf }
        var snapshot: Snapshot { state.snapshot }
        var report: AssessmentReport { state.report }
        /// People's names by key, from the state's index: a page looks up a few, and a
        /// dictionary of everyone per request (twenty thousand on xl) cost more than the page.
        var personNames: PersonNames { PersonNames(state: state) }
    }

    struct PersonNames: NameLookup {
        let state: AssessmentState
        subscript(key: String) -> String? { state.name(ofPerson: key) }
    }

    private var entry: Entry?
    private var pending: (revision: Int64, asOf: LocalDate, task: Task<Entry, any Error>)?
    /// How many times the workspace was read from the database, and how many times a change made
    /// by this process was folded into the one in memory instead (tests and the log read them).
    private(set) var reloads = 0
    private(set) var deltas = 0

    /// A change this process has just committed as `revision`: when the cache holds the revision
    /// before it, the change is folded into the assessment in memory (recomputing only what it
    /// touches, without reading the database) before this returns, so the next request finds it
    /// current; otherwise (another process wrote in between, a reload is under way, or nothing is
    /// cached) the next request reloads as usual.
    func apply(revision: Int64, change: (inout AssessmentState) -> Bool) {
        guard var current = entry, current.revision == revision - 1, pending == nil || pending!.revision < revision else { return }
        // Only `current` holds the workspace now (unless a request is still reading it), so the
        // change does not copy it.
        entry = nil
        if change(&current.state) {
            current.revision = revision
            deltas += 1
        }
        entry = current
    }

    /// Keeps what a pending computation gave, unless something newer is there.
    private func settle(_ task: Task<Entry, any Error>) async throws -> Entry {
        do {
            let computed = try await task.value
            if pending?.task == task { pending = nil }
            // A slower computation of an older revision never replaces a newer one.
            if (entry?.revision ?? -1) <= computed.revision {
                entry = computed
                Allocator.releaseFreed()
            }
            return computed
        } catch {
            if pending?.task == task { pending = nil }
            throw error
        }
    }

    func entry(revision: Int64, asOf: LocalDate, compute: @escaping @Sendable () async throws -> Entry) async throws -> Entry {
        if let entry, entry.revision == revision, entry.asOf == asOf { return entry }
        if let pending, pending.revision == revision, pending.asOf == asOf {
            if let computed = try? await pending.task.value { return computed }
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
            let clock = ContinuousClock(), start = clock.now
            let snapshot = try await SnapshotLoader(sql: sql, workspaceID: workspaceID).load(salesFrom: AssessmentState.firstSalesMonth(asOf: asOf))
            let loaded = clock.now
            AssessmentMetrics.duration(.load).record(duration: loaded - start)
            var state = AssessmentState(snapshot, asOf: asOf)
            state.prepareForChanges()
            AssessmentMetrics.duration(.full).record(duration: clock.now - loaded)
            return AssessmentCache.Entry(revision: revision, state: state)
        }
    }
}

extension Request {
    /// Brings the cached assessment up to a new interaction this request has just saved (see `AssessmentCache.apply`).
    func applyToCache(_ interaction: Interaction, revision: Int64) async {
        guard let cache = application.storage[AssessmentCacheKey.self], let date = InteractionTime(interaction.date)?.date else { return }
        await cache.apply(revision: revision) { state in
            let people = interaction.participantKeys.compactMap(state.person(withKey:))
            guard people.count == interaction.participantKeys.count, let initiator = state.person(withKey: interaction.initiatorKey) else { return false }
            let clock = ContinuousClock(), start = clock.now
            defer { AssessmentMetrics.duration(.incremental).record(duration: clock.now - start) }
            return state.add(Snapshot.Interaction(key: interaction.key, date: date, kind: interaction.kind, initiator: initiator,
                                                  participants: people, durationMinutes: interaction.durationMinutes))
        }
    }
}

/// Names by key, however they are held.
protocol NameLookup {
    subscript(key: String) -> String? { get }
}

extension Dictionary: NameLookup where Key == String, Value == String {}
