import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// One person: their career across organizations, their relationships across the fence with a
/// strength line for the last two years, and their recent interactions.
enum PersonShow {
    /// The person as a vCard 4.0 file, for an address book.
    static func vcard(_ req: Request) async throws -> Response {
        let key = try req.key()
        guard let card = try await req.workspace.vCards(person: key) else {
            throw StoreError.notFound(kind: "person", key: key)
        }
        let filename = Matching.slug(key).isEmpty ? "person" : Matching.slug(key)
        return Response(status: .ok, headers: ["Content-Type": "text/vcard; charset=utf-8", "Cache-Control": "no-store",
                                               "Content-Disposition": "attachment; filename=\"\(filename).vcf\""], body: .init(string: card))
    }

    static func render(_ req: Request) async throws -> Response {
        view(req, try await Model(try req.workspace, key: try req.key(), asOf: req.today))
    }

    /// What the page asks of the workspace: the person with their jobs, the assessment as of the
    /// day, the strength of each of their relationships at the quarter ends of the last two
    /// years, and their latest interactions.
    struct Model {
        var person: Person
        var assessed: AssessedWorkspace
        var histories: [(home: String, counterpart: String, strengths: [Double])]
        /// Their relationships as of the day, by the two people's keys.
        var relationships: [String: Relationship]
        var recent: [Interaction]

        init(_ workspace: TandemWorkspace, key: String, asOf: LocalDate) async throws {
            person = try await workspace.person(key: key)
            assessed = try await workspace.assessed(asOf: asOf)
            let state = assessed.state, today = assessed.asOf
            // Quarter ends over the last two years, for the strength lines.
            let dates = (0...8).reversed().map { today.adding(days: -91 * $0) }
            histories = state.strengthHistories(of: key, dates: dates)
            relationships = Dictionary(assessed.report.relationships.filter { $0.homePerson == key || $0.counterpartPerson == key }
                .map { (Self.pair($0.homePerson, $0.counterpartPerson), $0) }, uniquingKeysWith: { first, _ in first })
            var query = ListQuery()
            query.limit = 20
            query.person = key
            recent = try await workspace.interactions(query).items
        }

        static func pair(_ home: String, _ counterpart: String) -> String { "\(home)\u{1F}\(counterpart)" }
    }
}
