import Foundation
import Plot
import TandemWorkspace
import Vapor

/// The frame every page shares, written with Plot so that the compiler checks the markup.
///
/// Plot escapes text but writes attribute values as they are, so an attribute never takes data
/// straight: links are built by `Link` (percent-encoded paths) and other values go through
/// `SVG.escape`. `WebSecurityTests` renders every page with hostile names and keys to hold that.
enum Layout {
    enum Section: String {
        case dashboard, territories, search, log, imports, duplicates
    }

    /// A whole page for a signed-in user: navigation for their role, the sign-out form with the
    /// session's CSRF token, the title and the content.
    static func page(_ req: Request, title: String, section: Section?, status: HTTPStatus = .ok,
                     _ content: Node<HTML.BodyContext>...) -> Response {
        let principal = req.principal
        var items: [(Section, String, String)] = principal?.isGuest == false
            ? [(.dashboard, "Dashboard", "/"), (.territories, "Territories", "/territories"), (.search, "Search", "/search"),
               (.log, "Log interaction", "/interactions/new")]
            : principal == nil ? [] : [(.dashboard, "Partnerships", "/")]
        if principal?.role == .admin || principal?.role == .manager {
            items += [(.imports, "Import", "/import"), (.duplicates, "Duplicates", "/duplicates")]
        }
        let header: Node<HTML.BodyContext> = .header(
            .class("top"),
            .a(.class("brand"), .href("/"), .text("Tandem")),
            .nav(.ariaLabel("Main"), .ul(.forEach(items) { item in
                .li(.a(.href(item.2), item.0 == section ? .attribute(named: "aria-current", value: "page") : .empty, .text(item.1)))
            })),
            .unwrap(principal) { principal in
                .form(.class("signout"), .method(.post), .action("/logout"),
                      .input(.type(.hidden), .name("csrf"), .value(req.formCSRF)),
                      .span(.class("who"), .raw(req.rendersForCache ? PageMark.who.text : PageMark.who(principal))),
                      .button(.type(.submit), .text("Sign out")))
            }
        )
        let footer: Node<HTML.BodyContext> = principal?.isGuest == false
            ? .footer(.p(.class("muted"), .text("The JSON API is described at "), .a(.href("/api/v1/openapi.json"), .text("/api/v1/openapi.json")),
                         .text(" (OpenAPI 3.1); it takes a token from "), .code(.text("tandem token create")), .text(".")))
            : .empty
        let notice: Node<HTML.BodyContext> = req.parameter("logged") != nil
            ? .p(.class("notice"), .attribute(named: "role", value: "status"), .text("The interaction was logged."))
            : req.parameter("saved") == "contribution" ? .p(.class("notice"), .attribute(named: "role", value: "status"), .text("The contribution was recorded; the other side confirms it."))
            : req.parameter("saved") == "confirmation" ? .p(.class("notice"), .attribute(named: "role", value: "status"), .text("The contribution was confirmed."))
            : .empty
        return document(title: title, status: status, body: .body(header, .main(.id("main"), notice, .group(content)), footer,
                                                                  .element(named: "script", nodes: [.attribute(named: "src", value: "/tandem.js"), .attribute(named: "defer", value: "defer")])))
    }

    static func document(title: String, status: HTTPStatus = .ok, body: Node<HTML.DocumentContext>) -> Response {
        let html = HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                // Not Plot's `.title`, which also writes the title unescaped into social-media meta attributes.
                .element(named: "title", text: "\(title) · Tandem"),
                .stylesheet("/tandem.css"),
                .link(.rel(.icon), .href("data:,"))
            ),
            body
        )
        return Response(status: status, headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"],
                        body: .init(string: html.render()))
    }

    /// A page for an error of a page request (the API answers problem documents instead).
    static func error(_ req: Request, status: HTTPStatus, message: String) -> Response {
        page(req, title: status.reasonPhrase, section: nil, status: status,
             .h1(.text(status.reasonPhrase)), .p(.text(message)), .p(.a(.href("/"), .text("Back to the start"))))
    }
}

/// The paths of the pages, with every key percent-encoded (so that none can leave an attribute).
enum Link {
    static func organization(_ key: String) -> String { "/organizations/\(pathComponent(key))" }
    static func person(_ key: String) -> String { "/people/\(pathComponent(key))" }
    static func relationship(_ home: String, _ counterpart: String) -> String { "/relationships/\(pathComponent(home))/\(pathComponent(counterpart))" }
    static func partnership(_ key: String) -> String { "/partnerships/\(pathComponent(key))" }
    static func territory(_ code: String) -> String { "/territories/\(pathComponent(code))" }

    /// RFC 3986's unreserved characters: everything else in a query value is percent-encoded.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func query(_ path: String, _ items: [(String, String?)]) -> String {
        let pairs = items.compactMap { name, value in
            value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "")" }
        }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }
}

extension Node where Context == HTML.SelectContext {
    /// An `<option>` with its label as content (Plot's own writes a `label` attribute that not
    /// every browser shows).
    static func choice(value: String, label: String, selected: Bool) -> Node {
        .element(named: "option", nodes: [.attribute(named: "value", value: SVG.escape(value), ignoreIfValueIsEmpty: false),
                                          selected ? .attribute(named: "selected", value: "selected") : .empty, .text(label)])
    }
}

/// Who may open a page: anyone signed in (a partner guest's pages scope themselves), the home
/// company's users, or its managers and admins. Nobody signed in is sent to the sign-in page
/// and brought back; a partner guest gets 404 for the home company's pages, as in the API.
struct PageGuard: AsyncMiddleware {
    enum Rule { case signedIn, home, manager }
    let rule: Rule

    init(_ rule: Rule) { self.rule = rule }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let principal = request.principal else {
            let target = request.url.query.map { request.url.path + "?" + $0 } ?? request.url.path
            return request.redirect(to: Link.query("/login", [("next", target)]), redirectType: .normal)
        }
        switch (rule, principal.role) {
        case (.signedIn, _), (.home, .admin), (.home, .manager), (.home, .salesperson), (.manager, .admin), (.manager, .manager):
            return try await next.respond(to: request)
        case (_, .partnerGuest):
            throw Abort(.notFound, reason: "There is no such page.")
        case (.manager, .salesperson):
            throw Abort(.forbidden, reason: "This needs a manager or an admin.")
        }
    }

    /// Where to go after signing in: only a path of this site (never `//host` or a URL).
    static func safeTarget(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
              !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return "/" }
        return next
    }
}
