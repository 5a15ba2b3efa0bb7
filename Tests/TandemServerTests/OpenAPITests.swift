import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting

@Suite struct OpenAPITests {
    @Test func everyRouteIsDescribedAndEveryDescribedOperationIsRouted() async throws {
        try await withTandemApp { app in
            let routed = Set(app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                return path.hasPrefix("/api/v1") ? "\(route.method.rawValue) \(path)" : nil
            })
            var described: Set<String> = []
            try await app.api().test(.GET, "/api/v1/openapi.json") { res in
                #expect(res.status == .ok)
                #expect(res.json["openapi"] as? String == "3.1.0")
                let paths = res.json["paths"] as? [String: [String: Any]] ?? [:]
                for (path, item) in paths {
                    for method in item.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                        described.insert("\(method.uppercased()) \(path)")
                    }
                }
            }
            #expect(routed == described)
            #expect(described == OpenAPIDocument.operations)
        }
    }

    @Test func everyOperationNeedsATokenAndEveryLinkNamesAnOperation() async throws {
        let document = OpenAPIDocument.document
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        let operations = paths.values.flatMap { item in item.values.compactMap { ($0 as? [String: Any]) } }
        let ids = Set(operations.compactMap { $0["operationId"] as? String })
        #expect(ids.count == OpenAPIDocument.operations.count)
        #expect((document["security"] as? [[String: [String]]])?.first?.keys.first == "bearer")
        for operation in operations {
            let id = operation["operationId"] as? String ?? "?"
            let responses = operation["responses"] as? [String: Any] ?? [:]
            if id == "openapi" {
                #expect((operation["security"] as? [Any])?.isEmpty == true)
            } else {
                #expect(["401", "403", "404"].allSatisfy { responses[$0] != nil }, "\(id)")
            }
            for case let response as [String: Any] in responses.values {
                for case let link as [String: Any] in (response["links"] as? [String: Any] ?? [:]).values {
                    #expect(ids.contains(link["operationId"] as? String ?? ""), "\(id) links to \(link)")
                }
            }
            for case let parameter as [String: Any] in operation["parameters"] as? [Any] ?? [] where parameter["in"] as? String == "query" {
                #expect((parameter["allowEmptyValue"] as? Bool ?? false) == (parameter["required"] as? Bool != true), "\(id) \(parameter["name"] ?? "")")
            }
        }
    }

    @Test func aPathAnsweredWithAnotherMethodSays405AndWhichMethods() async throws {
        try await withTandemApp { app in
            try await app.api().test(.TRACE, "/api/v1/people/anyone") { res in
                #expect(res.status == .methodNotAllowed)
                #expect(res.headers.first(name: .allow) == "DELETE, GET, HEAD, PUT")
                #expect(res.headers.contentType?.subType == "problem+json")
            }
            try await app.api(token: nil).test(.PATCH, "/api/v1/partnerships") { res in
                #expect(res.status == .methodNotAllowed)
                #expect(res.headers.first(name: .allow) == "GET, HEAD, POST")
            }
            try await app.api().test(.TRACE, "/api/v1/nothing-here") { res in #expect(res.status == .notFound) }
            try await app.api().test(.GET, "/api/v1/people/a/b") { res in #expect(res.status == .notFound) }
        }
    }

    @Test func anEmptyQueryParameterIsTheSameAsAnAbsentOne() async throws {
        try await withTandemApp { app in
            for path in ["/api/v1/people?limit=&cursor=&function=&current=&country=", "/api/v1/interactions?from=&to=&kind=",
                         "/api/v1/assessments?as_of=", "/api/v1/relationships?limit=&as_of=", "/api/v1/audit?limit=",
                         "/api/v1/economics?hourly_cost=&carrying_rate=", "/api/v1/lead-lag?by=&territory="] {
                try await app.api().test(.GET, path) { res in #expect(res.status == .ok, "\(path): \(res.body.string)") }
            }
            try await app.api().test(.GET, "/api/v1/plan?budget_money=&budget_hours=1") { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("budget_money: required"))
            }
        }
    }

    /// What schemathesis found: numbers that overflowed the plan into a 500, keys and names of
    /// white space other than spaces, U+0000 that PostgreSQL cannot store.
    @Test(arguments: ServerBackend.available)
    func inputsAtTheEdgesAreRefusedWithTheirField(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            try await app.api().test(.GET, "/api/v1/interactions?person=%00x&limit=5") { res in
                #expect(res.status == .unprocessableEntity)
                #expect((res.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "person")
            }
            try await app.api().test(.GET, "/api/v1/people/a%00b") { res in #expect(res.status == .notFound) }
            try await app.api(token: nil).test(.GET, "/api/v1/people/a%00b") { res in #expect(res.status == .unauthorized) }
            try await app.api().test(.POST, "/api/v1/territories", headers: jsonHeaders,
                                     body: jsonBody(["code": "T1", "name": "North", "x": [["deep": "a\u{0}b"]]])) { res in
                #expect(res.status == .unprocessableEntity)
                #expect((res.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "x[0].deep")
            }
            var csrf = ""
            try await app.testing().test(.GET, "/login") { res in
                csrf = res.headers[.setCookie].first { $0.hasPrefix(WebSession.loginCSRFCookie + "=") }
                    .flatMap { $0.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init) } ?? ""
            }
            try await app.testing().test(.POST, "/login", headers: ["Content-Type": "application/x-www-form-urlencoded",
                                                                    "Cookie": "\(WebSession.loginCSRFCookie)=\(csrf)"],
                                         body: ByteBuffer(string: "email=a%00%01@b.example&password=%00&csrf=\(csrf)")) { res in
                #expect(res.status == .unauthorized)
            }
            let accounts = try AccountRepository(database: app.db, workspaceID: try app.workspaceID)
            #expect(try await accounts.auditTrail(limit: 1).first?.actor == "a@b.example")
            try await app.api().test(.GET, "/api/v1/plan?budget_money=1e300&budget_hours=1e80&money_share=1e308") { res in
                #expect(res.status == .unprocessableEntity)
                let fields = Set((res.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
                #expect(fields == ["budget_money", "budget_hours", "money_share"])
            }
            try await app.api().test(.GET, "/api/v1/plan?budget_money=1&budget_hours=1&rates=USD:1e20") { res in
                #expect(res.status == .unprocessableEntity)
            }
            for (key, name) in [("p1\u{0B}", "Ann"), ("\u{FEFF}p1", "Ann"), ("p1", "\u{0C}"), ("p1", "\u{2028} ")] {
                try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": key, "name": name])) { res in
                    #expect(res.status == .unprocessableEntity, "\(key.unicodeScalars.map(\.value)) \(name.unicodeScalars.map(\.value))")
                }
            }
            try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "p1", "name": "\u{0C}Ann\n"])) { res in
                #expect(res.status == .created)
                #expect(res.json["name"] as? String == "Ann")
            }
        }
    }

    @Test func theDashboardLinksTheAPIDescription() async throws {
        try await withTandemApp { app in
            let session = try await signIn(app, email: "admin@test.example")
            try await app.testing().test(.GET, "/", headers: ["Cookie": "\(WebSession.cookie)=\(session)"]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("href=\"/api/v1/openapi.json\""))
                #expect(html.contains("<h1>Dashboard</h1>"))
            }
        }
    }
}
