import Foundation
import TandemCore
import Synchronization
@testable import TandemServer
import TandemStore
import TandemWorkspace
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
            // and deleting an employment is a write like any other: the list no longer has it
            try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "p1", "name": "Anna"])) { res in
                #expect(res.status == .created)
            }
            var employment = 0
            try await app.api().test(.POST, "/api/v1/employments", headers: jsonHeaders,
                                     body: jsonBody(["person_key": "p1", "organization_key": "home", "function": "inside_sales", "start_date": "2020-01-01"])) { res in
                #expect(res.status == .created)
                employment = res.json["id"] as? Int ?? 0
            }
            try await app.api().test(.GET, "/api/v1/employments") { res in #expect(res.body.string.contains("\"p1\"")) }
            try await app.api().test(.DELETE, "/api/v1/employments/\(employment)") { res in #expect(res.status == .noContent) }
            try await app.api().test(.GET, "/api/v1/employments") { res in #expect(!res.body.string.contains("\"p1\"")) }
        }
    }

    /// Computes through the cache: the value when it was cached or computed by another request.
    func through(_ cache: RevisionCache<ByteBuffer>, _ key: String, revision: Int64, _ value: ByteBuffer,
                 depends: Set<ReadDependency> = [.directory]) async -> ByteBuffer {
        let lookup = await cache.lookup(key, revision: revision, depends: depends)
        if case .hit(let cached) = lookup { return cached }
        return (try? await cache.fill(key, after: lookup, { value }, keeping: { ($0, $0.readableBytes) })) ?? value
    }

    @Test func theCacheKeepsOneRevisionWithinItsCapacity() async {
        let cache = RevisionCache<ByteBuffer>(capacity: 800)
        let body = ByteBuffer(string: String(repeating: "x", count: 100))
        _ = await through(cache, "/a", revision: 5, body)
        _ = await through(cache, "/b", revision: 5, body)
        #expect(cache.value(for: "/a", revision: 5) == body)
        #expect(await through(cache, "/a", revision: 5, ByteBuffer(string: "other")) == body)
        #expect(cache.value(for: "/a", revision: 6) == nil, "never another revision's answer")
        _ = await through(cache, "/c", revision: 4, body)
        #expect(cache.value(for: "/c", revision: 4) == nil, "an older revision is not kept once a newer one is seen")
        _ = await through(cache, "/c", revision: 6, body)
        #expect(cache.count == 1, "a newer revision starts over")
        _ = await through(cache, "/big", revision: 6, ByteBuffer(string: String(repeating: "y", count: 101)))
        #expect(cache.value(for: "/big", revision: 6) == nil, "an answer over an eighth of the capacity is not kept")
        for index in 0..<8 { _ = await through(cache, "/\(index)", revision: 6, body) }
        #expect(cache.count <= 8, "full, it starts over")
        let off = RevisionCache<ByteBuffer>(capacity: 0)
        _ = await through(off, "/a", revision: 0, body)
        #expect(off.value(for: "/a", revision: 0) == nil)
    }

    @Test func requestsForAKeyBeingComputedWaitForIt() async {
        // given twenty requests for one key at once, each computing slowly when told to
        let cache = RevisionCache<ByteBuffer>(capacity: 1 << 20)
        let computed = Counter()
        let answers = await withTaskGroup(of: ByteBuffer?.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    switch await cache.lookup("/slow", revision: 1, depends: [.directory]) {
                    case .hit(let value): return value
                    case .compute:
                        computed.add()
                        try? await Task.sleep(for: .milliseconds(100))
                        let value = ByteBuffer(string: "computed once")
                        cache.finish("/slow", value: value, bytes: value.readableBytes)
                        return value
                    case .computeUncached: return nil
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        // then one computed it and the others waited for its answer
        #expect(computed.value == 1)
        #expect(answers == Array(repeating: ByteBuffer(string: "computed once"), count: 20))
        // and when the computation fails, the waiting requests compute for themselves
        guard case .compute = await cache.lookup("/fails", revision: 1, depends: [.directory]) else { Issue.record("expected to compute"); return }
        let waiter = Task { await cache.lookup("/fails", revision: 1, depends: [.directory]) }
        try? await Task.sleep(for: .milliseconds(50))
        cache.finish("/fails", value: nil)
        guard case .computeUncached = await waiter.value else { Issue.record("expected to compute uncached"); return }
    }

    @Test func aChangeDropsOnlyTheAnswersThatDependOnWhatItTouched() async {
        // given answers of revision 5 that depend on different things
        let cache = RevisionCache<ByteBuffer>(capacity: 1 << 20)
        let body = ByteBuffer(string: "answer")
        _ = await through(cache, "/organizations", revision: 5, body, depends: [.directory])
        _ = await through(cache, "/people/a", revision: 5, body, depends: [.person("a")])
        _ = await through(cache, "/people/b", revision: 5, body, depends: [.person("b")])
        _ = await through(cache, "/", revision: 5, body, depends: [.dashboard])
        // and one being computed that depends on what the change touches
        guard case .compute = await cache.lookup("/organizations/o", revision: 5, depends: [.organization("o")]) else {
            Issue.record("expected to compute")
            return
        }
        // when revision 6 is known to have touched the dashboard, person a and organization o
        cache.advance(to: 6, changed: [.dashboard, .person("a"), .organization("o")])
        // then the others are still answered at revision 6, and the touched ones are not
        #expect(cache.value(for: "/organizations", revision: 6) == body)
        #expect(cache.value(for: "/people/b", revision: 6) == body)
        #expect(cache.value(for: "/people/a", revision: 6) == nil)
        #expect(cache.value(for: "/", revision: 6) == nil)
        cache.finish("/organizations/o", value: body, bytes: body.readableBytes)
        #expect(cache.value(for: "/organizations/o", revision: 6) == nil, "computed before the change that touched it")
        // and a change that is not known starts over
        cache.advance(to: 7, changed: nil)
        #expect(cache.count == 0)
        #expect(cache.revision == 7)
        // an older revision never moves it back
        cache.advance(to: 6, changed: [])
        #expect(cache.revision == 7)
    }
}

/// A count several tasks add to.
final class Counter: Sendable {
    private let count = Mutex(0)

    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
