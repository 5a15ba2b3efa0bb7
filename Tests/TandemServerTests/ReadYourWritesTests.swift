import Foundation
import TandemCore
@testable import TandemServer
import Testing
import Vapor
import VaporTesting

/// With a staleness allowed (as `tandem serve` runs by default), a user's reads show their own
/// writes at once, through the API and the pages, while other users' pages may be served as they
/// were for a moment instead of being rendered again after every write.
@Suite struct ReadYourWritesTests {
    func page(_ app: Application, _ path: String, session: String) async throws -> String {
        let (status, html) = try await WebPageTests().page(app, path, session: session)
        #expect(status == .ok, "\(path): \(status)")
        return html
    }

    func log(_ app: Application, token: String, key: String, summary: String) async throws {
        let today = LocalDate(Date(), in: TimeZone(identifier: "UTC")!).description
        try await app.api(token: token).test(.POST, "/api/v1/interactions", headers: jsonHeaders,
                                             body: jsonBody(["key": key, "date": today, "kind": "visit", "initiator_key": "hanna",
                                                             "participant_keys": ["dirk"], "summary": summary])) { res in
            #expect(res.status == .created)
        }
    }

    @Test(arguments: ServerBackend.available)
    func aUsersOwnWritesShowAtOnceWhileOthersMayLagWithinTheStaleness(_ backend: ServerBackend) async throws {
        // A staleness long enough that no pause of a busy machine lets it pass within the test.
        try await withTandemApp(backend, staleness: .seconds(60)) { app in
            _ = try await AuthorizationMatrixTests.world(app)
            let samToken = try await addUser(app, email: "sam@test.example", role: .salesperson)
            let annToken = try await addUser(app, email: "ann@test.example", role: .manager)
            let sam = try await signIn(app, email: "sam@test.example"), ann = try await signIn(app, email: "ann@test.example")
            // given both users' pages and the list of Dirk's dealings read (and cached) once
            let relationship = "/relationships/hanna/dirk"
            #expect(try await page(app, relationship, session: ann).contains("Their dealings (1)"))
            #expect(try await page(app, relationship, session: sam).contains("Their dealings (1)"))
            let organizationBefore = try await page(app, "/organizations/d1", session: sam)
            try await app.api(token: samToken).test(.GET, "/api/v1/interactions?person=dirk") { res in
                #expect(res.status == .ok && !res.body.string.contains("Logged by Sam"))
            }
            // when Sam logs a dealing through the API
            try await log(app, token: samToken, key: "by-sam", summary: "Logged by Sam")
            // then Sam's next reads show it: the list, the relationship and the organization's assessment
            try await app.api(token: samToken).test(.GET, "/api/v1/interactions?person=dirk") { res in
                #expect(res.status == .ok && res.body.string.contains("Logged by Sam"))
            }
            let samsPage = try await page(app, relationship, session: sam)
            #expect(samsPage.contains("Their dealings (2)") && samsPage.contains("Logged by Sam"))
            #expect(try await page(app, "/organizations/d1", session: sam) != organizationBefore,
                    "the organization's relationships and assessment moved")
            // while Ann, who wrote nothing, is still served the page as it was (within the staleness)
            #expect(try await page(app, relationship, session: ann).contains("Their dealings (1)"))
            // and once Ann writes, her reads show her dealing and Sam's
            try await log(app, token: annToken, key: "by-ann", summary: "Logged by Ann")
            let annsPage = try await page(app, relationship, session: ann)
            #expect(annsPage.contains("Their dealings (3)") && annsPage.contains("Logged by Sam") && annsPage.contains("Logged by Ann"))
        }
    }
}
