import Foundation
import Metrics
import TandemCore

/// The workspace and its assessment as of a day, as a use case reads them.
public struct AssessedWorkspace: Sendable {
    /// The workspace's revision (`WorkspaceRepository.beginWrite`) this was computed at.
    public var revision: Int64
    public var state: AssessmentState
    public var asOf: LocalDate { state.asOf }
    public var snapshot: Snapshot { state.snapshot }
    public var report: AssessmentReport { state.report }
    /// People's names by key, from the state's index: a page looks up a few, and a dictionary of
    /// everyone per request (twenty thousand on xl) cost more than the page.
    public var personNames: PersonNames { PersonNames(state: state) }

    public struct PersonNames: Sendable {
        let state: AssessmentState
        public subscript(key: String) -> String? { state.name(ofPerson: key) }
    }
}

/// The read model of one workspace in this process: the workspace in memory and its assessment as
/// of today, recomputed only when the workspace's revision has moved (a write through another
/// process, or one this process could not fold in) or the day has changed. Requests that find it
/// stale at the same time share one computation. The workspace's own writes (`TandemWorkspace.write`)
/// tell it when they begin and end: while one is under way, reads are answered from what is held,
/// since the write has not been answered and folds itself in before it is.
actor ReadModel {
    private var entry: AssessedWorkspace?
    private var pending: (revision: Int64, asOf: LocalDate, task: Task<AssessedWorkspace, any Error>)?
    private var localWrites = 0
    /// How many times the workspace was read from the database, and how many times a change made
    /// by this process was folded into the one in memory instead (tests and the log read them).
    private(set) var reloads = 0
    private(set) var deltas = 0

    func beginLocalWrite() { localWrites += 1 }

    func endLocalWrite() { localWrites -= 1 }

    /// A change this process has just committed as `revision`: when the model holds the revision
    /// before it, the change is folded into the assessment in memory (recomputing only what it
    /// touches, without reading the database) before this returns, so the next request finds it
    /// current; otherwise (another process wrote in between, a reload is under way, or nothing is
    /// held) the next request reloads as usual.
    func apply(revision: Int64, change: (inout AssessmentState) -> Bool) {
        guard var current = entry, current.revision == revision - 1, pending.map({ $0.revision < revision }) ?? true else { return }
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
    private func settle(_ task: Task<AssessedWorkspace, any Error>) async throws -> AssessedWorkspace {
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

    func entry(revision: Int64, asOf: LocalDate,
               compute: @escaping @Sendable () async throws -> AssessedWorkspace) async throws -> AssessedWorkspace {
        if let entry, entry.asOf == asOf {
            // What is held is at least as new as the revision the request read (a write of this
            // process may have been folded in since).
            if entry.revision >= revision { return entry }
            // The newer revision is a write of this process under way, which folds itself in
            // before it answers.
            if localWrites > 0, pending == nil { return entry }
        }
        if let pending, pending.revision == revision, pending.asOf == asOf {
            if let computed = try? await pending.task.value { return computed }
        }
        let task = Task { try await compute() }
        pending = (revision, asOf, task)
        reloads += 1
        return try await settle(task)
    }
}

/// How long the read model takes: loading the workspace, assessing it in full, folding one new
/// interaction in (`tandem_assessment_duration_seconds` by phase).
enum AssessmentMetrics {
    enum Phase: String {
        case load, full, incremental
    }

    static func duration(_ phase: Phase) -> Metrics.Timer {
        Metrics.Timer(label: "tandem_assessment_duration_seconds", dimensions: [("phase", phase.rawValue)])
    }
}
