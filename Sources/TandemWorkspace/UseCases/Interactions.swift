import Foundation
import TandemCore
import TandemStore

/// Dealings between people: logging one, correcting it, removing it, and reading them.
extension TandemWorkspace {
    public func interactions(_ query: ListQuery) async throws -> ListPage<Interaction> {
        try await directory.interactions(query)
    }

    public func interaction(key: String) async throws -> Interaction { try await directory.interaction(key: key) }

    /// Logs a new dealing. It is folded into the read model (only the pairs, findings, branches
    /// and alerts it touches are recomputed) before this returns, so the caller's next read
    /// shows it.
    public func logInteraction(_ draft: InteractionDraft) async throws -> Interaction {
        try await write {
            let (saved, revision) = try await directory.saveInteractionAndRevision(draft)
            await fold(saved, revision: revision)
            return saved
        }
    }

    /// Replaces the dealing with key `existing`.
    public func replaceInteraction(_ draft: InteractionDraft, existing: String) async throws -> Interaction {
        try await write { try await directory.saveInteraction(draft, existing: existing) }
    }

    /// Brings the read model up to a new interaction this process has just saved as `revision`.
    private func fold(_ interaction: Interaction, revision: Int64) async {
        await readModel.apply(revision: revision, change: Self.folding(interaction))
    }

    /// The change to the assessment in memory that folds in a new interaction (only the pairs,
    /// findings, branches and alerts it touches are recomputed), returning what it touched; nil
    /// when it cannot be folded in (it names someone the assessment does not know).
    static func folding(_ interaction: Interaction) -> @Sendable (inout AssessmentState) -> Set<ReadDependency>? {
        { state in
            guard let date = InteractionTime(interaction.date)?.date else { return nil }
            let people = interaction.participantKeys.compactMap(state.person(withKey:))
            guard people.count == interaction.participantKeys.count,
                  let initiator = state.person(withKey: interaction.initiatorKey) else {
                return nil
            }
            let clock = ContinuousClock(), start = clock.now
            defer { AssessmentMetrics.duration(.incremental).record(duration: clock.now - start) }
            // Not the whole report: holding it would make the change copy every relationship.
            let before = (assessments: state.report.assessments, coverage: state.report.coverage,
                          alerts: state.report.alerts)
            let dealing = Snapshot.Interaction(key: interaction.key, date: date, kind: interaction.kind,
                                               initiator: initiator, participants: people,
                                               durationMinutes: interaction.durationMinutes)
            guard state.add(dealing) else { return nil }
            return ReadDependency.touched(byDealingOf: Set(interaction.participantKeys + [interaction.initiatorKey]),
                                          before: before, after: state.report)
        }
    }

    /// The changes another process made after revision `after` up to `through`, each as the
    /// change to the assessment in memory that folds it in; nil when one of them cannot be
    /// (`WorkspaceRepository.changes`), so the read model reads the workspace again.
    func feed(after: Int64, through: Int64) async throws -> [ReadModel.Change]? {
        guard let changes = try await WorkspaceRepository(sql: sql).changes(of: id, after: after, through: through) else {
            return nil
        }
        let directory = try directory
        var folds: [ReadModel.Change] = []
        for change in changes {
            switch change.kind {
            case .interactionAdded:
                guard let interaction = try? await directory.interaction(key: change.subject) else { return nil }
                folds.append(ReadModel.Change(revision: change.revision, fold: Self.folding(interaction)))
            }
        }
        return folds
    }

    /// How many times this process read the workspace into its read model, and how many of its
    /// own changes it folded in instead (tests read them).
    public func readModelCounts() async -> (reloads: Int, deltas: Int) {
        (await readModel.reloads, await readModel.deltas)
    }
}
