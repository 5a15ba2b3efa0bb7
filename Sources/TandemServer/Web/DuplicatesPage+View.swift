import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// What the duplicates page shows: each candidate with a form to merge it, and what the last merge did.
extension DuplicatesPage {
    static func view(_ req: Request, candidates: [DuplicateCandidate], merged: String?) -> Response {
        func link(_ kind: MergeKind, _ key: String, _ name: String) -> Node<HTML.BodyContext> {
            switch kind {
            case .person: .a(.href(Link.person(key)), .text(name))
            case .organization: .a(.href(Link.organization(key)), .text(name))
            case .branch: .text(name)
            }
        }
        let merged: Node<HTML.BodyContext> = merged.map {
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
}
