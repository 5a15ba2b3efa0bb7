import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// People and organizations by name or key, and the suggestions of the forms' people fields.
enum SearchPage {
    static func render(_ req: Request) async throws -> Response {
        let query = req.parameter("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        return view(req, try await Model(try req.workspace, query: query, asOf: req.today))
    }

    /// Suggestions for the people fields of the forms, as JSON: `[{key, name, detail}]`.
    static func suggest(_ req: Request) async throws -> [Finder.Match] {
        guard let query = req.parameter("q"), query.count <= 200 else { return [] }
        return Finder(snapshot: try await req.workspace.assessed(asOf: req.today).snapshot).people(matching: query, limit: 12)
    }

    /// What the page asks of the workspace: the people and organizations whose name or key
    /// holds the query, fifty of each at most.
    struct Model {
        var query: String
        var people: [Finder.Match]
        var organizations: [Finder.Match]

        init(_ workspace: TandemWorkspace, query: String, asOf: LocalDate) async throws {
            self.query = query
            let finder = Finder(snapshot: try await workspace.assessed(asOf: asOf).snapshot)
            people = finder.people(matching: query, limit: 50)
            organizations = finder.organizations(matching: query, limit: 50)
        }
    }
}
