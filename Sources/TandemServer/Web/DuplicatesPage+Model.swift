import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// Likely duplicates and their merges (managers and admins): each candidate with the record to
/// keep, the one to merge into it, and why they look alike; a merge moves everything that
/// referred to the duplicate and is written to the audit trail.
enum DuplicatesPage {
    struct MergeForm: Content {
        var kind: String?
        var keep: String?
        var merge: String?
        var csrf: String?
    }

    static func render(_ req: Request) async throws -> Response {
        view(req, candidates: try await req.workspace.duplicates(), merged: req.parameter("merged"))
    }

    static func merge(_ req: Request) async throws -> Response {
        let form: MergeForm = try req.form(MergeForm.self)
        guard let csrf = req.csrfToken, form.csrf == csrf else { throw Abort(.forbidden, reason: "The form expired: open it again.") }
        guard let kind = form.kind.flatMap(MergeKind.init(rawValue:)), let keep = form.keep?.nonBlank, let merge = form.merge?.nonBlank else {
            throw Abort(.badRequest, reason: "A merge needs the kind of record, the one to keep and the one to merge into it.")
        }
        let result = try await req.workspace.merge(kind, keep: keep, duplicate: merge, actor: req.principal?.email,
                                                   address: req.clientAddress, now: Accounts.now())
        return req.redirect(to: Link.query("/duplicates", [("merged", result.summary)]), redirectType: .normal)
    }
}
