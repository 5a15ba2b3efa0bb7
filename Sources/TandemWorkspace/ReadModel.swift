import Foundation
import Metrics
import Synchronization
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

/// What an answer computed from the read model depends on, so that a cache of answers can keep
/// those a change did not touch (`ReadModel.changes(from:to:)`).
public enum ReadDependency: Hashable, Sendable {
    /// The workspace-wide figures: the dashboard's tiles, alerts and portfolio.
    case dashboard
    /// One organization's assessment, relationships, branches' coverage and alerts.
    case organization(String)
    /// One person's dealings and relationships.
    case person(String)
    /// One relationship: its strength over time and the two people's dealings together.
    case pair(home: String, counterpart: String)
    /// The coverage of any branch (the territory pages).
    case coverage
    /// Any list of dealings.
    case interactions
    /// The dealings of one person.
    case interactionsOf(String)
    /// The directory's lists: territories, organizations, branches, people, employments.
    case directory
}

/// The read model of one workspace in this process: the workspace in memory and its assessment as
/// of today, recomputed only when the workspace's revision has moved in a way it cannot fold in
/// (a change without a record, such as a directory edit) or the day has changed. Requests that find
/// it stale at the same time share one computation.
///
/// The workspace's own new dealings are queued here when their write commits (`queue`) and folded
/// in, many at once, when a read needs them; another process's are read from the database's record
/// of changes. Either way they come in through the feed (`catchUp`). The model holds what the
/// assessment made of the dealings and each pair's dealings as it reads them, not the interactions
/// (`AssessmentState.releaseInteractions`). A read that may lag others' writes a little
/// (`current(atLeast:...)`) takes what is held, caught up at most once per `window`: so under a steady stream of writes
/// the model folds dealings in batches, not one by one. Each folded change is logged with what it
/// touched, for the caches of answers.
actor ReadModel {
    private var entry: AssessedWorkspace?
    private var pending: (revision: Int64, asOf: LocalDate, task: Task<AssessedWorkspace, any Error>)?
    /// Dealings this process has committed and not yet folded in, by revision, oldest first.
    private var queued: [(revision: Int64, interaction: Interaction)] = []
    /// Queued dealings beyond this many are let go, oldest first: they are read from the record.
    static let queuedAtMost = 256
    /// What is held, for the reads that can take it without waiting for the actor (which may be
    /// folding changes in or reading the workspace): `current(atLeast:...)`'s quick answer.
    private struct Held {
        var revision: Int64
        var asOf: LocalDate
        /// When the held revision was last seen to be the database's latest: everything committed
        /// before then is in what is held (which only grows), so it stays true as that moves on.
        var verifiedAt: ContinuousClock.Instant?
    }
    private nonisolated let held = Mutex<Held?>(nil)

    /// Tells the quick reads what is held now.
    private func publish() {
        guard let entry else { return }
        held.withLock { held in
            let verifiedAt = held?.asOf == entry.asOf ? held?.verifiedAt : nil
            held = Held(revision: entry.revision, asOf: entry.asOf, verifiedAt: verifiedAt)
        }
    }

    private func verified(at now: ContinuousClock.Instant) {
        held.withLock { $0?.verifiedAt = now }
    }

    private var verifiedAt: ContinuousClock.Instant? { held.withLock { $0?.verifiedAt } }

    /// `current(atLeast:latest:asOf:window:)` when what is held will do, without waiting for the
    /// actor: nil when it takes catching up.
    nonisolated func quickly(atLeast required: Int64, latest: Int64, asOf: LocalDate, window: Duration,
                             now: ContinuousClock.Instant = .now) -> Int64? {
        held.withLock { held in
            guard let current = held, current.asOf == asOf else { return nil }
            if current.revision >= latest {
                held!.verifiedAt = now
                return current.revision
            }
            guard current.revision >= required, let verifiedAt = current.verifiedAt, now - verifiedAt < window else { return nil }
            return current.revision
        }
    }
    /// What each folded revision touched, the latest `logged` of them.
    private var log: [Int64: Set<ReadDependency>] = [:]
    static let logged = 1024
    /// How many times the workspace was read from the database, and how many changes were folded
    /// into the one in memory instead (tests and the log read them).
    private(set) var reloads = 0
    private(set) var deltas = 0

    /// A dealing this process has just committed as `revision`, to be folded in when a read needs
    /// it: reads that must show it (its writer's) fold it in first.
    func queue(revision: Int64, interaction: Interaction) {
        if let last = queued.last, last.revision + 1 != revision { queued = [] }
        queued.append((revision, interaction))
        if queued.count > Self.queuedAtMost { queued.removeFirst(queued.count - Self.queuedAtMost) }
    }

    /// The queued dealings of the revisions right after `revision`, in a row (the feed folds them
    /// in without reading the record of them); the older ones are let go.
    private func queuedRun(after revision: Int64) -> [Interaction] {
        queued.removeAll { $0.revision <= revision }
        guard queued.first?.revision == revision + 1 else { return [] }
        var count = 1
        while count < queued.count, queued[count].revision == queued[count - 1].revision + 1 { count += 1 }
        return queued.prefix(count).map(\.interaction)
    }

    /// The revision a read that must show `required` (its user's own writes), and may otherwise lag
    /// the database's `latest` by what came in the last `window`, reads at: what is held when that
    /// will do, else what is held once caught up with `latest` (the queued dealings, then the
    /// record of other processes'). Nil when the model cannot be brought there without reading the
    /// whole workspace again, or holds nothing as of `asOf`: the read then reads the latest.
    func current(atLeast required: Int64, latest: Int64, asOf: LocalDate, window: Duration, feed: Feed? = nil,
                 now: ContinuousClock.Instant = .now) async -> Int64? {
        guard let held = entry, held.asOf == asOf else { return nil }
        if held.revision >= latest {
            verified(at: now)
            return held.revision
        }
        if held.revision >= required, let verifiedAt, now - verifiedAt < window { return held.revision }
        if let feed { _ = await catchUp(to: latest, asOf: asOf, feed: feed) }
        guard let caughtUp = entry, caughtUp.asOf == asOf, caughtUp.revision >= latest else { return nil }
        verified(at: now)
        return caughtUp.revision
    }

    /// A change this process has just made as `revision`: when the model holds the revision before
    /// it, the change is folded into the assessment in memory (recomputing only what it touches,
    /// without reading the database); otherwise (another process wrote in between, a reload is
    /// under way, or nothing is held) the next read catches up or reloads as usual. `change`
    /// returns what it touched, or nil when it could not fold the change in.
    func apply(revision: Int64, change: (inout AssessmentState) -> Set<ReadDependency>?) {
        apply(revisions: revision...revision, change: change)
    }

    /// `apply(revision:change:)` for the changes of several revisions in a row, folded in at once.
    func apply(revisions: ClosedRange<Int64>, change: (inout AssessmentState) -> Set<ReadDependency>?) {
        let revision = revisions.upperBound
        guard var current = entry, current.revision == revisions.lowerBound - 1,
              pending.map({ $0.revision < revision }) ?? true else { return }
        // Only `current` holds the workspace now (unless a request is still reading it), so the
        // change does not copy it.
        entry = nil
        if let touched = change(&current.state) {
            current.revision = revision
            deltas += revisions.count
            for folded in revisions {
                log[folded] = touched
                log[folded - Int64(Self.logged)] = nil
            }
        }
        entry = current
        publish()
    }

    /// What changed from revision `from` to revision `to`: nil when some of it is not known (a
    /// write of another process, one this process did not fold in, or older than the log).
    func changes(from: Int64, to: Int64) -> Set<ReadDependency>? {
        guard to > from else { return [] }
        guard from >= to - Int64(Self.logged) else { return nil }
        var touched: Set<ReadDependency> = []
        for revision in (from + 1)...to {
            guard let logged = log[revision] else { return nil }
            touched.formUnion(logged)
        }
        return touched
    }

    /// Keeps what a pending computation gave, unless something newer is there.
    private func settle(_ task: Task<AssessedWorkspace, any Error>) async throws -> AssessedWorkspace {
        do {
            let computed = try await task.value
            if pending?.task == task { pending = nil }
            // A slower computation of an older revision never replaces a newer one.
            if (entry?.revision ?? -1) <= computed.revision {
                entry = computed
                publish()
                Allocator.releaseFreed()
            }
            return computed
        } catch {
            if pending?.task == task { pending = nil }
            throw error
        }
    }

    /// What some revisions in a row changed, as the change to the assessment in memory that folds
    /// it all in at once (returning what it touched, or nil when it cannot be folded in).
    struct Change: Sendable {
        var revisions: ClosedRange<Int64>
        var fold: @Sendable (inout AssessmentState) -> Set<ReadDependency>?
    }

    /// What the revisions after the first, up to the second, changed (nil when it cannot be folded
    /// in), given the dealings this process queued for the revisions right after the first, in a
    /// row (the change may stop after them): `TandemWorkspace.feed(after:through:queued:)`.
    typealias Feed = @Sendable (Int64, Int64, [Interaction]) async throws -> Change?

    /// The workspace assessed as of `asOf`, at `revision` or later. The dealings this process queued
    /// are folded in, and the changes of another process read from the database's record of them
    /// (`feed`); when that cannot be done, or nothing is held, the whole workspace is read again
    /// (`compute`), once for the requests that find it stale at the same time.
    func entry(revision: Int64, asOf: LocalDate, feed: Feed? = nil,
               compute: @escaping @Sendable () async throws -> AssessedWorkspace) async throws -> AssessedWorkspace {
        // What is held is at least as new as the revision the request read (a write of this
        // process may have been folded in since).
        if let entry, entry.asOf == asOf, entry.revision >= revision { return entry }
        if let feed, pending == nil, await catchUp(to: revision, asOf: asOf, feed: feed),
           let entry, entry.asOf == asOf, entry.revision >= revision {
            return entry
        }
        if let pending, pending.revision == revision, pending.asOf == asOf {
            if let computed = try? await pending.task.value { return computed }
        }
        let task = Task { try await compute() }
        pending = (revision, asOf, task)
        reloads += 1
        return try await settle(task)
    }

    /// The catch-up under way: the revision it brings the model to, and whether it got there.
    private var catchingUp: (revision: Int64, task: Task<Bool, Never>)?
    /// How many changes were folded in from the database's record of them (other processes'),
    /// not from the queue of this one's.
    private(set) var caughtUp = 0

    /// Brings what is held up to `revision` through the feed (the dealings queued here, then the
    /// record of the changes after it), one catch-up for the requests that find it behind at the
    /// same time; false when it cannot (or nothing is held as of `asOf`).
    func catchUp(to revision: Int64, asOf: LocalDate, feed: @escaping Feed) async -> Bool {
        while let held = entry, held.asOf == asOf {
            if held.revision >= revision { return true }
            if let catching = catchingUp {
                // Another request's catch-up, perhaps to an older revision: wait for it, then go on
                // from where it got.
                guard await catching.task.value else { return false }
                if catchingUp?.task == catching.task { catchingUp = nil }
                continue
            }
            let from = held.revision
            let task = Task { await self.fold(after: from, through: revision, feed: feed) }
            catchingUp = (revision, task)
            let done = await task.value
            if catchingUp?.task == task { catchingUp = nil }
            // The queued dealings may have brought it only part of the way: the record has the rest.
            guard done else { return false }
        }
        return false
    }

    private func fold(after: Int64, through: Int64, feed: Feed) async -> Bool {
        let queued = queuedRun(after: after)
        guard let change = try? await feed(after, through, queued), change.revisions.lowerBound == after + 1,
              change.revisions.upperBound <= through else {
            return false
        }
        apply(revisions: change.revisions, change: change.fold)
        guard entry?.revision == change.revisions.upperBound else { return false }
        if queued.isEmpty { caughtUp += change.revisions.count }
        return true
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

extension ReadDependency {
    /// What a new dealing of `people` (keys) changed, from the report before it was folded in and
    /// after: the workspace-wide figures and every list of dealings, its people and the pairs
    /// among them, and each organization whose assessment, relationships, branches' coverage or
    /// alerts differ (the norm moves with every dealing, so another counterpart's classification
    /// may change too).
    static func touched(byDealingOf people: Set<String>, before: (assessments: [Assessment],
                                                                  coverage: [BranchCoverage], alerts: [Alert]),
                        after: AssessmentReport) -> Set<ReadDependency> {
        var touched: Set<ReadDependency> = [.dashboard, .interactions]
        for key in people {
            touched.insert(.person(key))
            touched.insert(.interactionsOf(key))
        }
        // By position: a loop over the elements would copy every relationship (tens of thousands).
        let relationships = after.relationships
        for index in relationships.indices
        where people.contains(relationships[index].homePerson)
            && people.contains(relationships[index].counterpartPerson) {
            let relationship = relationships[index]
            touched.insert(.pair(home: relationship.homePerson, counterpart: relationship.counterpartPerson))
            if let organization = relationship.counterpartOrganization { touched.insert(.organization(organization)) }
        }
        // Side by side when the rows are the same ones in the same order (a dealing seldom adds an
        // assessed counterpart, and coverage rows are replaced in place): no dictionary of either.
        if before.assessments.count == after.assessments.count,
           zip(before.assessments, after.assessments).allSatisfy({ $0.organizationKey == $1.organizationKey }) {
            for (old, new) in zip(before.assessments, after.assessments) where old != new {
                touched.insert(.organization(new.organizationKey))
            }
        } else {
            let assessed = Dictionary(before.assessments.map { ($0.organizationKey, $0) },
                                      uniquingKeysWith: { first, _ in first })
            for assessment in after.assessments where assessed[assessment.organizationKey] != assessment {
                touched.insert(.organization(assessment.organizationKey))
            }
            let still = Set(after.assessments.map(\.organizationKey))
            for key in assessed.keys where !still.contains(key) { touched.insert(.organization(key)) }
        }
        if before.coverage.count == after.coverage.count {
            for (old, new) in zip(before.coverage, after.coverage) where old != new {
                touched.formUnion([.coverage, .organization(old.organizationKey), .organization(new.organizationKey)])
            }
        } else {
            touched.insert(.coverage)
            for row in before.coverage + after.coverage { touched.insert(.organization(row.organizationKey)) }
        }
        if before.alerts != after.alerts {
            func key(_ alert: Alert) -> String {
                [alert.kind.rawValue, alert.organizationKey ?? "", alert.personKeys.joined(separator: ","),
                 alert.date?.description ?? "", alert.message]
                    .joined(separator: "\u{1F}")
            }
            let old = Set(before.alerts.map(key)), new = Set(after.alerts.map(key))
            for alert in before.alerts + after.alerts where old.contains(key(alert)) != new.contains(key(alert)) {
                if let organization = alert.organizationKey { touched.insert(.organization(organization)) }
            }
        }
        return touched
    }
}
