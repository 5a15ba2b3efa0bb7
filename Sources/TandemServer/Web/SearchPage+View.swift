import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// What the search page shows.
extension SearchPage {
    static func view(_ req: Request, _ model: Model) -> Response {
        let query = model.query, people = model.people, organizations = model.organizations
        return Layout.page(req, title: query.isEmpty ? "Search" : "Search: \(query)", section: .search,
            .h1(.text("Search people and organizations")),
            .form(.class("inline"), .method(.get), .action("/search"), .attribute(named: "role", value: "search"),
                  .label(.for("q"), .text("Name or key ")),
                  .input(.id("q"), .name("q"), .type(.search), .value(SVG.escape(query)), .attribute(named: "autocomplete", value: "off")),
                  .button(.type(.submit), .text("Search"))),
            query.isEmpty ? .empty : .group(
                .h2(.text("Organizations (\(organizations.count))")),
                organizations.isEmpty ? .p(.text("None found.")) : .ul(.forEach(organizations) { match in
                    .li(.a(.href(Link.organization(match.key)), .text(match.name)), .span(.class("muted"), .text(" · \(match.detail) · \(match.key)")))
                }),
                .h2(.text("People (\(people.count))")),
                people.isEmpty ? .p(.text("None found.")) : .ul(.forEach(people) { match in
                    .li(.a(.href(Link.person(match.key)), .text(match.name)), .span(.class("muted"), .text(" · \(match.detail) · \(match.key)")))
                })))
    }
}
