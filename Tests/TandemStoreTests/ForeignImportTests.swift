import Foundation
import SQLKit
import TandemCore
@testable import TandemStore
import Testing

/// Importing contacts and calendars written by other tools (Tests/Fixtures/foreign) into a workspace.
@Suite struct ForeignImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/foreign")

    static let options: ImportOptions = {
        var options = ImportOptions(today: LocalDate("2026-11-27")!)
        options.from = LocalDate("2026-01-01")
        options.through = LocalDate("2026-12-31")
        options.kindRules = [KindRule("category:Business review=business_review")!, KindRule("summary:call=call")!]
        return options
    }()

    /// The fixture workspace: three organizations, five people and their employments.
    func seed(_ store: Store, _ workspace: String) async throws {
        _ = try await BundleImporter().importBundle(from: Self.fixtures.appendingPathComponent("workspace"), into: store.database, workspace: workspace)
    }

    func run(_ file: String, _ store: Store, _ workspace: String, dryRun: Bool = false, data: Data? = nil,
             options: ImportOptions = ForeignImportTests.options) async throws -> ForeignImportSummary {
        var url = Self.fixtures.appendingPathComponent(file)
        if let data {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(file)")
            try data.write(to: url)
        }
        defer { if data != nil { try? FileManager.default.removeItem(at: url) } }
        let bytes = try Data(contentsOf: url)
        let format = ImportFormat.detect(name: file, isDirectory: false, head: bytes) ?? .nemra
        let index = try await ForeignImporter.index(of: workspace, in: store.database, interactionKeys: format == .ical)
        let translation = ForeignTranslation.translate(format, file: url, source: file, options: options, index: index)
        return try await ForeignImporter(importer: BundleImporter(dryRun: dryRun)).load(translation, into: store.database, workspace: workspace)
    }

    func people(_ store: Store, _ workspace: String) async throws -> [String: (name: String, email: String?, phone: String?)] {
        let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
        var out: [String: (String, String?, String?)] = [:]
        for row in try await store.sql.raw("SELECT key, name, email, phone FROM people WHERE workspace_id = \(bind: id)").all() {
            out[try row.decode(column: "key", as: String.self)] = (try row.decode(column: "name", as: String.self),
                                                                   try row.decode(column: "email", as: String?.self),
                                                                   try row.decode(column: "phone", as: String?.self))
        }
        return out
    }

    @Test(arguments: Backend.available)
    func contactsBecomePeopleOnceAndASecondImportChangesNothing(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            try await seed(store, workspace)
            let first = try await run("contacts-3.vcf", store, workspace)
            #expect(first.plan.summary(dryRun: false) == "created 5 people, 4 employments, 1 organization; updated 1 person; 2 people unchanged")
            let people = try await people(store, workspace)
            #expect(people.count == 10)
            // Matched by e-mail (another case) and by name at the same organization: no new person.
            #expect(people.values.filter { $0.name == "Dirk Brandt" }.count == 1)
            #expect(people.values.filter { $0.name == "Li Wei" }.count == 1)
            #expect(people["dirk"]?.phone == "+1-555-0110")
            // The same e-mail twice in the file: one person, the second card adds the phone.
            #expect(people["priya-natarajan"]?.email == "priya@brightgrid.example")
            #expect(people["priya-natarajan"]?.phone == "+44 20 5550 0142")
            #expect(people["soren-gross-ozturk"]?.name == "Sören Groß-Öztürk")
            let counts = try await rowCounts(store, workspace: workspace)
            #expect(counts["organizations"] == 4)
            #expect(counts["employments"] == 9)
            // ORG and TITLE become an employment from the day of the import, its function guessed from the title.
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            let soren = try #require(try await store.sql.raw("""
                SELECT e.function, e.title, e.start_date, o.key AS org FROM employments e JOIN people p ON p.id = e.person_id \
                JOIN organizations o ON o.id = e.organization_id WHERE p.key = 'soren-gross-ozturk' AND e.workspace_id = \(bind: id)
                """).first())
            #expect(try soren.decode(column: "org", as: String.self) == "nord")
            #expect(try soren.decode(column: "function", as: String.self) == "outside_sales")
            #expect(try soren.decode(column: "title", as: String.self) == "Key-Account-Manager Süddeutschland")
            #expect(try soren.decode(column: "start_date", as: String.self) == "2026-11-27")

            let second = try await run("contacts-3.vcf", store, workspace)
            #expect(second.plan.summary(dryRun: false) == "8 people unchanged")
            #expect(try await rowCounts(store, workspace: workspace) == counts)
        }
    }

    @Test(arguments: Backend.available)
    func peopleExportedAsVCardsImportBackAsTheSamePeople(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            try await seed(store, workspace)
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            let text = try #require(try await VCardExporter().cards(workspaceID: id, in: store.database))
            let cards = try VCardFormat.parse(Data(text.utf8))
            #expect(cards.map(\.name) == ["Hanna Berg", "Omar Haddad", "Dirk Brandt", "Li Wei", "Jürgen Weiß"])
            #expect(cards[4].organization == ["Nordlicht Elektro GmbH"] && cards[4].country == "DE" && cards[4].emails == ["juergen@nordlicht.example"])
            #expect(try await VCardExporter().cards(workspaceID: id, in: store.database, organization: "acme").map { try VCardFormat.parse(Data($0.utf8)).count } == 2)
            #expect(try await VCardExporter().cards(workspaceID: id, in: store.database, person: "nobody") == nil)
            // Into the same workspace: everyone is matched, nothing changes.
            let again = try await run("people.vcf", store, workspace, data: Data(text.utf8))
            #expect(again.plan.summary(dryRun: false) == "5 people unchanged")
            // Into a new one: first its own company, then the people, the other organizations and the jobs.
            let fresh = workspace + "-copy"
            await #expect {
                _ = try await run("people.vcf", store, fresh, data: Data(text.utf8))
            } throws: { error in
                (error as? BundleRejected)?.errors.issues.first?.message.hasPrefix("the workspace has no home organization yet") == true
            }
            let home = try TestBundle(["organizations.csv": "key,name,kind,is_home\nhome,Voltline Manufacturing,manufacturer,true\n"])
            defer { home.remove() }
            _ = try await BundleImporter().importBundle(from: home.url, into: store.database, workspace: fresh)
            let copy = try await run("people.vcf", store, fresh, data: Data(text.utf8))
            #expect(copy.plan.summary(dryRun: false) == "created 5 people, 5 employments, 2 organizations")
        }
    }

    @Test(arguments: Backend.available)
    func vCardFourOrganizationCardsAndTelURIs(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            try await seed(store, workspace)
            let result = try await run("contacts-4.vcf", store, workspace)
            #expect(result.plan.items.contains { $0.action == .create && $0.record == "organization" })
            #expect(result.plan.items.contains { $0.action == .unchanged && $0.detail.contains("(juergen)") })
            let people = try await people(store, workspace)
            #expect(people.values.contains { $0.phone?.hasPrefix("+1-555") == true && $0.phone?.hasPrefix("tel:") == false })
        }
    }

    @Test(arguments: Backend.available)
    func calendarEventsBecomeInteractionsAndImportingAgainUpdates(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            try await seed(store, workspace)
            let first = try await run("calendar.ics", store, workspace)
            #expect(first.plan.summary(dryRun: false) == "created 62 interactions; skipped 3 events")
            #expect(first.plan.notes.contains { $0.hasPrefix("stranger@elsewhere.example is not a person of the workspace") })
            #expect(first.plan.notes.contains { $0.hasPrefix("webinars@grid-events.example is not a person of the workspace") })
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            let review = try #require(try await store.sql.raw("""
                SELECT i.kind, i.occurred_at, i.duration_minutes, p.key AS initiator FROM interactions i JOIN people p ON p.id = i.initiator_id \
                WHERE i.workspace_id = \(bind: id) AND i.key = 'ics:review-2026q1@fixtures.example'
                """).first())
            #expect(try review.decode(column: "kind", as: String.self) == "business_review")
            #expect(try review.decode(column: "initiator", as: String.self) == "hanna")
            #expect(try review.decode(column: "duration_minutes", as: Int?.self) == 90)
            let participants = try await store.sql.raw("""
                SELECT COUNT(*) AS n FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id \
                WHERE i.workspace_id = \(bind: id) AND i.key = 'ics:review-2026q1@fixtures.example'
                """).first()?.decode(column: "n", as: Int.self)
            #expect(participants == 3)
            let counts = try await rowCounts(store, workspace: workspace)
            #expect(counts["interactions"] == 62)

            let second = try await run("calendar.ics", store, workspace)
            #expect(second.plan.summary(dryRun: false) == "updated 62 interactions; skipped 3 events")
            #expect(try await rowCounts(store, workspace: workspace) == counts)
        }
    }

    @Test(arguments: Backend.available)
    func aDryRunShowsThePlanAndChangesNothing(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            try await seed(store, workspace)
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            let revision = try await WorkspaceRepository(store.database).revision(of: id)
            let counts = try await rowCounts(store, workspace: workspace)
            let contacts = try await run("contacts-3.vcf", store, workspace, dryRun: true)
            let calendar = try await run("calendar.ics", store, workspace, dryRun: true)
            #expect(contacts.bundle.dryRun && calendar.bundle.dryRun)
            #expect(contacts.bundle.created["people.csv"] == 5)
            #expect(calendar.bundle.created["interactions.csv"] == 62)
            #expect(try await rowCounts(store, workspace: workspace) == counts)
            #expect(try await WorkspaceRepository(store.database).revision(of: id) == revision)
        }
    }

    @Test(arguments: Backend.available)
    func aBundleDryRunCountsNewRowsAndChangesNothing(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let bundle = try TestBundle(TestBundle.valid)
            defer { bundle.remove() }
            let summary = try await BundleImporter(dryRun: true).importBundle(from: bundle.url, into: store.database, workspace: workspace)
            #expect(summary.created["people.csv"] == 3)
            #expect(summary.created["interactions.csv"] == 3)
            #expect(try await rowCounts(store, workspace: workspace).values.allSatisfy { $0 == 0 })
        }
    }

    @Test(arguments: Backend.available)
    func badRecordsAreReportedAtTheirLineInTheFileAndNothingIsWritten(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            try await seed(store, workspace)
            let counts = try await rowCounts(store, workspace: workspace)
            // The second card's e-mail is not an address: the bundle check finds it, reported at the EMAIL line.
            let cards = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Good\r\nEMAIL:ann@example.com\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Bad\r\nEMAIL:bob at example\r\nEND:VCARD\r\n"
            await #expect {
                _ = try await run("bad.vcf", store, workspace, data: Data(cards.utf8))
            } throws: { error in
                guard let rejected = error as? BundleRejected, let issue = rejected.errors.issues.first else { return false }
                return rejected.errors.total == 1 && issue.file == "bad.vcf" && issue.line == 9 && issue.column == "EMAIL"
            }
            // A calendar whose event names a zone nobody knows.
            let calendar = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART;TZID=Mars/Olympus:20260301T100000\nORGANIZER:mailto:hanna@voltline.example\nEND:VEVENT\nEND:VCALENDAR\n"
            await #expect {
                _ = try await run("bad.ics", store, workspace, data: Data(calendar.utf8))
            } throws: { error in
                guard let rejected = error as? BundleRejected, let issue = rejected.errors.issues.first else { return false }
                return issue.description == "bad.ics:4: DTSTART: TZID \"Mars/Olympus\" is not a time zone Tandem knows, and the file has no VTIMEZONE for it"
            }
            // A file cut short.
            await #expect {
                _ = try await run("cut.ics", store, workspace, data: Data("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\n".utf8))
            } throws: { error in
                (error as? BundleRejected)?.errors.issues.first?.description == "cut.ics:2: BEGIN:VEVENT has no END:VEVENT: the file is cut short"
            }
            #expect(try await rowCounts(store, workspace: workspace) == counts)
        }
    }
}

/// Point-of-sale reports (Tests/Fixtures/pos, written by make_pos_fixtures.py) become monthly sell-through.
@Suite struct PointOfSaleImportTests {
    static let folder = ForeignImportTests.fixtures.deletingLastPathComponent().appendingPathComponent("pos")

    static let options: ImportOptions = {
        var options = ImportOptions(today: LocalDate("2026-11-27")!)
        options.locations = folder.appendingPathComponent("locations.csv")
        options.products = folder.appendingPathComponent("products.csv")
        return options
    }()

    func run(_ name: String, _ format: ImportFormat, _ store: Store, _ workspace: String,
             options: ImportOptions = PointOfSaleImportTests.options) async throws -> ForeignImportSummary {
        let index = try await ForeignImporter.index(of: workspace, in: store.database)
        let translation = ForeignTranslation.translate(format, file: Self.folder.appendingPathComponent(name), source: name, options: options, index: index)
        return try await ForeignImporter(importer: BundleImporter()).load(translation, into: store.database, workspace: workspace)
    }

    func sales(_ store: Store, _ workspace: String) async throws -> [String] {
        let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
        return try await store.sql.raw("""
            SELECT s.period, b.key AS branch, s.product_line, s.sell_through_amount, s.distributor_gross_profit, s.currency, o.key AS manufacturer \
            FROM sales s JOIN branches b ON b.id = s.branch_id JOIN organizations o ON o.id = s.manufacturer_id \
            WHERE s.workspace_id = \(bind: id) ORDER BY s.period, b.key, s.product_line
            """).all().map { row in
                let through = try row.decode(column: "sell_through_amount", as: Double.self)
                let profit = try row.decode(column: "distributor_gross_profit", as: Double.self)
                return "\(try row.decode(column: "period", as: String.self)) \(try row.decode(column: "branch", as: String.self)) "
                    + "\(try row.decode(column: "product_line", as: String.self)) \(String(format: "%.2f", through)) \(String(format: "%.2f", profit)) "
                    + "\(try row.decode(column: "currency", as: String?.self) ?? "-") \(try row.decode(column: "manufacturer", as: String.self))"
            }
    }

    func expectedSales(currency: String) throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("expected.json"))) as! [String: Any]
        return (json["rows"] as! [[String: Any]]).map {
            "\($0["period"]!) \($0["branch_key"]!) \($0["product_line"]!) \(String(format: "%.2f", $0["sell_through_amount"] as! Double)) "
                + "\(String(format: "%.2f", $0["distributor_gross_profit"] as! Double)) \(currency) home"
        }
    }

    @Test(arguments: Backend.available)
    func x12AndNemraReportsGiveTheSameMonthlySellThroughAndImportingAgainChangesNothing(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            _ = try await BundleImporter().importBundle(from: Self.folder.appendingPathComponent("workspace"), into: store.database, workspace: workspace)
            let result = try await run("acme-867.x12", .x12, store, workspace)
            #expect(result.plan.summary(dryRun: false) == "set 4 sales rows")
            #expect(result.plan.notes == ["1 transfer line is between the distributor's own locations, not sales: left out"])
            #expect(try await sales(store, workspace) == (try expectedSales(currency: "USD")))
            for variant in ["acme-867-pipes.x12", "acme-867-oneline.x12"] {
                _ = try await run(variant, .x12, store, workspace)
                #expect(try await sales(store, workspace) == (try expectedSales(currency: "USD")))
            }
            // The NEMRA layout names no currency: the rows then use the organization's.
            _ = try await run("acme-nemra.csv", .nemra, store, workspace)
            #expect(try await sales(store, workspace) == (try expectedSales(currency: "-")))
            #expect(try await rowCounts(store, workspace: workspace)["sales"] == 4)
        }
    }

    @Test(arguments: Backend.available)
    func unmappedLocationsAreListedOnceEachAndNothingIsWritten(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            _ = try await BundleImporter().importBundle(from: Self.folder.appendingPathComponent("workspace"), into: store.database, workspace: workspace)
            var options = Self.options
            options.locations = nil
            await #expect {
                _ = try await run("acme-867.x12", .x12, store, workspace, options: options)
            } throws: { error in
                (error as? BundleRejected)?.errors.issues.map(\.description) == [
                    "acme-867.x12:14: location: location \"101\" (3 lines) is not a branch: map it to a branch key in a locations file (location,branch_key)",
                    "acme-867.x12:36: location: location \"205\" (2 lines) is not a branch: map it to a branch key in a locations file (location,branch_key)",
                ]
            }
            options = Self.options
            options.manufacturer = "acme"
            await #expect {
                _ = try await run("acme-867.x12", .x12, store, workspace, options: options)
            } throws: { error in
                (error as? BundleRejected)?.errors.issues.map(\.message) == ["\"acme\" is a distributor, not a manufacturer"]
            }
            #expect(try await rowCounts(store, workspace: workspace)["sales"] == 0)
        }
    }
}

/// Other CRMs' CSV exports (Tests/Fixtures/crm, written by make_crm_fixtures.py) with their mappings.
@Suite struct CRMExportImportTests {
    static let folder = ForeignImportTests.fixtures.deletingLastPathComponent().appendingPathComponent("crm")

    func run(_ name: String, _ store: Store, _ workspace: String, mapping: String? = nil) async throws -> ForeignImportSummary {
        var options = ImportOptions(today: LocalDate("2026-11-27")!)
        let text = try mapping ?? String(contentsOf: Self.folder.appendingPathComponent(name.replacingOccurrences(of: ".csv", with: ".mapping")), encoding: .utf8)
        let parsed = CRMMapping.parse(text.components(separatedBy: "\n"), source: "mapping")
        options.crmMapping = try #require(parsed.mapping, "\(parsed.problems)")
        let index = try await ForeignImporter.index(of: workspace, in: store.database)
        let translation = ForeignTranslation.translate(.crmCSV, file: Self.folder.appendingPathComponent(name), source: name, options: options, index: index)
        return try await ForeignImporter(importer: BundleImporter()).load(translation, into: store.database, workspace: workspace)
    }

    @Test(arguments: Backend.available)
    func contactsCompaniesAndActivitiesImportOnceWithTheirMappings(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            _ = try await BundleImporter().importBundle(from: ForeignImportTests.fixtures.appendingPathComponent("workspace"), into: store.database, workspace: workspace)
            let contacts = try await run("hubspot-contacts.csv", store, workspace)
            #expect(contacts.plan.summary(dryRun: false) == "created 3 people, 3 employments, 1 organization; 1 person unchanged")
            #expect(contacts.plan.items.contains { $0.detail.contains("\"Maya Okafor\"") && $0.action == .create })
            #expect(contacts.plan.items.contains { $0.record == "employment" && $0.detail.contains("as inside_sales (Inside Sales Representative)") })
            let companies = try await run("hubspot-companies.csv", store, workspace)
            // "Acme Inc" is "Acme, Inc."; Sol Distribuidora came with the contacts.
            #expect(companies.plan.summary(dryRun: false) == "created 1 organization; 2 organizations unchanged")
            #expect(companies.plan.items.contains { $0.detail == "\"Brightline Rep Group\" as 9003 (rep_agency)" })
            let activities = try await run("salesforce-activities.csv", store, workspace)
            #expect(activities.plan.summary(dryRun: false) == "created 4 interactions; skipped 1 activity")
            #expect(activities.plan.notes.count == 2)
            let counts = try await rowCounts(store, workspace: workspace)
            #expect(counts["interactions"] == 4)
            for name in ["hubspot-contacts.csv", "hubspot-companies.csv", "salesforce-activities.csv"] { _ = try await run(name, store, workspace) }
            #expect(try await rowCounts(store, workspace: workspace) == counts)
        }
    }

    @Test(arguments: Backend.available)
    func aMappingThatDoesNotFitTheFileIsRefusedAndNothingIsWritten(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            _ = try await BundleImporter().importBundle(from: ForeignImportTests.fixtures.appendingPathComponent("workspace"), into: store.database, workspace: workspace)
            let before = try await rowCounts(store, workspace: workspace)
            await #expect {
                _ = try await run("hubspot-contacts.csv", store, workspace, mapping: "records: contacts\nname: Full Name\n")
            } throws: { error in
                (error as? BundleRejected)?.errors.issues.first?.message.hasPrefix("the mapping's name column \"Full Name\" is not in the header (it has: Record ID, First Name") == true
            }
            let problems = CRMMapping.parse(["records: deals", "name Full"], source: "m").problems.map(\.description)
            #expect(problems == ["m:1: records: \"deals\": expected contacts, companies or activities", "m:2: \"name Full\": expected field: Column Header"])
            #expect(CRMMapping.parse(["records: activities", "summary: Subject", "colour: Red"], source: "m").problems.map(\.description)
                    == ["m:3: colour: not a field of activities: expected key, date, kind, summary, initiator, participants, duration_minutes",
                        "m: date: activities need a date column: add date: Column Header",
                        "m: initiator: activities need an initiator or a participants column"])
            #expect(try await rowCounts(store, workspace: workspace) == before)
        }
    }
}
