import SQLKit
import TandemStore
import Vapor

/// The landing page: what the workspace holds and where the API is described.
enum HomePage {
    static let tables: [(table: String, label: String)] = [
        ("organizations", "Organizations"), ("branches", "Branches"), ("territories", "Territories"), ("people", "People"),
        ("employments", "Employments"), ("interactions", "Interactions"), ("partnerships", "Partnerships"),
        ("goals", "Shared goals"), ("commitments", "Pledges"), ("contributions", "Contributions"), ("risks", "Risks"), ("sales", "Sales rows"),
    ]

    static func render(_ req: Request) async throws -> Response {
        guard let principal = req.principal else { return req.redirect(to: "/login", redirectType: .normal) }
        let sql = try req.db.sql()
        let workspaceID = try req.application.workspaceID
        let home = try await sql.raw("SELECT name FROM organizations WHERE workspace_id = \(bind: workspaceID) AND is_home = \(bind: true)")
            .first()?.decode(column: "name", as: String.self)
        var content = ""
        if principal.isGuest {
            // A partner guest sees the partnerships they were invited to, nothing else.
            content = "<p>Your partnerships with \(escape(home ?? "the home company")):</p><ul>"
                + principal.partnershipKeys.map { "<li>\(escape($0)) (<code>/api/v1/partnerships/\(escape($0))</code>)</li>" }.joined() + "</ul>"
        } else {
            var rows = ""
            for (table, label) in tables {
                let count = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE workspace_id = \(bind: workspaceID)")
                    .first()?.decode(column: "n", as: Int64.self) ?? 0
                rows += "<tr><th scope=\"row\">\(label)</th><td class=\"number\">\(count.formatted())</td></tr>\n"
            }
            content = """
                <p>Channel relationships and partnerships\(home.map { " for <strong>\(escape($0))</strong>" } ?? ""). This workspace holds:</p>
                <table>\(rows)</table>
                <p>The JSON API is described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1); it takes a token
                (<code>tandem token create</code>) as <code>Authorization: Bearer …</code>.</p>
                """
        }
        let html = WebPage.document(title: "Home", body: """
            <header><h1>Tandem</h1>
            <form method="post" action="/logout"><input type="hidden" name="csrf" value="\(escape(req.csrfToken ?? ""))">
            <span>\(escape(principal.email)) (\(principal.role.rawValue.replacingOccurrences(of: "_", with: " ")))</span>
            <button type="submit">Sign out</button></form></header>
            \(content)
            """)
        return Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: html))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
