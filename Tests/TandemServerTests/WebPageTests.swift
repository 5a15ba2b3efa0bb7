import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting
import ZIPFoundation

/// The pages as their users see them: what a partner guest may see, and that no name or key,
/// however hostile, can break out of the markup.
@Suite struct WebPageTests {
    func page(_ app: Application, _ path: String, session: String) async throws -> (status: HTTPStatus, html: String) {
        var result: (HTTPStatus, String) = (.internalServerError, "")
        try await app.testing().test(.GET, path, headers: ["Cookie": "\(WebSession.cookie)=\(session)"]) { response in
            result = (response.status, response.body.string)
        }
        return result
    }

    @Test(arguments: ServerBackend.available)
    func aPartnerGuestSeesTheSharedSpaceOfTheirPartnershipsOnly(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            // given the authorization world: ps1 with d1 (internal notes, a risk, an internal and a shared review), ps2 with d2
            _ = try await AuthorizationMatrixTests.world(app)
            _ = try await addUser(app, email: "guest@d1.example", role: .partnerGuest, organization: "d1", partnerships: ["ps1"])
            let guest = try await signIn(app, email: "guest@d1.example")
            let admin = try await signIn(app, email: "admin@test.example")
            // when the guest opens their start page and their partnership
            let start = try await page(app, "/", session: guest)
            let shared = try await page(app, "/partnerships/ps1", session: guest)
            // then they see ps1's goals, pledges and the shared review, and nothing internal
            #expect(start.status == .ok && start.html.contains("href=\"/partnerships/ps1\"") && !start.html.contains("ps2"))
            #expect(start.html.contains("Partnerships") && !start.html.contains("href=\"/territories\""))
            #expect(shared.status == .ok)
            #expect(shared.html.contains("Growth") && shared.html.contains("2026-03-02"))
            #expect(!shared.html.contains("margin target") && !shared.html.contains(">Risks<") && !shared.html.contains("2026-03-01"))
            #expect(!shared.html.contains("href=\"/organizations/") && !shared.html.contains("href=\"/people/"), "a guest gets no links to home pages")
            // the home company sees it all
            let full = try await page(app, "/partnerships/ps1", session: admin)
            #expect(full.html.contains("margin target") && full.html.contains(">Risks<") && full.html.contains("2026-03-01"))
            // and another partnership, or any home page, does not exist for the guest
            for path in ["/partnerships/ps2", "/organizations/d1", "/people/dirk", "/relationships/hanna/dirk", "/partnerships/nothing"] {
                let answer = try await page(app, path, session: guest)
                #expect(answer.status == .notFound, "\(path)")
                #expect(!answer.html.contains("Nordlicht") && !answer.html.contains("Paula"))
            }
        }
    }

    @Test func hostileNamesAndKeysAreEscapedOnEveryPage() async throws {
        try await withTandemApp { app in
            // given records whose names, keys and notes are made to break out of HTML and SVG
            _ = try await AuthorizationMatrixTests.world(app)
            let directory = try DirectoryRepository(database: app.db, workspaceID: try app.workspaceID)
            let key = "x\"onmouseover=\"alert(1)", person = "p'><svg onload=alert(2)>"
            _ = try await directory.saveTerritory(TerritoryDraft(code: "T\"<x>", name: "<script>alert(3)</script>", parentCode: "DE"))
            _ = try await directory.saveOrganization(OrganizationDraft(key: key, name: "<script>alert(4)</script>", kind: "distributor"))
            _ = try await directory.saveBranch(BranchDraft(key: "b\"<x>", organizationKey: key, name: "<i>b</i>", territoryCode: "T\"<x>"))
            _ = try await directory.savePerson(PersonDraft(key: person, name: "<img src=x onerror=alert(5)>", email: "a\"<b>@x.example"))
            // …and a duplicate of that person, for the duplicates page.
            _ = try await directory.savePerson(PersonDraft(key: person + "\"2", name: "<img src=x onerror=alert(5)>", email: "A\"<b>@x.example"))
            _ = try await directory.saveEmployment(EmploymentDraft(personKey: person, organizationKey: key, branchKey: "b\"<x>", function: "inside_sales",
                                                                   title: "<b>boss</b>", startDate: "2020-01-01"))
            for (index, date) in ["2026-01-10", "2026-02-10", "2026-03-10"].enumerated() {
                _ = try await directory.saveInteraction(InteractionDraft(key: "h\(index)\"<", date: date, kind: "visit", initiatorKey: "hanna",
                                                                         participantKeys: [person], summary: "</td><script>alert(6)</script>"))
            }
            let session = try await signIn(app, email: "admin@test.example")
            let encodedKey = pathComponent(key), encodedPerson = pathComponent(person)
            // when every page that shows them is opened
            for path in ["/", "/?territory=DE", "/organizations/\(encodedKey)", "/people/\(encodedPerson)",
                         "/relationships/hanna/\(encodedPerson)", "/people/hanna", "/partnerships/ps1", "/territories",
                         "/territories/DE", "/territories/\(pathComponent("T\"<x>"))", "/duplicates",
                         "/duplicates?merged=%3Cscript%3Ealert(7)%3C%2Fscript%3E"] {
                let (status, html) = try await page(app, path, session: session)
                // then each answers and no markup from the data survives
                #expect(status == .ok, "\(path) → \(status.code)")
                for payload in ["<script>alert", "<img src=x", "onmouseover=\"alert", "<svg onload", "<b>boss", "<i>b</i>", "\"<x>", "'><svg"] {
                    #expect(!html.contains(payload), "\(path) contains \(payload)")
                }
                if path == "/duplicates" { #expect(html.contains("the same e-mail a&quot;&lt;b&gt;@x.example") || html.contains("the same e-mail a\"&lt;b&gt;@x.example"), "\(html.suffix(2000))") }
            }
        }
    }

    @Test(arguments: ServerBackend.available)
    func loggingAnInteractionChangesTheRelationshipPage(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            // given Hanna and Dirk with one visit on record, and a salesperson signed in
            _ = try await AuthorizationMatrixTests.world(app)
            _ = try await addUser(app, email: "sales@test.example", role: .salesperson)
            let session = try await signIn(app, email: "sales@test.example")
            let before = try await page(app, "/relationships/hanna/dirk", session: session)
            #expect(before.html.contains("Their dealings (1)"))
            let form = try await page(app, "/interactions/new?person=dirk&with=hanna", session: session)
            #expect(form.html.contains("value=\"Hanna (hanna)\"") && form.html.contains("value=\"Dirk (dirk)\""))
            let csrf = try #require(form.html.range(of: "name=\"csrf\" value=\"").map { String(form.html[$0.upperBound...].prefix { $0 != "\"" }) })
            let headers: HTTPHeaders = ["Cookie": "\(WebSession.cookie)=\(session)", "Content-Type": "application/x-www-form-urlencoded"]
            func post(_ body: String) async throws -> (HTTPStatus, String, String?) {
                var result: (HTTPStatus, String, String?) = (.internalServerError, "", nil)
                try await app.testing().test(.POST, "/interactions", headers: headers, body: ByteBuffer(string: body + "&csrf=\(csrf)")) { response in
                    result = (response.status, response.body.string, response.headers.first(name: .location))
                }
                return result
            }
            // when a name matches nobody, or the date is no date: nothing is saved, every problem is said
            let wrong = try await post("who[]=Nobody%20Here&who[]=dirk&kind=visit&date=2026-02-30")
            #expect(wrong.0 == .unprocessableEntity && wrong.1.contains("nobody called “Nobody Here”"))
            #expect(try await post("who[]=hanna&who[]=dirk&kind=visit&date=2026-02-03&summary=a%00b").0 == .unprocessableEntity)
            let badDate = try await post("who[]=hanna&who[]=dirk&kind=visit&date=2026-02-30")
            #expect(badDate.0 == .unprocessableEntity && badDate.1.contains("Date:") && badDate.1.contains("value=\"2026-02-30\""))
            // when the visit is logged by name, with the date of today
            let logged = try await post("who[]=hanna&who[]=Dirk&who[]=&kind=visit&date=\(LocalDate(Date(), in: TimeZone(identifier: "UTC")!))&summary=Stock%20review")
            // then it goes back to the relationship, which now counts two dealings and shows the summary
            #expect(logged.0 == .seeOther && logged.2?.hasPrefix("/relationships/hanna/dirk?logged=") == true, "\(logged.0) \(logged.1.prefix(300))")
            let after = try await page(app, logged.2 ?? "/", session: session)
            #expect(after.html.contains("The interaction was logged.") && after.html.contains("Their dealings (2)") && after.html.contains("Stock review"))
            let accounts = try AccountRepository(database: app.db, workspaceID: try app.workspaceID)
            #expect(try await accounts.auditTrail(limit: 1).first?.action == "interaction.create")
        }
    }

    /// A multipart body as a browser sends a file form.
    static func multipart(_ fields: [(name: String, filename: String?, data: Data)], boundary: String) -> ByteBuffer {
        var body = Data()
        for field in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field.name)\"".utf8)
            if let filename = field.filename { body += Data("; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream".utf8) }
            body += Data("\r\n\r\n".utf8) + field.data + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return ByteBuffer(data: body)
    }

    @Test(arguments: ServerBackend.available)
    func anImportFromTheBrowserListsEveryBadRowAndAppliesNothingOrAll(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            let session = try await signIn(app, email: "admin@test.example")
            let form = try await page(app, "/import", session: session)
            let csrf = try #require(form.html.range(of: "name=\"csrf\" value=\"").map { String(form.html[$0.upperBound...].prefix { $0 != "\"" }) })
            let organizations = Data("key,name,kind,country,currency,is_home\nhome,Voltwerk,manufacturer,DE,EUR,true\nd1,Elektro Süd,distributor,DE,EUR,false\n".utf8)
            let badPeople = Data("key,name,email\np1,Anna,\np2,,x@y.example\n".utf8)
            let goodPeople = Data("key,name,email\np1,Anna,\np2,Ben,x@y.example\n".utf8)
            // a zip of the bundle in a folder, as an archiver writes it
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-zip-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("bundle"), withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try organizations.write(to: folder.appendingPathComponent("bundle/organizations.csv"))
            try badPeople.write(to: folder.appendingPathComponent("bundle/people.csv"))
            let zip = folder.appendingPathComponent("bundle.zip")
            try FileManager.default.zipItem(at: folder.appendingPathComponent("bundle"), to: zip)
            func upload(_ files: [(String, Data)]) async throws -> (HTTPStatus, String) {
                let boundary = "----tandem\(UUID().uuidString)"
                let body = Self.multipart([("csrf", nil, Data(csrf.utf8))] + files.map { ("files[]", $0.0, $0.1) }, boundary: boundary)
                var result: (HTTPStatus, String) = (.internalServerError, "")
                try await app.testing().test(.POST, "/import", headers: ["Cookie": "\(WebSession.cookie)=\(session)",
                                                                        "Content-Type": "multipart/form-data; boundary=\(boundary)"], body: body) { response in
                    result = (response.status, response.body.string)
                }
                return result
            }
            // when the zip has a bad row: every problem is listed and nothing is applied
            let refused = try await upload([("bundle.zip", try Data(contentsOf: zip))])
            #expect(refused.0 == .ok && refused.1.contains("Nothing was imported: 1 problem") && refused.1.contains("people.csv:3: name: required value is missing"),
                    "\(refused.1.suffix(600))")
            #expect(try await DirectoryRepository(database: app.db, workspaceID: try app.workspaceID).organizations(ListQuery()).items.isEmpty)
            // when the CSV files are uploaded as they are, with the row fixed: all of it is applied, with progress on the way
            let done = try await upload([("organizations.csv", organizations), ("people.csv", goodPeople)])
            #expect(done.1.contains("Imported 4 rows") && done.1.contains("<ol class=\"progress\""), "\(done.1.suffix(600))")
            #expect(try await DirectoryRepository(database: app.db, workspaceID: try app.workspaceID).person(key: "p2").name == "Ben")
            // a file that is neither: refused before anything
            let other = try await upload([("notes.txt", Data("hello".utf8))])
            #expect(other.0 == .unsupportedMediaType)
        }
    }

    @Test(arguments: ServerBackend.available)
    func contactsCalendarsAndReportsImportFromTheBrowserWithAPreviewFirst(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
            let session = try await signIn(app, email: "admin@test.example")
            let form = try await page(app, "/import", session: session)
            let csrf = try #require(form.html.range(of: "name=\"csrf\" value=\"").map { String(form.html[$0.upperBound...].prefix { $0 != "\"" }) })
            func upload(_ files: [(String, String)], fields: [(String, String)] = [], extra: [(String, String, Data)] = []) async throws -> (HTTPStatus, String) {
                let boundary = "----tandem\(UUID().uuidString)"
                var parts: [(name: String, filename: String?, data: Data)] = [("csrf", nil, Data(csrf.utf8))]
                for (name, path) in files { parts.append(("files[]", name, try Data(contentsOf: fixtures.appendingPathComponent(path)))) }
                for (name, value) in fields { parts.append((name, nil, Data(value.utf8))) }
                for (name, filename, data) in extra { parts.append((name, filename, data)) }
                var result: (HTTPStatus, String) = (.internalServerError, "")
                try await app.testing().test(.POST, "/import", headers: ["Cookie": "\(WebSession.cookie)=\(session)",
                                                                        "Content-Type": "multipart/form-data; boundary=\(boundary)"],
                                             body: Self.multipart(parts, boundary: boundary)) { response in
                    result = (response.status, response.body.string)
                }
                return result
            }
            let directory = try DirectoryRepository(database: app.db, workspaceID: try app.workspaceID)
            let seeded = try await upload([("organizations.csv", "foreign/workspace/organizations.csv"), ("people.csv", "foreign/workspace/people.csv"),
                                           ("employments.csv", "foreign/workspace/employments.csv")])
            #expect(seeded.1.contains("Imported 13 rows"), "\(seeded.1.suffix(400))")
            // A preview lists what would happen record by record and changes nothing.
            let preview = try await upload([("contacts-3.vcf", "foreign/contacts-3.vcf")], fields: [("dry_run", "1")])
            #expect(preview.1.contains("Preview: nothing was changed") && preview.1.contains("Would create 5 people, 4 employments, 1 organization"),
                    "\(preview.1.suffix(800))")
            #expect(preview.1.contains("line 62: update person: &quot;Priya Natarajan&quot;") || preview.1.contains("line 62: update person: \"Priya Natarajan\""))
            #expect(try await directory.people(ListQuery()).items.count == 5)
            let contacts = try await upload([("contacts-3.vcf", "foreign/contacts-3.vcf")])
            #expect(contacts.1.contains("Created 5 people"), "\(contacts.1.suffix(600))")
            #expect(try await directory.people(ListQuery()).items.count == 10)
            let calendar = try await upload([("calendar.ics", "foreign/calendar.ics")],
                                            fields: [("from", "2026-01-01"), ("to", "2026-12-31"), ("kind_rules", "category:Business review=business_review\r\nsummary:call=call")])
            #expect(calendar.1.contains("Created 62 interactions; skipped 3 events") && calendar.1.contains("stranger@elsewhere.example is not a person"),
                    "\(calendar.1.suffix(600))")
            // A CSV report must say what it is; a CRM export needs its mapping.
            let unnamed = try await upload([("report.csv", "pos/acme-nemra.csv")])
            #expect(unnamed.0 == .badRequest && unnamed.1.contains("choose its kind of file"))
            let unmapped = try await upload([("contacts.csv", "crm/hubspot-contacts.csv")], fields: [("format", "crm-csv")])
            #expect(unmapped.0 == .badRequest && unmapped.1.contains("needs its mapping"))
            let mapped = try await upload([("contacts.csv", "crm/hubspot-contacts.csv")],
                                          fields: [("format", "crm-csv"), ("mapping", try String(contentsOf: fixtures.appendingPathComponent("crm/hubspot-contacts.mapping"), encoding: .utf8))])
            #expect(mapped.1.contains("Created 3 people"), "\(mapped.1.suffix(600))")
            let badRule = try await upload([("calendar.ics", "foreign/calendar.ics")], fields: [("kind_rules", "colour:red=call")])
            #expect(badRule.0 == .badRequest && badRule.1.contains("Rules, line 1"))
        }
    }

    @Test(arguments: ServerBackend.available)
    func aManagerMergesADuplicateFromItsPage(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            _ = try await AuthorizationMatrixTests.world(app)
            try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders,
                                     body: jsonBody(["key": "dirk-2", "name": "Dirk <Again>", "email": "DIRK@d1.example"])) { res in #expect(res.status == .created) }
            let dirk = try await DirectoryRepository(database: app.db, workspaceID: try app.workspaceID).person(key: "dirk")
            try await app.api().test(.PUT, "/api/v1/people/dirk", headers: jsonHeaders,
                                     body: jsonBody(["name": dirk.name, "email": "dirk@d1.example"])) { res in #expect(res.status == .ok) }
            _ = try await addUser(app, email: "manager@test.example", role: .manager)
            let session = try await signIn(app, email: "manager@test.example")
            let shown = try await page(app, "/duplicates", session: session)
            #expect(shown.html.contains("the same e-mail dirk@d1.example") && shown.html.contains("Dirk &lt;Again&gt;"), "\(shown.html.suffix(1500))")
            let csrf = try #require(shown.html.range(of: "name=\"csrf\" value=\"").map { String(shown.html[$0.upperBound...].prefix { $0 != "\"" }) })
            var location: String?
            try await app.testing().test(.POST, "/duplicates/merge", headers: ["Cookie": "\(WebSession.cookie)=\(session)", "Content-Type": "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "kind=person&keep=dirk&merge=dirk-2&csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther)
                location = response.headers.first(name: .location)
            }
            let after = try await page(app, try #require(location), session: session)
            #expect(after.html.contains("person dirk-2 merged into dirk") && after.html.contains("No likely duplicates."))
            try await app.testing().test(.POST, "/duplicates/merge", headers: ["Cookie": "\(WebSession.cookie)=\(session)", "Content-Type": "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "kind=person&keep=dirk&merge=dirk-2&csrf=\(csrf)")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(arguments: ServerBackend.available)
    func aGuestRecordsTheirSideAndConfirmsOursOnThePartnershipPage(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            // given ps1: a pledge of d1 (c-d1) and one of home (c-home) with an unconfirmed home contribution
            let world = try await AuthorizationMatrixTests.world(app)
            _ = try await addUser(app, email: "guest@d1.example", role: .partnerGuest, organization: "d1", partnerships: ["ps1"])
            _ = try await addUser(app, email: "sales@test.example", role: .salesperson)
            let guest = try await signIn(app, email: "guest@d1.example"), sales = try await signIn(app, email: "sales@test.example")
            let shown = try await page(app, "/partnerships/ps1", session: guest)
            // the guest is offered their own pledge only, and their own people to confirm with
            #expect(shown.html.contains("value=\"c-d1\"") && !shown.html.contains("value=\"c-home\""))
            #expect(shown.html.contains("value=\"dirk\"") && !shown.html.contains("value=\"hanna\""))
            let csrf = try #require(shown.html.range(of: "name=\"csrf\" value=\"").map { String(shown.html[$0.upperBound...].prefix { $0 != "\"" }) })
            func post(_ path: String, _ body: String, session: String, csrf token: String) async throws -> (HTTPStatus, String, String?) {
                var result: (HTTPStatus, String, String?) = (.internalServerError, "", nil)
                try await app.testing().test(.POST, path, headers: ["Cookie": "\(WebSession.cookie)=\(session)", "Content-Type": "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: body + "&csrf=\(token)")) { response in
                    result = (response.status, response.body.string, response.headers.first(name: .location))
                }
                return result
            }
            // when the guest records a contribution to their pledge and confirms the home company's
            let recorded = try await post("/partnerships/ps1/contributions", "pledge=c-d1&date=2026-02-03&amount=4&note=Training", session: guest, csrf: csrf)
            #expect(recorded.0 == .seeOther && recorded.2 == "/partnerships/ps1?saved=contribution", "\(recorded.1.prefix(400))")
            let confirmed = try await post("/partnerships/ps1/confirmations", "contribution=\(world.contribution)&confirmed_by=dirk", session: guest, csrf: csrf)
            #expect(confirmed.0 == .seeOther, "\(confirmed.1.prefix(400))")
            // then the page shows both
            let after = try await page(app, "/partnerships/ps1?saved=confirmation", session: guest)
            #expect(after.html.contains("The contribution was confirmed.") && after.html.contains("Training"))
            let detail = try await PartnershipRepository(database: app.db, workspaceID: try app.workspaceID).detail(key: "ps1", asOf: LocalDate("2026-06-30")!)
            #expect(detail.pledges.first { $0.key == "c-home" }?.contributions.first?.confirmedByKey == "dirk")
            #expect(detail.pledges.first { $0.key == "c-d1" }?.claimed == 4)
            // and what is not theirs is refused: the home pledge (403), a bad amount (422, nothing saved), another partnership (404)
            #expect(try await post("/partnerships/ps1/contributions", "pledge=c-home&date=2026-02-03&amount=4", session: guest, csrf: csrf).0 == .forbidden)
            #expect(try await post("/partnerships/ps1/contributions", "pledge=c-d1&date=2026-02-03&amount=1&note=a%00b", session: guest, csrf: csrf).0
                    == .unprocessableEntity)
            let bad = try await post("/partnerships/ps1/contributions", "pledge=c-d1&date=2026-02-03&amount=lots", session: guest, csrf: csrf)
            #expect(bad.0 == .unprocessableEntity && bad.1.contains("is not a number"))
            #expect(try await post("/partnerships/ps2/contributions", "pledge=c-d1&date=2026-02-03&amount=4", session: guest, csrf: csrf).0 == .notFound)
            // a salesperson reads partnerships but does not record for them
            let salesPage = try await page(app, "/partnerships/ps1", session: sales)
            #expect(!salesPage.html.contains("Record a contribution"))
            let salesCSRF = try #require(salesPage.html.range(of: "name=\"csrf\" value=\"").map { String(salesPage.html[$0.upperBound...].prefix { $0 != "\"" }) })
            #expect(try await post("/partnerships/ps1/contributions", "pledge=c-home&date=2026-02-03&amount=4", session: sales, csrf: salesCSRF).0 == .forbidden)
        }
    }
}
