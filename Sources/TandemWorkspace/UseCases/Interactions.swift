import Foundation
import TandemCore
import TandemStore

/// Dealings between people: logging one, correcting it, removing it, and reading them.
extension TandemWorkspace {
    public func interactions(_ query: ListQuery) async throws -> ListPage<Interaction> {
        try await directory.interactions(query)
    }

    public func interaction(key: String) async throws -> Interaction { try await directory.interaction(key: key) }

    /// Logs a new dealing. It is queued for the read model, which folds it in (recomputing only
    /// the pairs, findings, branches and alerts it touches, together with the other dealings
    /// queued) as soon as a read must show it: the caller's next read (`readRevision(atLeast:)`
    /// with the revision of this write) does.
    public func logInteraction(_ draft: InteractionDraft) async throws -> Interaction {
        try await write {
            let (saved, revision) = try await directory.saveInteractionAndRevision(draft)
            await readModel.queue(revision: revision, interaction: saved)
            return saved
        }
    }

    /// Replaces the dealing with key `existing`.
    public func replaceInteraction(_ draft: InteractionDraft, existing: String) async throws -> Interaction {
        try await write { try await directory.saveInteraction(draft, existing: existing) }
    }

    /// The dealings of `people` (keys) together, one person's or a pair's, as the assessment in
    /// `state` reads them, in the order they were stored (the read model does not hold them).
    public func dealings(among people: [String], in state: AssessmentState) async throws -> [Snapshot.Interaction] {
        try await directory.dealings(among: people).compactMap { Self.positioned($0, in: state) }
    }

    /// A stored dealing with its people by position in `state`; nil when it names someone the
    /// assessment does not know.
    static func positioned(_ record: DealingRecord, in state: AssessmentState) -> Snapshot.Interaction? {
        let people = record.participantKeys.compactMap(state.person(withKey:))
        guard people.count == record.participantKeys.count, let initiator = state.person(withKey: record.initiatorKey) else { return nil }
        return Snapshot.Interaction(key: record.key, date: record.date, kind: record.kind, initiator: initiator, participants: people,
                                    durationMinutes: record.durationMinutes)
    }

    /// The change to the assessment in memory that folds in new interactions (only the pairs,
    /// findings, branches and alerts they touch are recomputed, once for all of them), returning
    /// what it touched; nil when they cannot be folded in (one names someone the assessment does
    /// not know).
    static func folding(_ interactions: [Interaction]) -> @Sendable (inout AssessmentState) -> Set<ReadDependency>? {
        { state in
            var dealings: [Snapshot.Interaction] = [], keys: Set<String> = []
            for interaction in interactions {
                guard let date = InteractionTime(interaction.date)?.date else { return nil }
                let people = interaction.participantKeys.compactMap(state.person(withKey:))
                guard people.count == interaction.participantKeys.count,
                      let initiator = state.person(withKey: interaction.initiatorKey) else {
                    return nil
                }
                dealings.append(Snapshot.Interaction(key: interaction.key, date: date, kind: interaction.kind,
                                                     initiator: initiator, participants: people,
                                                     durationMinutes: interaction.durationMinutes))
                keys.formUnion(interaction.participantKeys + [interaction.initiatorKey])
            }
            let clock = ContinuousClock(), start = clock.now
            defer { AssessmentMetrics.duration(.incremental).record(duration: clock.now - start) }
            // Not the whole report: holding it would make the change copy every relationship.
            let before = (assessments: state.report.assessments, coverage: state.report.coverage,
                          alerts: state.report.alerts)
            guard state.add(dealings) else { return nil }
            return ReadDependency.touched(byDealingOf: keys, before: before, after: state.report)
        }
    }

    /// The changes after revision `after` up to `through` as one change to the assessment in
    /// memory that folds them all in: the dealings this process `queued` for the revisions right
    /// after `after` when there are any (the change then stops after them), else those of the
    /// database's record of changes (other processes' among them); nil when one of them cannot be
    /// folded in (`WorkspaceRepository.changes`), so the read model reads the workspace again.
    func feed(after: Int64, through: Int64, queued: [Interaction]) async throws -> ReadModel.Change? {
        guard through > after else { return nil }
        if !queued.isEmpty {
            let batch = Array(queued.prefix(Int(through - after)))
            return ReadModel.Change(revisions: (after + 1)...(after + Int64(batch.count)), fold: Self.folding(batch))
        }
        let record = WorkspaceRepository(sql: try sql)
        guard let changes = try await record.changes(of: id, after: after, through: through) else {
            return nil
        }
        var keys: [String] = []
        for change in changes {
            switch change.kind {
            case .interactionAdded: keys.append(change.subject)
            }
        }
        let interactions = try await directory.interactions(keys: keys)
        // One that is gone again (removed since) cannot be folded in.
        guard interactions.count == keys.count else { return nil }
        return ReadModel.Change(revisions: (after + 1)...through, fold: Self.folding(interactions))
    }

    /// How many times this process read the workspace into its read model, and how many of its
    /// own changes it folded in instead (tests read them).
    public func readModelCounts() async -> (reloads: Int, deltas: Int) {
        (await readModel.reloads, await readModel.deltas)
    }
}
