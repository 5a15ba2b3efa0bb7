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
        let sql = try req.db.sql()
        let workspaceID = try req.application.workspaceID
        var rows = ""
        for (table, label) in tables {
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE workspace_id = \(bind: workspaceID)")
                .first()?.decode(column: "n", as: Int64.self) ?? 0
            rows += "<tr><th scope=\"row\">\(label)</th><td>\(count.formatted())</td></tr>\n"
        }
        let home = try await sql.raw("SELECT name FROM organizations WHERE workspace_id = \(bind: workspaceID) AND is_home = \(bind: true)")
            .first()?.decode(column: "name", as: String.self)
        let html = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Tandem</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
            table{border-collapse:collapse;width:100%}th,td{padding:.3rem .5rem;border-bottom:1px solid #ddd;text-align:left}
            td{text-align:right;font-variant-numeric:tabular-nums}a{color:#0a4fa3}</style></head>
            <body>
            <h1>Tandem</h1>
            <p>Channel relationships and partnerships\(home.map { " for <strong>\(escape($0))</strong>" } ?? ""). This workspace holds:</p>
            <table>\(rows)</table>
            <p>The JSON API is described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>
            </body></html>
            """
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
