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
}
