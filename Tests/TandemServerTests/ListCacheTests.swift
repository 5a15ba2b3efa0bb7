import Foundation
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting

/// The directory's lists are answered from memory until the workspace's revision moves.
@Suite struct ListCacheTests {
    @Test(arguments: ServerBackend.available)
    func aListIsAnsweredFromTheCacheUntilTheWorkspaceChanges(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            // given a list read once (users are added first: adding one is a write)
            let salesperson = try await addUser(app, email: "sam@test.example", role: .salesperson)
            try await app.api().test(.POST, "/api/v1/organizations", headers: jsonHeaders,
                                     body: jsonBody(["key": "home", "name": "Voltwerk", "kind": "manufacturer", "is_home": true])) { res in
                #expect(res.status == .created)
            }
            var first = ByteBuffer()
            try await app.api().test(.GET, "/api/v1/organizations") { res in
                #expect(res.status == .ok)
                first = res.body
            }
            // when the table changes behind the server's back, without a new revision
            let workspaceID = try app.workspaceID
            try await app.db.sql().raw("UPDATE organizations SET name = 'Changed quietly' WHERE workspace_id = \(bind: workspaceID)").run()
            // then the same URL is answered from the cache, for any reader, with the same headers
            try await app.api(token: salesperson).test(.GET, "/api/v1/organizations") { res in
                #expect(res.status == .ok)
                #expect(res.body == first)
                #expect(res.headers.contentType == .json)
                #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
            }
            // but another URL is read from the table
            try await app.api().test(.GET, "/api/v1/organizations?kind=manufacturer") { res in
                #expect(res.body.string.contains("Changed quietly"))
            }
            // when any write opens a new revision (as a write through another server does)
            try await WorkspaceRepository.beginWrite(try app.db.sql(), workspaceID: workspaceID)
            // then the list is read again
            try await app.api().test(.GET, "/api/v1/organizations") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Changed quietly"))
            }
        }
    }

    @Test func theCacheKeepsOneRevisionWithinItsCapacity() {
        let cache = ListResponseCache(capacity: 800)
        let body = ByteBuffer(string: String(repeating: "x", count: 100))
        cache.store(body, for: "/a", revision: 5)
        cache.store(body, for: "/b", revision: 5)
        #expect(cache.body(for: "/a", revision: 5) == body)
        #expect(cache.body(for: "/a", revision: 6) == nil, "never another revision's answer")
        cache.store(body, for: "/c", revision: 4)
        #expect(cache.body(for: "/c", revision: 4) == nil, "an older revision is not kept once a newer one is seen")
        cache.store(body, for: "/c", revision: 6)
        #expect(cache.count == 1, "a newer revision starts over")
        cache.store(ByteBuffer(string: String(repeating: "y", count: 101)), for: "/big", revision: 6)
        #expect(cache.body(for: "/big", revision: 6) == nil, "an answer over an eighth of the capacity is not kept")
        for index in 0..<8 { cache.store(body, for: "/\(index)", revision: 6) }
        #expect(cache.count <= 8, "full, it starts over")
        #expect(ListResponseCache(capacity: 0).body(for: "/a", revision: 0) == nil)
    }
}
