import Foundation
import TandemCore
import TandemStore
import Vapor

extension PartnershipView: Content {}
extension PartnershipDetail: Content {}
extension GoalView: Content {}
extension PledgeView: Content {}
extension ContributionView: Content {}
extension RiskView: Content {}
extension ReviewView: Content {}

extension Request {
    /// The partnerships of the served workspace.
    var partnerships: PartnershipRepository {
        get throws { try PartnershipRepository(database: db, workspaceID: try application.workspaceID) }
    }

    /// Today in UTC: goals are on or off track as of today.
    var today: LocalDate { LocalDate(Date(), in: TimeZone(identifier: "UTC")!) }
}

/// A partnership's lifecycle and the records both sides share: goals and their progress,
/// pledges and contributions (confirmed by the other side), risks and business reviews.
struct PartnershipController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("partnerships")
        group.get { req -> ListPage<PartnershipView> in
            let query = try ListQuery(req)
            var checks = FieldChecks()
            let status = req.query[String.self, at: "status"].flatMap { $0.isEmpty ? nil : $0 }
            if let status, PartnershipStatus(rawValue: status) == nil { checks.fail("status", "\"\(status)\" is not one of \(PartnershipStatus.spellings)") }
            try checks.throwIfAny()
            return try await req.partnerships.list(limit: query.limit, cursor: query.cursor, counterpart: query.organization, status: status)
        }
        group.post { req in
            let detail = try await req.partnerships.propose(try req.body(PartnershipDraft.self), asOf: req.today)
            return try await created(detail, at: "/api/v1/partnerships/\(pathComponent(detail.partnership.key))")
        }
        group.get(":key") { req in try await req.partnerships.detail(key: try req.key(), asOf: req.today) }
        for (path, status) in [("activate", PartnershipStatus.active), ("suspend", .suspended), ("end", .ended)] {
            group.post(":key", PathComponent(stringLiteral: path)) { req in
                try await req.partnerships.change(try req.key(), to: status, try req.body(StatusChangeDraft.self), asOf: req.today)
            }
        }
        group.post(":key", "goals") { req in
            let goal = try await req.partnerships.addGoal(to: try req.key(), try req.body(GoalDraft.self), asOf: req.today)
            return try await created(goal, at: "/api/v1/partnerships/\(pathComponent(goal.partnershipKey))")
        }
        group.post(":key", "pledges") { req in
            let pledge = try await req.partnerships.addPledge(to: try req.key(), try req.body(PledgeDraft.self), asOf: req.today)
            return try await created(pledge, at: "/api/v1/partnerships/\(pathComponent(pledge.partnershipKey))")
        }
        group.post(":key", "risks") { req in
            let risk = try await req.partnerships.addRisk(to: try req.key(), try req.body(RiskDraft.self))
            return try await created(risk, at: "/api/v1/partnerships/\(pathComponent(risk.partnershipKey))")
        }
        group.post(":key", "reviews") { req in
            let review = try await req.partnerships.addReview(to: try req.key(), try req.body(ReviewDraft.self), asOf: req.today)
            return try await created(review, at: "/api/v1/partnerships/\(pathComponent(review.partnershipKey))")
        }
        routes.post("goals", ":key", "progress") { req in
            try await req.partnerships.measure(goal: try req.key(), try req.body(MeasurementDraft.self), asOf: req.today)
        }
        routes.post("pledges", ":key", "contributions") { req in
            let contribution = try await req.partnerships.addContribution(to: try req.key(), try req.body(ContributionDraft.self), asOf: req.today)
            return try await created(contribution, at: "/api/v1/contributions/\(contribution.id)")
        }
        routes.post("contributions", ":id", "confirm") { req in
            guard let text = req.parameters.get("id"), let id = Int64(text), id > 0 else {
                throw StoreError.notFound(kind: "contribution", key: req.parameters.get("id") ?? "")
            }
            return try await req.partnerships.confirm(contribution: id, try req.body(ConfirmationDraft.self), asOf: req.today)
        }
    }
}
