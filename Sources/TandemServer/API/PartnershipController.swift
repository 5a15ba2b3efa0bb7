import Foundation
import TandemCore
import TandemWorkspace
import Vapor

extension PartnershipView: Content {}
extension PartnershipDetail: Content {}
extension GoalView: Content {}
extension PledgeView: Content {}
extension ContributionView: Content {}
extension RiskView: Content {}
extension ReviewView: Content {}

/// A partnership's lifecycle and the records both sides share: goals and their progress,
/// pledges and contributions (confirmed by the other side), risks and business reviews.
///
/// A partner guest reaches only the partnerships they were invited to (any other is "not
/// found"), sees their shared space (goals, both sides' pledges and contributions, reviews
/// marked shared; no internal notes, risks or notes on status changes), adds their own side's
/// contributions and confirms the home company's; every other change is forbidden to them.
struct PartnershipController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("partnerships")
        group.get { req -> ListPage<PartnershipView> in
            let query = try ListQuery(req)
            var checks = FieldChecks()
            let status = req.parameter("status")
            if let status, PartnershipStatus(rawValue: status) == nil { checks.fail("status", "\"\(status)\" is not one of \(PartnershipStatus.spellings)") }
            try checks.throwIfAny()
            if let guest = req.guest {
                // A guest's partnerships, all on one page: paging through the counterpart's would
                // tell them how many others there are.
                var items: [PartnershipView] = []
                for key in guest.partnershipKeys.sorted() {
                    let view = try await req.workspace.partnership(key: key)
                    if status.map({ view.status.rawValue == $0 }) ?? true { items.append(Self.shared(view)) }
                }
                return ListPage(items: items, nextCursor: nil)
            }
            return try await req.workspace.partnerships(limit: query.limit, cursor: query.cursor, counterpart: query.organization, status: status)
        }
        group.post { req in
            try req.refuseGuest()
            let detail = try await req.workspace.proposePartnership(try req.body(PartnershipDraft.self), asOf: req.today)
            return try await created(detail, at: "/api/v1/partnerships/\(pathComponent(detail.partnership.key))")
        }
        group.get(":key") { req in
            let key = try req.key()
            try req.requireInvited(to: key)
            let detail = try await req.workspace.partnershipDetail(key: key, asOf: req.today)
            return req.guest == nil ? detail : Self.shared(detail)
        }
        for (path, status) in [("activate", PartnershipStatus.active), ("suspend", .suspended), ("end", .ended)] {
            group.post(":key", PathComponent(stringLiteral: path)) { req in
                let key = try req.key()
                try req.requireInvited(to: key)
                try req.refuseGuest()
                return try await req.workspace.changePartnership(key, to: status, try req.body(StatusChangeDraft.self), asOf: req.today)
            }
        }
        group.post(":key", "goals") { req in
            try req.requireInvited(to: try req.key())
            try req.refuseGuest()
            let goal = try await req.workspace.addGoal(to: try req.key(), try req.body(GoalDraft.self), asOf: req.today)
            return try await created(goal, at: "/api/v1/partnerships/\(pathComponent(goal.partnershipKey))")
        }
        group.post(":key", "pledges") { req in
            try req.requireInvited(to: try req.key())
            try req.refuseGuest()
            let pledge = try await req.workspace.addPledge(to: try req.key(), try req.body(PledgeDraft.self), asOf: req.today)
            return try await created(pledge, at: "/api/v1/partnerships/\(pathComponent(pledge.partnershipKey))")
        }
        group.post(":key", "risks") { req in
            try req.requireInvited(to: try req.key())
            try req.refuseGuest()
            let risk = try await req.workspace.addRisk(to: try req.key(), try req.body(RiskDraft.self))
            return try await created(risk, at: "/api/v1/partnerships/\(pathComponent(risk.partnershipKey))")
        }
        group.post(":key", "reviews") { req in
            try req.requireInvited(to: try req.key())
            try req.refuseGuest()
            let review = try await req.workspace.addReview(to: try req.key(), try req.body(ReviewDraft.self), asOf: req.today)
            return try await created(review, at: "/api/v1/partnerships/\(pathComponent(review.partnershipKey))")
        }
        routes.post("goals", ":key", "progress") { req in
            try req.refuseGuest(notFound: true)
            return try await req.workspace.measure(goal: try req.key(), try req.body(MeasurementDraft.self), asOf: req.today)
        }
        routes.post("pledges", ":key", "contributions") { req in
            try await req.mayRecordContribution(toPledge: try req.key())
            let contribution = try await req.workspace.addContribution(to: try req.key(), try req.body(ContributionDraft.self), asOf: req.today)
            return try await created(contribution, at: "/api/v1/contributions/\(contribution.id)")
        }
        routes.post("contributions", ":id", "confirm") { req in
            guard let text = req.parameters.get("id"), let id = Int64(text), id > 0 else {
                throw StoreError.notFound(kind: "contribution", key: req.parameters.get("id") ?? "")
            }
            try await req.mayConfirm(contribution: id)
            return try await req.workspace.confirm(contribution: id, try req.body(ConfirmationDraft.self), asOf: req.today)
        }
    }

    /// What a partner guest sees of a partnership: no internal notes.
    static func shared(_ partnership: PartnershipView) -> PartnershipView {
        var view = partnership
        view.notes = nil
        view.events = view.events.map { PartnershipView.Event(date: $0.date, status: $0.status, note: nil) }
        return view
    }

    static func shared(_ detail: PartnershipDetail) -> PartnershipDetail {
        PartnershipDetail(partnership: shared(detail.partnership), goals: detail.goals, pledges: detail.pledges, risks: [],
                          reviews: detail.reviews.filter { $0.visibility == .shared })
    }
}

extension Request {
    /// The principal when it is a partner guest.
    var guest: Principal? { principal.flatMap { $0.isGuest ? $0 : nil } }

    /// A partner guest reaches only the partnerships they were invited to: others do not exist for them.
    func requireInvited(to partnership: String) throws {
        if let guest, !guest.partnershipKeys.contains(partnership) { throw StoreError.notFound(kind: "partnership", key: partnership) }
    }

    /// A guest records contributions of their own side's pledges only (and of their partnerships).
    func mayRecordContribution(toPledge key: String) async throws {
        guard let guest else { return }
        let pledge = try await workspace.pledge(key: key, asOf: today)
        try requireInvited(to: pledge.partnershipKey)
        guard pledge.partyKey == guest.organizationKey else {
            throw Abort(.forbidden, reason: "a partner guest records their own side's contributions; the home company records its own")
        }
    }

    /// A guest confirms the home company's contributions in their partnerships only.
    func mayConfirm(contribution id: Int64) async throws {
        guard let guest else { return }
        let contribution = try await workspace.contribution(id: id, asOf: today)
        let pledge = try await workspace.pledge(key: contribution.pledgeKey, asOf: today)
        try requireInvited(to: pledge.partnershipKey)
        guard pledge.partyKey != guest.organizationKey else {
            throw Abort(.forbidden, reason: "only the other side confirms a contribution: the home company confirms yours")
        }
    }

    /// Changes a partner guest may not make.
    func refuseGuest(notFound: Bool = false) throws {
        guard guest != nil else { return }
        if notFound { throw Abort(.notFound, reason: "no such resource") }
        throw Abort(.forbidden, reason: "a partner guest adds their side's contributions and confirms the home company's; the rest is the home company's to record")
    }
}
