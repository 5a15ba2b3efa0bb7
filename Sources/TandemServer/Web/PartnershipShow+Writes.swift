import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// The two partnership forms' handlers.
enum PartnershipWrites {
    struct ContributionForm: Content {
        var pledge: String?, date: String?, amount: String?, note: String?, csrf: String?
    }

    struct ConfirmationForm: Content {
        var contribution: String?, confirmedBy: String?, csrf: String?

        enum CodingKeys: String, CodingKey { case contribution, confirmedBy = "confirmed_by", csrf }
    }

    /// CSRF, the partnership (a guest's own only) and the role: salespeople read partnerships.
    static func admit(_ req: Request, csrf: String?) throws -> String {
        let key = try req.key()
        try req.requireInvited(to: key)
        guard let expected = req.csrfToken, csrf == expected else { throw Abort(.forbidden, reason: "The form expired: open it again.") }
        guard req.principal?.role != .salesperson else { throw Abort(.forbidden, reason: "Recording contributions needs a manager or an admin.") }
        return key
    }

    static func contribute(_ req: Request) async throws -> Response {
        let form = try req.form(ContributionForm.self)
        let key = try admit(req, csrf: form.csrf)
        guard let pledgeKey = form.pledge, try await req.workspace.pledge(key: pledgeKey, asOf: req.today).partnershipKey == key else {
            throw Abort(.notFound, reason: "No such pledge in this partnership.")
        }
        try await req.mayRecordContribution(toPledge: pledgeKey)
        let amount = form.amount.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        if form.amount.map({ !$0.isEmpty && amount == nil }) == true {
            return try await PartnershipShow.render(req, errors: ["Amount: “\(form.amount ?? "")” is not a number."], status: .unprocessableEntity)
        }
        do {
            let saved = try await req.workspace.addContribution(to: pledgeKey, ContributionDraft(date: form.date, amount: amount, note: form.note), asOf: req.today)
            try await req.workspace.audit("contribution.create", actor: req.principal?.email, target: "contribution \(saved.id)", detail: "web",
                                         address: req.clientAddress, now: Accounts.now())
        } catch let StoreError.invalid(issues) {
            return try await PartnershipShow.render(req, errors: issues.map { "\($0.field.capitalized): \($0.message)" }, status: .unprocessableEntity)
        }
        return req.redirect(to: Link.query(Link.partnership(key), [("saved", "contribution")]), redirectType: .normal)
    }

    static func confirm(_ req: Request) async throws -> Response {
        let form = try req.form(ConfirmationForm.self)
        let key = try admit(req, csrf: form.csrf)
        guard let id = form.contribution.flatMap({ Int64($0) }),
              try await req.workspace.pledge(key: try await req.workspace.contribution(id: id, asOf: req.today).pledgeKey, asOf: req.today).partnershipKey == key else {
            throw Abort(.notFound, reason: "No such contribution in this partnership.")
        }
        try await req.mayConfirm(contribution: id)
        do {
            _ = try await req.workspace.confirm(contribution: id, ConfirmationDraft(confirmedByKey: form.confirmedBy), asOf: req.today)
            try await req.workspace.audit("contribution.confirm", actor: req.principal?.email, target: "contribution \(id)", detail: "web",
                                         address: req.clientAddress, now: Accounts.now())
        } catch let StoreError.invalid(issues) {
            return try await PartnershipShow.render(req, errors: issues.map { "\($0.field.replacingOccurrences(of: "_", with: " ").capitalized): \($0.message)" },
                                                    status: .unprocessableEntity)
        } catch let StoreError.conflict(message) {
            return try await PartnershipShow.render(req, errors: [message], status: .conflict)
        }
        return req.redirect(to: Link.query(Link.partnership(key), [("saved", "confirmation")]), redirectType: .normal)
    }
}
