import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting

@Suite struct DirectoryAPITests {
    @Test(arguments: ServerBackend.available)
    func createsReadsUpdatesAndDeletesThroughTheAPI(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            // given
            try await app.api().test(.POST, "/api/v1/organizations", headers: jsonHeaders,
                                         body: jsonBody(["key": "early", "name": "Before home", "kind": "distributor"])) { res in
                #expect(res.status == .conflict, "the home organization comes first")
            }
            try await app.api().test(.POST, "/api/v1/organizations", headers: jsonHeaders,
                                         body: jsonBody(["key": "home", "name": "Voltwerk", "kind": "manufacturer", "is_home": true])) { res in
                #expect(res.status == .created)
                #expect(res.headers.first(name: .location) == "/api/v1/organizations/home")
            }
            try await app.api().test(.POST, "/api/v1/organizations", headers: jsonHeaders,
                                         body: jsonBody(["key": "d 1/x", "name": "Süd", "kind": "distributor", "country": "de", "currency": "eur"])) { res in
                #expect(res.status == .created)
                #expect(res.json["country"] as? String == "DE")
                #expect(res.json["currency"] as? String == "EUR")
            }
            try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "p1", "name": "Anna"])) { res in
                #expect(res.status == .created)
            }
            try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "p2", "name": "Jürgen"])) { res in
                #expect(res.status == .created)
            }
            try await app.api().test(.POST, "/api/v1/employments", headers: jsonHeaders,
                                         body: jsonBody(["person_key": "p2", "organization_key": "d 1/x", "function": "inside_sales", "start_date": "2020-01-01"])) { res in
                #expect(res.status == .created)
            }
            // when / then: read back, including a key with a space and a slash
            try await app.api().test(.GET, "/api/v1/organizations/d%201%2Fx") { res in
                #expect(res.status == .ok)
                #expect(res.json["name"] as? String == "Süd")
            }
            try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "a%41", "name": "Percent"])) { res in
                #expect(res.headers.first(name: .location) == "/api/v1/people/a%2541")
            }
            try await app.api().test(.GET, "/api/v1/people/a%2541") { res in
                #expect(res.json["name"] as? String == "Percent")
            }
            try await app.api().test(.GET, "/api/v1/people/p2") { res in
                let jobs = res.json["employments"] as? [[String: Any]]
                #expect(jobs?.first?["organization_key"] as? String == "d 1/x")
            }
            try await app.api().test(.POST, "/api/v1/interactions", headers: jsonHeaders,
                                         body: jsonBody(["key": "i1", "date": "2024-03-05T09:30:00+01:00", "kind": "visit", "initiator_key": "p1", "participant_keys": ["p2"]])) { res in
                #expect(res.status == .created)
                #expect(res.json["participant_keys"] as? [String] == ["p1", "p2"])
            }
            try await app.api().test(.GET, "/api/v1/interactions?organization=d%201%2Fx&from=2024-01-01") { res in
                #expect((res.json["items"] as? [[String: Any]])?.count == 1)
            }
            try await app.api().test(.GET, "/api/v1/interactions?from=2024-04-01") { res in
                #expect((res.json["items"] as? [[String: Any]])?.count == 0)
            }
            try await app.api().test(.PUT, "/api/v1/people/p1", headers: jsonHeaders, body: jsonBody(["name": "Anna Weber", "email": "anna@example.com"])) { res in
                #expect(res.status == .ok)
                #expect(res.json["name"] as? String == "Anna Weber")
            }
            // the workspace keeps exactly one home organization
            try await app.api().test(.PUT, "/api/v1/organizations/home", headers: jsonHeaders,
                                         body: jsonBody(["name": "Voltwerk", "kind": "manufacturer", "is_home": false])) { res in
                #expect(res.status == .conflict)
            }
            try await app.api().test(.DELETE, "/api/v1/organizations/home") { res in #expect(res.status == .conflict) }
            // a delete that would take other records with it is refused
            try await app.api().test(.DELETE, "/api/v1/people/p2") { res in
                #expect(res.status == .conflict)
                #expect(res.headers.contentType?.description == "application/problem+json")
                #expect((res.json["detail"] as? String)?.contains("1 employments") == true)
            }
            try await app.api().test(.DELETE, "/api/v1/interactions/i1") { res in #expect(res.status == .noContent) }
            try await app.api().test(.GET, "/api/v1/interactions/i1") { res in #expect(res.status == .notFound) }
        }
    }

    @Test func invalidRequestsGetProblemDetailsNamingEveryField() async throws {
        try await withTandemApp { app in
            try await app.api().test(.POST, "/api/v1/organizations", headers: jsonHeaders,
                                         body: jsonBody(["key": "", "kind": "wholesaler", "country": "Germany"])) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.headers.contentType?.description == "application/problem+json")
                let errors = (res.json["errors"] as? [[String: String]]) ?? []
                #expect(errors.map { $0["field"] ?? "" } == ["key", "name", "kind", "country"])
            }
            try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: ByteBuffer(string: "{\"key\": 5}")) { res in
                #expect(res.status == .badRequest)
                #expect(res.json["detail"] as? String == "key: expected a string")
            }
            try await app.api().test(.GET, "/api/v1/interactions?limit=0&from=yesterday&kind=lunch") { res in
                #expect(res.status == .unprocessableEntity)
                let fields = ((res.json["errors"] as? [[String: String]]) ?? []).map { $0["field"] ?? "" }
                #expect(fields == ["limit", "kind", "from"])
            }
            try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "p1", "name": "A"])) { res in
                #expect(res.status == .created)
            }
            try await app.api().test(.PUT, "/api/v1/people/p1", headers: jsonHeaders, body: jsonBody(["key": "p9", "name": "A"])) { res in
                #expect(res.status == .unprocessableEntity)
                #expect((res.json["detail"] as? String)?.contains("key: cannot be changed from \"p1\" to \"p9\"") == true)
            }
            try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "p1", "name": "B"])) { res in
                #expect(res.status == .conflict)
            }
            try await app.api().test(.POST, "/api/v1/people", body: ByteBuffer(string: "key=p2")) { res in
                #expect(res.status == .unsupportedMediaType)
            }
            try await app.api().test(.GET, "/api/v1/people?cursor=bogus") { res in
                #expect(res.status == .unprocessableEntity)
            }
            try await app.api().test(.GET, "/api/v1/nothing-here") { res in
                #expect(res.status == .notFound)
                #expect(res.headers.contentType?.description == "application/problem+json")
            }
        }
    }

    @Test func listsPageWithKeysetCursorsWithoutGapsOrRepeats() async throws {
        try await withTandemApp { app in
            for index in 0..<23 {
                try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "p\(index)", "name": "P \(index)"])) { res in
                    #expect(res.status == .created)
                }
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/people?limit=5" + (cursor.map { "&cursor=\($0)" } ?? "")
                try await app.api().test(.GET, path) { res in
                    seen += ((res.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String }
                    cursor = res.json["next_cursor"] as? String
                }
            } while cursor != nil && seen.count < 100
            #expect(seen == (0..<23).map { "p\($0)" })
        }
    }

    @Test func aRecordOfAnotherWorkspaceIsNotFound() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = DatabaseLocation.sqlite(path: folder.appendingPathComponent("t.sqlite").path)
        var alphaToken: String?
        for (workspace, expected) in [("alpha", HTTPStatus.created), ("beta", .notFound)] {
            let app = try await Application.make(.testing)
            do {
                try await configure(app, settings: ServerSettings(database: location, workspace: workspace))
                app.storage[AdminTokenKey.self] = try await addUser(app, email: "admin@\(workspace).example", role: .admin)
                if workspace == "alpha" {
                    alphaToken = app.storage[AdminTokenKey.self]
                    try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "secret", "name": "S"])) { res in
                        #expect(res.status == expected)
                    }
                } else {
                    try await app.api().test(.GET, "/api/v1/people/secret") { res in #expect(res.status == expected) }
                    try await app.api().test(.GET, "/api/v1/people") { res in
                        #expect((res.json["items"] as? [Any])?.isEmpty == true)
                    }
                    // alpha's token is nobody in beta: it is turned away before any record is looked up
                    try await app.api(token: alphaToken).test(.GET, "/api/v1/people/secret") { res in #expect(res.status == .unauthorized) }
                }
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
    }
}

@Suite struct MergeAPITests {
    @Test(arguments: ServerBackend.available)
    func listsDuplicatesAndMergesThemWithAnAuditEntry(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            for (path, body) in [("organizations", ["key": "home", "name": "Voltwerk", "kind": "manufacturer", "is_home": true] as [String: Any]),
                                 ("people", ["key": "p1", "name": "Anna Weber", "email": "anna@example.com"]),
                                 ("people", ["key": "p1b", "name": "Anna W.", "email": "ANNA@example.com", "phone": "+49 1"]),
                                 ("people", ["key": "p2", "name": "Jürgen"]),
                                 ("interactions", ["key": "i1", "date": "2024-03-05", "kind": "visit", "initiator_key": "p1b", "participant_keys": ["p2"]])] {
                try await app.api().test(.POST, "/api/v1/\(path)", headers: jsonHeaders, body: jsonBody(body)) { res in #expect(res.status == .created) }
            }
            // A date far out of range is a typing error, refused like every other bad value.
            try await app.api().test(.POST, "/api/v1/interactions", headers: jsonHeaders,
                                     body: jsonBody(["date": "2924-03-05", "kind": "visit", "initiator_key": "p1", "participant_keys": ["p2"]])) { res in
                #expect(res.status == .unprocessableEntity)
                #expect((res.json["errors"] as? [[String: Any]])?.first?["message"] as? String
                        == "2924-03-05 is out of range: dates lie between 1900-01-01 and 2100-12-31")
            }
            try await app.api().test(.GET, "/api/v1/duplicates") { res in
                let items = res.json["items"] as? [[String: Any]]
                #expect(items?.count == 1)
                #expect(items?.first?["keep"] as? String == "p1" && items?.first?["merge"] as? String == "p1b")
                #expect(items?.first?["reason"] as? String == "the same e-mail anna@example.com")
            }
            try await app.api().test(.POST, "/api/v1/merges", headers: jsonHeaders, body: jsonBody(["kind": "person", "keep": "p1"])) { res in
                #expect(res.status == .unprocessableEntity)
                #expect((res.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "merge")
            }
            try await app.api().test(.POST, "/api/v1/merges", headers: jsonHeaders, body: jsonBody(["kind": "person", "keep": "p1", "merge": "nobody"])) { res in
                #expect(res.status == .notFound)
            }
            try await app.api().test(.POST, "/api/v1/merges", headers: jsonHeaders, body: jsonBody(["kind": "person", "keep": "p1", "merge": "p1b"])) { res in
                #expect(res.status == .ok)
                #expect((res.json["moved"] as? [String: Any])?["interactions led"] as? Int == 1)
                #expect(res.json["filled"] as? [String] == ["phone"])
            }
            try await app.api().test(.GET, "/api/v1/interactions/i1") { res in
                #expect(res.json["initiator_key"] as? String == "p1")
            }
            try await app.api().test(.GET, "/api/v1/people/p1b") { res in #expect(res.status == .notFound) }
            try await app.api().test(.GET, "/api/v1/audit") { res in
                let entries = try JSONDecoder.snakeCase.decode([AuditEntry].self, from: Data(buffer: res.body))
                #expect(entries.contains { $0.action == "merge" && $0.detail?.hasPrefix("person p1b merged into p1: moved") == true && $0.actor != nil })
            }
        }
    }
}
