import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// A partnership's shared space: the commitment and its history, the shared goals with their
/// progress, both sides' pledges against what the other side confirmed, risks and reviews. A
/// partner guest reaches only the partnerships they were invited to and sees what the API shows
/// them (no internal notes, no risks, shared reviews only).
enum PartnershipShow {
    static func render(_ req: Request) async throws -> Response {
        try await render(req, errors: [], status: .ok)
    }

    static func render(_ req: Request, errors: [String], status: HTTPStatus) async throws -> Response {
        let key = try req.key()
        try req.requireInvited(to: key)
        return view(req, try await Model(req, key: key), errors: errors, status: status)
    }

    /// What the page asks of the workspace: the partnership as the viewer may see it, the names
    /// of everyone and every organization it names, and what the viewer may record on it.
    struct Model {
        var detail: PartnershipDetail
        var names: Names
        var writes: Writes
        var isGuest: Bool

        init(_ req: Request, key: String) async throws {
            let full = try await req.workspace.partnershipDetail(key: key, asOf: req.today)
            let detail = req.guest == nil ? full : PartnershipController.shared(full)
            self.detail = detail
            names = try await Names.of(req, people: detail.goals.flatMap(\.ownerKeys) + detail.partnership.signatoryKeys
                                       + detail.reviews.flatMap(\.attendeeKeys) + detail.pledges.flatMap { $0.contributions.compactMap(\.confirmedByKey) },
                                       organizations: [detail.partnership.counterpartKey] + detail.pledges.map(\.partyKey))
            writes = try await Writes(req, detail: detail)
            isGuest = req.guest != nil
        }
    }
}

/// The names of a few people and organizations, read by key (for pages that do not need the
/// whole workspace in memory); a key without a record shows as itself.
struct Names {
    var people: [String: String]
    var organizations: [String: String]

    func person(_ key: String) -> String { people[key] ?? key }
    func organization(_ key: String) -> String { organizations[key] ?? key }

    static func of(_ req: Request, people: [String], organizations: [String]) async throws -> Names {
        let names = try await req.workspace.names(people: people, organizations: organizations)
        return Names(people: names.people, organizations: names.organizations)
    }
}

/// The partnership page's two forms: a contribution to one of the viewer's side's pledges, and
/// the confirmation of one of the other side's (API parity: partner guests and the home
/// company's managers and admins; salespeople read).
struct Writes {
    let allowed: Bool
    let isMine: (PledgeView) -> Bool
    let staff: [(key: String, name: String)]

    init(_ req: Request, detail: PartnershipDetail) async throws {
        let principal = req.principal
        allowed = principal.map { $0.isGuest || $0.role == .admin || $0.role == .manager } ?? false
        let counterpart = detail.partnership.counterpartKey, guestOrganization = req.guest?.organizationKey
        isMine = { pledge in guestOrganization.map { pledge.partyKey == $0 } ?? (pledge.partyKey != counterpart) }
        // Who may confirm for the viewer's side: the people working for it today.
        let workspace = try req.workspace
        let organization: String? = if let guestOrganization { guestOrganization } else { try await workspace.homeOrganizationKey() }
        guard allowed, let organization else { staff = []; return }
        staff = try await workspace.staff(of: organization, on: req.today)
    }

}
