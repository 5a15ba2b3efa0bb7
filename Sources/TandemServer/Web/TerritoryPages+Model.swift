import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// The territory tree, each territory with its counterpart branches and their coverage.
enum TerritoryIndex {
    static func render(_ req: Request) async throws -> Response {
        view(req, try await Model(try req.workspace, asOf: req.today))
    }

    /// What the page asks of the workspace: the territories, their names and the coverage of
    /// every counterpart branch as of the day.
    struct Model {
        var tree: TerritoryTree
        var names: [String: String]

        init(_ workspace: TandemWorkspace, asOf: LocalDate) async throws {
            let assessed = try await workspace.assessed(asOf: asOf)
            tree = TerritoryTree(snapshot: assessed.snapshot, coverage: assessed.report.coverage)
            names = try await workspace.territoryNames()
        }
    }
}

/// One territory with its branches, their coverage, and the territories below it.
enum TerritoryShow {
    static func render(_ req: Request) async throws -> Response {
        view(req, try await Model(try req.workspace, code: try req.key("code"), asOf: req.today),
             coverageFrom: req.parameter("coverage_from").flatMap(Int.init) ?? 0,
             branchesFrom: req.parameter("branches_from").flatMap(Int.init) ?? 0)
    }

    /// What the page asks of the workspace: the territory, the tree and the coverage of the
    /// counterpart branches in it and below it as of the day.
    struct Model {
        var territory: Territory
        var assessed: AssessedWorkspace
        var tree: TerritoryTree
        var branches: [BranchCoverage]
        var names: [String: String]

        init(_ workspace: TandemWorkspace, code: String, asOf: LocalDate) async throws {
            territory = try await workspace.territory(code: code)
            assessed = try await workspace.assessed(asOf: asOf)
            tree = TerritoryTree(snapshot: assessed.snapshot, coverage: assessed.report.coverage)
            branches = tree.below(code)
            names = try await workspace.territoryNames()
        }
    }
}
