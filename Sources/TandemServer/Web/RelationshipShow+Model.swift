import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// Two people across the fence: the strength of their relationship over three years, why it
/// stands where it does (the factors that add up to it), and every dealing they had together.
enum RelationshipShow {
    static func render(_ req: Request) async throws -> Response {
        guard let home = req.parameters.get("home"), let counterpart = req.parameters.get("counterpart") else { throw Abort(.notFound) }
        guard let model = try await Model(try req.workspace, home: home, counterpart: counterpart, asOf: req.today) else {
            throw Abort(.notFound, reason: "These two people have no dealings together on record.")
        }
        return view(req, model)
    }

    /// What the page asks of the workspace: the pair's relationship as of the day, its strength at
    /// each month end of the last three years, and their latest dealings with their summaries.
    struct Model {
        var assessed: AssessedWorkspace
        var relationship: Relationship
        var months: [LocalDate]
        var history: [Double]
        var together: (total: Int, latest: [Interaction])

        /// Nil when the two have no dealings together on record.
        init?(_ workspace: TandemWorkspace, home: String, counterpart: String, asOf: LocalDate) async throws {
            assessed = try await workspace.assessed(asOf: asOf)
            let state = assessed.state, today = assessed.asOf
            guard let relationship = assessed.report.relationships.first(where: { $0.homePerson == home && $0.counterpartPerson == counterpart }) else {
                return nil
            }
            self.relationship = relationship
            months = (0...36).reversed().map { today.adding(days: -30 * $0) }
            history = state.strengthHistories(of: counterpart, dates: months)
                .first { $0.home == home && $0.counterpart == counterpart }?.strengths ?? []
            together = try await RelationshipShow.dealings(workspace, state: state, shared: try await workspace.dealings(among: [home, counterpart], in: state),
                                                           limit: 300)
        }
    }

    /// How many interactions the two took part in (`shared`, all of them), and the most recent
    /// `limit` of them read with their summaries.
    static func dealings(_ workspace: TandemWorkspace, state: AssessmentState, shared: [Snapshot.Interaction],
                         limit: Int) async throws -> (total: Int, latest: [Interaction]) {
        let snapshot = state.snapshot
        let shared = shared.sorted { ($0.date, $0.key) > ($1.date, $1.key) }
        let keys = shared.prefix(limit).map(\.key)
        let details = try await workspace.interactionDetails(keys: Array(keys))
        return (shared.count, shared.prefix(limit).map { interaction in
            Interaction(key: interaction.key, date: details[interaction.key]?.occurredAt ?? interaction.date.description, kind: interaction.kind,
                        initiatorKey: snapshot.people[interaction.initiator].key,
                        participantKeys: interaction.participants.map { snapshot.people[$0].key },
                        durationMinutes: details[interaction.key]?.durationMinutes ?? interaction.durationMinutes, summary: details[interaction.key]?.summary)
        })
    }
}
