import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
@testable import TandemWorkspace
import Testing
import Vapor
import VaporTesting

/// Two `tandem serve` processes on one database, as behind a load balancer (README, "Several
/// servers"): what one writes the other reads at once, and a session or token works on both.
@Suite struct SeveralServersTests {
    func page(_ app: Application, _ path: String, session: String) async throws -> (status: HTTPStatus, html: String) {
        try await WebPageTests().page(app, path, session: session)
    }

    @Test(arguments: ServerBackend.available)
    func aWriteThroughOneServerIsReadThroughTheOtherAndSessionsWorkOnBoth(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            _ = try await AuthorizationMatrixTests.world(app)
            let other = try await Application.make(.testing)
            other.logger.logLevel = .error
            do {
                try await configure(other, settings: app.storage[SettingsKey.self]!)
                other.storage[AdminTokenKey.self] = app.storage[AdminTokenKey.self]
                // A session begun on one server is good on the other.
                let session = try await signIn(app, email: "admin@test.example")
                let first = try await page(other, "/relationships/hanna/dirk", session: session)
                #expect(first.status == .ok && first.html.contains("Their dealings (1)"), "\(first.status)")
                // Both servers have the assessment cached; then one of them takes a write.
                #expect(try await page(app, "/relationships/hanna/dirk", session: session).html.contains("Their dealings (1)"))
                var before = ""
                try await other.api().test(.GET, "/api/v1/relationships?person=dirk") { res in
                    #expect(res.status == .ok)
                    before = res.body.string
                }
                let today = LocalDate(Date(), in: TimeZone(identifier: "UTC")!).description
                try await app.api().test(.POST, "/api/v1/interactions", headers: jsonHeaders,
                                         body: jsonBody(["key": "both-servers", "date": today, "kind": "visit", "initiator_key": "hanna",
                                                         "participant_keys": ["dirk"], "summary": "Written through the first server"])) { res in
                    #expect(res.status == .created)
                }
                // The other server's next page and API answer count it, without being told.
                let after = try await page(other, "/relationships/hanna/dirk", session: session)
                #expect(after.html.contains("Their dealings (2)") && after.html.contains("Written through the first server"))
                try await other.api().test(.GET, "/api/v1/relationships?person=dirk") { res in
                    #expect(res.status == .ok && res.body.string != before, "the relationships did not change")
                }
                // Signing out on one ends the session on both.
                var csrf = ""
                if let range = after.html.range(of: "name=\"csrf\" value=\"") { csrf = String(after.html[range.upperBound...].prefix { $0 != "\"" }) }
                try await other.testing().test(.POST, "/logout", headers: ["Cookie": "\(WebSession.cookie)=\(session)", "Content-Type": "application/x-www-form-urlencoded"],
                                               body: ByteBuffer(string: "csrf=\(csrf)")) { res in #expect(res.status == .seeOther) }
                #expect(try await page(app, "/", session: session).status == .seeOther)
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }
}

@Suite struct ClientAddressTests {
    @Test func aTrustedBalancerNamesTheClientAndNobodyElseDoes() {
        let balancer: Set<String> = ["10.0.0.2", "10.0.0.3"]
        // Straight from the client: the peer, whatever the header claims.
        #expect(ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trusted: balancer) == "203.0.113.9")
        // Through the balancer: the address it saw, not what the client put further left.
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 198.51.100.7"], trusted: balancer) == "198.51.100.7")
        // Through two trusted hops.
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["198.51.100.7", "10.0.0.3"], trusted: balancer) == "198.51.100.7")
        // A trusted peer without the header: the peer.
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: [], trusted: balancer) == "10.0.0.2")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["1.2.3.4"], trusted: balancer) == nil)
    }
}

/// A new interaction saved through a server updates the workspace it holds in memory instead of
/// reloading it from the database, with the same result as a reload.
@Suite struct AssessmentCacheDeltaTests {
    @Test(arguments: ServerBackend.available)
    func aLoggedInteractionIsAppliedInMemoryWithTheSameResultAsAReload(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            _ = try await AuthorizationMatrixTests.world(app)
            let cache = try app.readModel
            let session = try await signIn(app, email: "admin@test.example")
            func page(_ path: String) async throws -> String {
                var html = ""
                try await app.testing().test(.GET, path, headers: ["Cookie": "\(WebSession.cookie)=\(session)"]) { html = $0.body.string }
                return html
            }
            #expect(try await page("/relationships/hanna/dirk").contains("Their dealings (1)"))
            let reloads = await cache.reloads
            let today = LocalDate(Date(), in: TimeZone(identifier: "UTC")!).description
            try await app.api().test(.POST, "/api/v1/interactions", headers: jsonHeaders,
                                     body: jsonBody(["key": "delta-1", "date": today, "kind": "call", "initiator_key": "dirk", "participant_keys": ["hanna"]])) { res in
                #expect(res.status == .created)
            }
            #expect(try await page("/relationships/hanna/dirk").contains("Their dealings (2)"))
            let (reloadsAfter, deltas) = (await cache.reloads, await cache.deltas)
            #expect(reloadsAfter == reloads && deltas == 1)
            // The same report, every part of it, as reading the workspace again and assessing it whole.
            let workspaceID = try app.workspaceID
            let fresh = try await SnapshotLoader(sql: try app.db.sql(), workspaceID: workspaceID).load()
            let recomputed = Assessor().assess(fresh, asOf: LocalDate(Date(), in: TimeZone(identifier: "UTC")!))
            let revision = try await WorkspaceRepository(app.db).revision(of: workspaceID)
            let cached = try await cache.entry(revision: revision, asOf: recomputed.asOf) { throw Abort(.internalServerError) }
            // it holds none of the dealings, only what the assessment made of them
            #expect(!cached.state.holdsInteractions && cached.snapshot.interactions.isEmpty && !fresh.interactions.isEmpty)
            #expect(cached.report == recomputed)
            // A dealing logged elsewhere (another server, the command line) is folded in from the
            // database's record of it: the next request has it without reading the workspace again.
            _ = try await DirectoryRepository(database: app.db, workspaceID: workspaceID)
                .saveInteraction(InteractionDraft(key: "elsewhere", date: today, kind: "visit", initiatorKey: "hanna", participantKeys: ["dirk"]))
            #expect(try await page("/relationships/hanna/dirk").contains("Their dealings (3)"))
            #expect(await cache.reloads == reloads)
            #expect(await cache.caughtUp == 1)
        }
    }
}
