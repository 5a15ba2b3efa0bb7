import Foundation
import Plot
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
        let candidates = try await req.workspace.duplicates()
        func link(_ kind: MergeKind, _ key: String, _ name: String) -> Node<HTML.BodyContext> {
            switch kind {
            case .person: .a(.href(Link.person(key)), .text(name))
            case .organization: .a(.href(Link.organization(key)), .text(name))
            case .branch: .text(name)
            }
        }
        let merged: Node<HTML.BodyContext> = req.parameter("merged").map {
            .p(.class("notice"), .attribute(named: "role", value: "status"), .text($0))
        } ?? .empty
        return Layout.page(req, title: "Duplicates", section: .duplicates,
            .h1(.text("Likely duplicates")),
            merged,
            .p(.text("People with the same e-mail or near-identical names at one organization, organizations with near-identical names "
                     + "(legal forms such as Inc. or GmbH ignored), and branches of one organization with near-identical names. "
                     + "A merge keeps the first record: every interaction, employment, signature, pledge, risk and sale of the second moves to it, "
                     + "it takes the second's values where it has none, and the second is deleted. The merge is written to the audit trail.")),
            candidates.isEmpty
                ? .p(.class("muted"), .text("No likely duplicates."))
                : .div(.class("scroll"), .table(
                    .thead(.tr(.th(.text("Kind")), .th(.text("Keep")), .th(.text("Merge into it")), .th(.text("Why")), .th(.text("")))),
                    .tbody(.forEach(candidates) { candidate in
                        .tr(.td(.text(candidate.kind.rawValue)),
                            .td(link(candidate.kind, candidate.keep, candidate.keepName), .br(), .span(.class("muted"), .text(candidate.keep))),
                            .td(link(candidate.kind, candidate.merge, candidate.mergeName), .br(), .span(.class("muted"), .text(candidate.merge))),
                            .td(.text(candidate.reason)),
                            .td(.form(.method(.post), .action("/duplicates/merge"),
                                      .input(.type(.hidden), .name("csrf"), .value(req.formCSRF)),
                                      .input(.type(.hidden), .name("kind"), .value(SVG.escape(candidate.kind.rawValue))),
                                      .input(.type(.hidden), .name("keep"), .value(SVG.escape(candidate.keep))),
                                      .input(.type(.hidden), .name("merge"), .value(SVG.escape(candidate.merge))),
                                      .button(.type(.submit), .text("Merge")))))
                    }))))
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
