import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// The start page. For the home company: the backbone's health (a heat map of counterpart
/// organizations by territory, with the gaps and single-threaded branches), what to act on, and
/// the partnership portfolio. For a partner guest: their partnerships.
enum Dashboard {
    static func render(_ req: Request) async throws -> Response {
        guard let principal = req.principal else { throw Abort(.unauthorized) }
        let workspace = try req.workspace
        if principal.isGuest { return guestView(req, await guestPartnerships(principal, in: workspace)) }
        return view(req, try await Model(workspace, asOf: req.today, territory: req.parameter("territory"),
                                          classification: req.parameter("classification").flatMap(Classification.init(rawValue:)),
                                          coverageFrom: req.parameter("coverage_from").flatMap(Int.init) ?? 0,
                                          portfolioFrom: req.parameter("portfolio_from").flatMap(Int.init) ?? 0))
    }

    /// What the home company's start page asks of the workspace: its assessment as of today and
    /// the territories' names, with the territory, classification and list positions asked for.
    struct Model {
        var snapshot: Snapshot
        var report: AssessmentReport
        var territoryNames: [String: String]
        /// A territory of the workspace, or nil for all.
        var territory: String?
        var classification: Classification?
        var coverageFrom: Int
        var portfolioFrom: Int

        init(_ workspace: TandemWorkspace, asOf: LocalDate, territory: String?, classification: Classification?, coverageFrom: Int,
             portfolioFrom: Int) async throws {
            let assessed = try await workspace.assessed(asOf: asOf)
            let snapshot = assessed.snapshot
            self.snapshot = snapshot
            report = assessed.report
            territoryNames = try await workspace.territoryNames()
            self.territory = territory.flatMap { code in snapshot.territories.contains { $0.code == code } ? code : nil }
            self.classification = classification
            self.coverageFrom = coverageFrom
            self.portfolioFrom = portfolioFrom
        }
    }

    /// A partner guest's partnerships and their status; one that cannot be read is left out.
    static func guestPartnerships(_ principal: Principal, in workspace: TandemWorkspace) async -> [(key: String, status: String)] {
        var items: [(key: String, status: String)] = []
        for key in principal.partnershipKeys {
            if let view = try? await workspace.partnership(key: key) { items.append((key, view.status.rawValue)) }
        }
        return items
    }
}
