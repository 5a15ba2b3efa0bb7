import TandemCore
import TandemWorkspace
import Vapor

extension Assessment: Content {}
extension Relationship: Content {}
extension BranchCoverage: Content {}
extension Alert: Content {}

/// The assessment of the served workspace: counterparts, their five tests and classification,
/// and the relationships across the fence, as of `as_of` (default today, UTC): today's is
/// held by the workspace's read model (`TandemWorkspace.assessed`), other dates are computed per request.
struct AssessmentController: RouteCollection {
    static let maxRelationships = 5000

    func boot(routes: any RoutesBuilder) throws {
        let assessments = routes.grouped("assessments")
        assessments.get { req in try await Self.report(req).assessments }
        assessments.get(":organization_key") { req in
            let key = try req.key("organization_key")
            guard let assessment = try await Self.report(req).assessments.first(where: { $0.organizationKey == key }) else {
                throw StoreError.notFound(kind: "assessed counterpart organization", key: key)
            }
            return assessment
        }
        routes.get("coverage") { req -> [BranchCoverage] in
            let organization = req.parameter("organization")
            return try await Self.report(req).coverage.filter { row in organization.map { row.organizationKey == $0 } ?? true }
        }
        routes.get("alerts") { req -> [Alert] in
            let organization = req.parameter("organization")
            return try await Self.report(req).alerts.filter { alert in organization.map { alert.organizationKey == $0 } ?? true }
        }
        routes.get("relationships") { req -> [Relationship] in
            var checks = FieldChecks()
            var limit = 500
            if let value = req.parameter("limit") {
                if let number = Int(value), (1...Self.maxRelationships).contains(number) { limit = number }
                else { checks.fail("limit", "\"\(value)\": expected a whole number from 1 to \(Self.maxRelationships)") }
            }
            let asOf = Self.asOf(req, checks: &checks)
            try checks.throwIfAny()
            let person = req.parameter("person")
            let organization = req.parameter("organization")
            let relationships = try await req.workspace.relationships(asOf: asOf)
            return Array(relationships.filter { relationship in
                (person.map { relationship.homePerson == $0 || relationship.counterpartPerson == $0 } ?? true)
                    && (organization.map { relationship.counterpartOrganization == $0 } ?? true)
            }.prefix(limit))
        }
    }

    static func asOf(_ req: Request, checks: inout FieldChecks) -> LocalDate {
        if let value = req.parameter("as_of") {
            if let date = LocalDate(value), (1900...9000).contains(date.year) { return date }
            checks.fail("as_of", "\"\(value)\": expected a date YYYY-MM-DD between the years 1900 and 9000, e.g. 2026-06-30")
        }
        return req.today
    }

    /// As of today it comes from the read model, which is recomputed only after a change.
    static func report(_ req: Request) async throws -> AssessmentReport {
        var checks = FieldChecks()
        let asOf = asOf(req, checks: &checks)
        try checks.throwIfAny()
        return try await req.workspace.report(asOf: asOf)
    }
}
