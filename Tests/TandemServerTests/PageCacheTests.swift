import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting

/// Pages rendered once serve every user of the same role until the workspace changes, each with
/// their own sign-out form and name.
@Suite struct PageCacheTests {
    func page(_ app: Application, _ path: String, session: String) async throws -> (status: HTTPStatus, html: String) {
        try await WebPageTests().page(app, path, session: session)
    }

    func csrf(_ html: String) -> String? {
        html.range(of: "name=\"csrf\" value=\"").map { String(html[$0.upperBound...].prefix { $0 != "\"" }) }
    }

    @Test(arguments: ServerBackend.available)
    func aCachedPageCarriesItsOwnUsersTokenAndNameAndGoesWithTheRevision(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            // given two managers (users first: adding one is a write) and an organization page seen by the first
            _ = try await AuthorizationMatrixTests.world(app)
            _ = try await addUser(app, email: "ann@test.example", role: .manager)
            _ = try await addUser(app, email: "bob@test.example", role: .manager)
            let ann = try await signIn(app, email: "ann@test.example")
            let bob = try await signIn(app, email: "bob@test.example")
            let seenByAnn = try await page(app, "/organizations/d1", session: ann)
            #expect(seenByAnn.status == .ok)
            // when the organization is renamed behind the server's back, without a new revision
            let workspaceID = try app.workspaceID
            try await app.db.sql().raw("UPDATE organizations SET name = 'Renamed quietly' WHERE workspace_id = \(bind: workspaceID) AND key = 'd1'").run()
            let seenByBob = try await page(app, "/organizations/d1", session: bob)
            // then Bob gets the page Ann's request rendered, with his own token and name in the frame
            let annToken = try #require(csrf(seenByAnn.html)), bobToken = try #require(csrf(seenByBob.html))
            #expect(annToken != bobToken)
            #expect(seenByBob.html.contains("bob@test.example · manager") && !seenByBob.html.contains("ann@test.example"))
            #expect(seenByBob.html.replacingOccurrences(of: bobToken, with: annToken).replacingOccurrences(of: "bob@", with: "ann@") == seenByAnn.html)
            #expect(!seenByBob.html.contains("tandem-csrf-") && !seenByBob.html.contains("tandem-who-"))
            // and his token signs him out
            try await app.testing().test(.POST, "/logout", headers: ["Cookie": "\(WebSession.cookie)=\(bob)", "Content-Type": "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "csrf=\(bobToken)")) { response in
                #expect(response.status == .seeOther)
            }
            // when a write opens a new revision, the page is rendered again
            try await WorkspaceRepository.beginWrite(try app.db.sql(), workspaceID: workspaceID)
            let fresh = try await page(app, "/organizations/d1", session: ann)
            #expect(fresh.html.contains("Renamed quietly"))
            // and an error page is never kept and shows no mark
            let missing = try await page(app, "/organizations/nobody", session: ann)
            #expect(missing.status == .notFound)
            #expect(csrf(missing.html) == annToken)
            #expect(!missing.html.contains("tandem-csrf-") && !missing.html.contains("tandem-who-"))
        }
    }

    @Test(arguments: ServerBackend.available)
    func aLoggedDealingKeepsThePagesAndListsItDidNotTouch(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            // given pages and lists seen once
            _ = try await AuthorizationMatrixTests.world(app)
            _ = try await addUser(app, email: "ann@test.example", role: .manager)
            let ann = try await signIn(app, email: "ann@test.example")
            for path in ["/", "/organizations/d2", "/people/paula", "/people/dirk", "/relationships/hanna/dirk"] {
                #expect(try await page(app, path, session: ann).status == .ok)
            }
            for path in ["/api/v1/organizations", "/api/v1/interactions?person=paula", "/api/v1/interactions?person=dirk"] {
                try await app.api().test(.GET, path) { #expect($0.status == .ok) }
            }
            // and names changed behind the server's back, without a new revision, to tell a kept answer
            let workspaceID = try app.workspaceID
            try await app.db.sql().raw("UPDATE organizations SET name = 'Nordlicht quietly' WHERE workspace_id = \(bind: workspaceID) AND key = 'd2'").run()
            try await app.db.sql().raw("UPDATE people SET name = 'Paula quietly' WHERE workspace_id = \(bind: workspaceID) AND key = 'paula'").run()
            // when a dealing between Hanna and Dirk is logged through this server
            let today = LocalDate(Date(), in: TimeZone(identifier: "UTC")!).description
            try await app.api().test(.POST, "/api/v1/interactions", headers: jsonHeaders,
                                     body: jsonBody(["key": "kept-1", "date": today, "kind": "visit", "initiator_key": "hanna",
                                                     "participant_keys": ["dirk"], "summary": "Logged while pages were kept"])) { res in
                #expect(res.status == .created)
            }
            // then the pages and lists it touched show it
            #expect(try await page(app, "/people/dirk", session: ann).html.contains("Logged while pages were kept"))
            #expect(try await page(app, "/relationships/hanna/dirk", session: ann).html.contains("Their dealings (2)"))
            try await app.api().test(.GET, "/api/v1/interactions?person=dirk") { #expect($0.body.string.contains("kept-1")) }
            // and those it did not touch are still answered from the cache
            #expect(try await page(app, "/organizations/d2", session: ann).html.contains("Nordlicht"))
            #expect(!(try await page(app, "/organizations/d2", session: ann).html.contains("quietly")))
            #expect(!(try await page(app, "/people/paula", session: ann).html.contains("quietly")))
            try await app.api().test(.GET, "/api/v1/organizations") { #expect(!$0.body.string.contains("quietly")) }
            try await app.api().test(.GET, "/api/v1/interactions?person=paula") { #expect(!$0.body.string.contains("kept-1")) }
            // until a change that is not folded in (here, one behind the server's back) opens a new revision
            try await WorkspaceRepository.beginWrite(try app.db.sql(), workspaceID: workspaceID)
            #expect(try await page(app, "/people/paula", session: ann).html.contains("Paula quietly"))
            try await app.api().test(.GET, "/api/v1/organizations") { #expect($0.body.string.contains("Nordlicht quietly")) }
        }
    }
}
