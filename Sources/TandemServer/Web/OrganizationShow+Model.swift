import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// One organization: for a counterpart, its classification with the five tests and their
/// evidence, the order-seeker panel, its relationships with us, its branches and their
/// coverage, and the sales and profit both sides make on our lines there.
enum OrganizationShow {
    static func render(_ req: Request) async throws -> Response {
        view(req, try await Model(try req.workspace, key: try req.key(), asOf: req.today))
    }

    /// What the page asks of the workspace: the organization, its assessment as of the day, and
    /// (for a counterpart) its sales rows, which the read model holds only as totals.
    struct Model {
        var organization: Organization
        var assessed: AssessedWorkspace
        var assessment: Assessment?
        var relationships: [Relationship]
        var branches: [BranchCoverage]
        /// The partnership shown: a live one before an ended one (`Dashboard.ranksBefore`).
        var partnership: Snapshot.Partnership?
        /// The workspace with this organization's sales, every month.
        var withSales: Snapshot

        init(_ workspace: TandemWorkspace, key: String, asOf: LocalDate) async throws {
            organization = try await workspace.organization(key: key)
            assessed = try await workspace.assessed(asOf: asOf)
            let snapshot = assessed.snapshot, report = assessed.report
            assessment = report.assessments.first { $0.organizationKey == key }
            relationships = report.relationships.filter { $0.counterpartOrganization == key }
            branches = report.coverage.filter { $0.organizationKey == key }
            partnership = snapshot.partnerships.filter { snapshot.organizations[$0.counterpart].key == key }.min(by: Dashboard.ranksBefore)
            withSales = organization.isHome ? snapshot : try await workspace.withSales(of: key, in: snapshot)
        }
    }
}
