import Foundation
@testable import TandemServer
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

    @Test func homePageShowsTheWorkspaceAndLinksTheAPI() async throws {
        try await withTandemApp { app in
            let session = try await signIn(app, email: "admin@test.example")
            try await app.testing().test(.GET, "/", headers: ["Cookie": "\(WebSession.cookie)=\(session)"]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("href=\"/api/v1/openapi.json\""))
                #expect(html.contains("Interactions"))
            }
        }
    }
}
