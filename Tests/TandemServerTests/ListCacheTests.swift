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
    func through(_ cache: RevisionCache<ByteBuffer>, _ key: String, required: Int64 = 0, _ value: ByteBuffer,
                 depends: Set<ReadDependency> = [.directory], now: ContinuousClock.Instant = .now) async -> ByteBuffer {
        let lookup = await cache.lookup(key, required: required, depends: depends, now: now)
        if case .hit(let cached) = lookup { return cached }
        return (try? await cache.fill(key, after: lookup, { value }, keeping: { ($0, $0.readableBytes) })) ?? value
    }

    @Test func theCacheKeepsAnswersWithinItsCapacity() async {
        let cache = RevisionCache<ByteBuffer>(capacity: 800)
        cache.advance(to: 5, changed: [])
        let body = ByteBuffer(string: String(repeating: "x", count: 100))
        _ = await through(cache, "/a", body)
        _ = await through(cache, "/b", body)
        #expect(cache.value(for: "/a") == body)
        #expect(await through(cache, "/a", ByteBuffer(string: "other")) == body)
        _ = await through(cache, "/big", ByteBuffer(string: String(repeating: "y", count: 101)))
        #expect(!cache.holds("/big"), "an answer over an eighth of the capacity is not kept")
        for index in 0..<8 { _ = await through(cache, "/\(index)", body) }
        #expect(cache.count <= 8, "full, it starts over")
        let off = RevisionCache<ByteBuffer>(capacity: 0)
        _ = await through(off, "/a", body)
        #expect(!off.holds("/a"))
    }

    @Test func requestsForAKeyBeingComputedWaitForIt() async {
        // given twenty requests for one key at once, each computing slowly when told to
        let cache = RevisionCache<ByteBuffer>(capacity: 1 << 20)
        let computed = Counter()
        let answers = await withTaskGroup(of: ByteBuffer?.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    switch await cache.lookup("/slow", required: 0, depends: [.directory]) {
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
        guard case .compute = await cache.lookup("/fails", required: 0, depends: [.directory]) else { Issue.record("expected to compute"); return }
        let waiter = Task { await cache.lookup("/fails", required: 0, depends: [.directory]) }
        try? await Task.sleep(for: .milliseconds(50))
        cache.finish("/fails", value: nil)
        guard case .computeUncached = await waiter.value else { Issue.record("expected to compute uncached"); return }
    }

    @Test func aChangeMakesStaleOnlyTheAnswersThatDependOnWhatItTouched() async {
        // given answers of revision 5 that depend on different things
        let cache = RevisionCache<ByteBuffer>(capacity: 1 << 20)
        cache.advance(to: 5, changed: [])
        let body = ByteBuffer(string: "answer")
        _ = await through(cache, "/organizations", body, depends: [.directory])
        _ = await through(cache, "/people/a", body, depends: [.person("a")])
        _ = await through(cache, "/people/b", body, depends: [.person("b")])
        _ = await through(cache, "/", body, depends: [.dashboard])
        // and one being computed that depends on what the change touches
        guard case .compute = await cache.lookup("/organizations/o", required: 5, depends: [.organization("o")]) else {
            Issue.record("expected to compute")
            return
        }
        // when revision 6 is known to have touched the dashboard, person a and organization o
        cache.advance(to: 6, changed: [.dashboard, .person("a"), .organization("o")])
        // then the others are still current at revision 6, and the touched ones are stale, not gone
        #expect(cache.value(for: "/organizations") == body)
        #expect(cache.value(for: "/people/b") == body)
        #expect(cache.value(for: "/people/a") == nil)
        #expect(cache.value(for: "/") == nil)
        #expect(cache.holds("/people/a") && cache.holds("/"))
        cache.finish("/organizations/o", value: body, bytes: body.readableBytes)
        #expect(cache.value(for: "/organizations/o") == nil, "computed before the change that touched it: stale")
        #expect(cache.holds("/organizations/o"))
        // and a change that is not known makes every answer stale, and drops none
        cache.advance(to: 7, changed: nil)
        #expect(cache.count == 5)
        #expect(cache.value(for: "/organizations") == nil)
        #expect(cache.revision == 7)
        // an older revision never moves it back
        cache.advance(to: 6, changed: [])
        #expect(cache.revision == 7)
    }

    @Test func aStaleAnswerIsServedForAtMostTheStalenessWhileOneRequestComputesItAgain() async {
        let cache = RevisionCache<ByteBuffer>(capacity: 1 << 20, staleness: .seconds(1))
        let start = ContinuousClock.now
        func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }
        cache.advance(to: 5, changed: [], now: at(0))
        let five = ByteBuffer(string: "5"), six = ByteBuffer(string: "6"), seven = ByteBuffer(string: "7")
        _ = await through(cache, "/", five, depends: [.dashboard], now: at(0))
        // given a change that touched the page
        cache.advance(to: 6, changed: [.dashboard], now: at(0))
        // then within half the staleness, a user who did not write is served the stale page
        #expect(await through(cache, "/", six, depends: [.dashboard], now: at(100)) == five)
        // but the user who wrote revision 6 gets it computed, and in the meantime the others the stale one
        guard case .compute = await cache.lookup("/", required: 6, depends: [.dashboard], now: at(100)) else {
            Issue.record("the writer's read must compute")
            return
        }
        #expect(await through(cache, "/", six, depends: [.dashboard], now: at(150)) == five)
        cache.finish("/", value: six, bytes: 1)
        #expect(cache.value(for: "/") == six)
        // given another change: past half the staleness one request computes it again,
        // and the others are served the stale page meanwhile
        cache.advance(to: 7, changed: [.dashboard], now: at(1000))
        guard case .compute = await cache.lookup("/", required: 0, depends: [.dashboard], now: at(1600)) else {
            Issue.record("past half the staleness, the page is computed again")
            return
        }
        #expect(await through(cache, "/", six, depends: [.dashboard], now: at(1400)) == six)
        #expect(await through(cache, "/", seven, depends: [.dashboard], now: at(1700)) == six)
        // and past the staleness, nobody is served the stale page: they wait for the computation
        let waiting = Task { await cache.lookup("/", required: 0, depends: [.dashboard], now: at(2100)) }
        try? await Task.sleep(for: .milliseconds(50))
        cache.finish("/", value: seven, bytes: 1)
        guard case .hit(let waited) = await waiting.value, waited == seven else {
            Issue.record("expected the computed page")
            return
        }
        // and with no staleness, a touched answer is always computed again
        let strict = RevisionCache<ByteBuffer>(capacity: 1 << 20)
        strict.advance(to: 5, changed: [])
        _ = await through(strict, "/", five, depends: [.dashboard])
        strict.advance(to: 6, changed: [.dashboard])
        #expect(await through(strict, "/", six, depends: [.dashboard]) == six)
    }
}

/// A count several tasks add to.
final class Counter: Sendable {
    private let count = Mutex(0)

    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
