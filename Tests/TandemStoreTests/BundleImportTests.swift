import Foundation
import TandemCore
@testable import TandemStore
import SQLKit
import Testing

@Suite struct BundleImportTests {
    @Test(arguments: Backend.available)
    func importsEveryFileAndASecondImportChangesNothing(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            // given
            let bundle = try TestBundle(TestBundle.valid)
            defer { bundle.remove() }
            // when
            let first = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            let exported = try await exportFiles(store, workspace: workspace)
            let second = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            // then
            #expect(first.totalRows == 27)
            #expect(second.totalRows == first.totalRows)
            let counts = try await rowCounts(store, workspace: workspace)
            #expect(counts == ["territories": 3, "organizations": 2, "branches": 1, "people": 3, "employments": 4, "interactions": 3,
                               "partnerships": 1, "goals": 1, "goal_progress": 2, "commitments": 2, "contributions": 2, "risks": 1, "sales": 2])
            #expect(try await exportFiles(store, workspace: workspace) == exported)
            let interactions = String(decoding: exported["interactions.csv"]!, as: UTF8.self)
            #expect(interactions.contains("i2,2024-03-06T09:30:00+01:00,order_request,p2,p2;p1,,\"Order, urgent\""))
            let organizations = String(decoding: exported["organizations.csv"]!, as: UTF8.self)
            #expect(organizations == "key,name,kind,country,currency,is_home\nhome,Voltwerk GmbH,manufacturer,DE,EUR,true\nd1,\"Elektro Süd, KG\",distributor,DE,EUR,\n")
        }
    }

    @Test(arguments: Backend.available)
    func exportImportExportIsIdentical(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let bundle = try TestBundle(TestBundle.valid)
            defer { bundle.remove() }
            _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            let first = try await exportFiles(store, workspace: workspace)
            let copy = try TestBundle(first.mapValues { String(decoding: $0, as: UTF8.self) })
            defer { copy.remove() }
            _ = try await BundleImporter().importBundle(from: copy.url, into: store.database, workspace: workspace + "-copy")
            #expect(try await exportFiles(store, workspace: workspace + "-copy") == first)
        }
    }

    @Test(arguments: Backend.available)
    func updatesByKeyAndKeepsWorkspacesApart(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let bundle = try TestBundle(TestBundle.valid)
            defer { bundle.remove() }
            _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace + "-other")
            let change = try TestBundle(["organizations.csv": "key,name,kind,country,currency,is_home\nd1,Elektro Süd AG,distributor,AT,EUR,\n"])
            defer { change.remove() }
            _ = try await BundleImporter().importBundle(from: change.url, into: store.database, workspace: workspace)
            let mine = try await WorkspaceRepository(store.database).find(named: workspace)!
            let other = try await WorkspaceRepository(store.database).find(named: workspace + "-other")!
            #expect(try await DirectoryRepository(database: store.database, workspaceID: mine).organization(key: "d1").name == "Elektro Süd AG")
            #expect(try await DirectoryRepository(database: store.database, workspaceID: other).organization(key: "d1").name == "Elektro Süd, KG")
            #expect(try await rowCounts(store, workspace: workspace)["organizations"] == 2)
        }
    }

    /// One broken file (or file set) and the exact report it must give.
    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var files: [String: String]
        var binary: [String: [UInt8]] = [:]
        var expected: [String]
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "unknown key", files: ["branches.csv": "key,organization_key,name\nb9,nobody,X\n"],
                expected: ["branches.csv:2: organization_key: unknown organization \"nobody\": not in organizations.csv nor already in the workspace"]),
        BadCase(name: "duplicate key", files: ["people.csv": "key,name\np1,A\np2,B\np1,C\n"],
                expected: ["people.csv:4: key: duplicate key \"p1\": already defined on line 2"]),
        BadCase(name: "wrong kind", files: ["organizations.csv": "key,name,kind,is_home\nhome,H,manufacturer,true\nx,X,wholesaler,\n"],
                expected: ["organizations.csv:3: kind: \"wholesaler\" is not one of `manufacturer`, `distributor`, `rep_agency`, `buying_group` or `end_customer`"]),
        BadCase(name: "unparsable date", files: ["employments.csv": "person_key,organization_key,function,start_date\np1,home,executive,2024-02-30\n"],
                expected: ["employments.csv:2: start_date: \"2024-02-30\" is not a date: expected YYYY-MM-DD, e.g. 2024-03-05"]),
        BadCase(name: "unparsable amount", files: ["sales.csv": "period,manufacturer_key,branch_key,sell_in_amount\n2024-01,home,d1-muc,\"1.234,50\"\n"],
                expected: ["sales.csv:2: sell_in_amount: \"1.234,50\" is not a number: expected a decimal with '.' as separator, e.g. 1250.50"]),
        BadCase(name: "territory cycle", files: ["territories.csv": "code,name,parent_code\nA,A,C\nB,B,A\nC,C,B\n"],
                expected: ["territories.csv:2: parent_code: the territory tree has a cycle: A → C → B → A"]),
        BadCase(name: "second home", files: ["organizations.csv": "key,name,kind,is_home\nhome,H,manufacturer,true\nx,X,distributor,true\n"],
                expected: ["organizations.csv:3: is_home: a second home organization: \"home\" on line 2 is already marked is_home; exactly one may be"]),
        BadCase(name: "missing required column", files: ["people.csv": "key,email\np1,a@b.example\n"],
                expected: ["people.csv:1: name: required column is missing from the header"]),
        BadCase(name: "invalid UTF-8", files: [:], binary: ["people.csv": Array("key,name\np1,".utf8) + [0xFF, 0xFE] + Array("\n".utf8)],
                expected: ["people.csv:2: name: invalid UTF-8"]),
        BadCase(name: "truncated large file", files: ["interactions.csv": "key,date,kind,initiator_key,participant_keys\ni7,2024-01-01,call,p1,p2\ni8,2024-01-02,call,p1,\"p2\n"],
                expected: ["interactions.csv:3: participant_keys: unterminated quoted field (file ends inside quotes)"]),
        BadCase(name: "empty file", files: ["people.csv": ""],
                expected: ["people.csv:1: the file is empty: expected a header row such as key,name,email,phone,country"]),
        BadCase(name: "missing organizations.csv", files: ["organizations.csv": "-"],
                expected: ["organizations.csv: missing: every bundle must have organizations.csv"]),
        BadCase(name: "no home at all", files: ["organizations.csv": "key,name,kind,is_home\nhome,H,manufacturer,false\nx,X,distributor,\n"],
                expected: ["organizations.csv: is_home: no home organization: exactly one organization of the workspace must have is_home `true`"]),
        BadCase(name: "wrong type: whole number", files: ["interactions.csv": "key,date,kind,initiator_key,participant_keys,duration_minutes\ni9,2024-01-01,call,p1,p2,ninety\n"],
                expected: ["interactions.csv:2: duration_minutes: \"ninety\" is not a whole number between 0 and 100000"]),
        BadCase(name: "wrong type: true or false", files: ["organizations.csv": "key,name,kind,is_home\nhome,H,manufacturer,yes\n"],
                expected: ["organizations.csv:2: is_home: \"yes\" is not `true` or `false`"]),
        BadCase(name: "date out of range", files: ["employments.csv": "person_key,organization_key,function,start_date\np1,home,executive,0024-05-01\n"],
                expected: ["employments.csv:2: start_date: 0024-05-01 is out of range: dates lie between 1900-01-01 and 2100-12-31"]),
        BadCase(name: "timestamp out of range", files: ["interactions.csv": "key,date,kind,initiator_key,participant_keys\ni9,2924-01-01T10:00:00+01:00,call,p1,p2\n"],
                expected: ["interactions.csv:2: date: 2924-01-01T10:00:00+01:00 is out of range: dates lie between 1900-01-01 and 2100-12-31"]),
        BadCase(name: "month out of range", files: ["sales.csv": "period,manufacturer_key,branch_key,sell_in_amount\n1850-01,home,d1-muc,5\n"],
                expected: ["sales.csv:2: period: 1850-01 is out of range: dates lie between 1900-01-01 and 2100-12-31"]),
        BadCase(name: "row shorter than the header", files: ["people.csv": "key,name,email\np1,Anna\n"],
                expected: ["people.csv:2: 2 fields where the header has 3: every row needs one field per column"]),
        BadCase(name: "row longer than the header", files: ["people.csv": "key,name\np1,Anna,anna@example.com\n"],
                expected: ["people.csv:2: 3 fields where the header has 2: every row needs one field per column"]),
        BadCase(name: "file cut off inside a row", files: ["interactions.csv": "key,date,kind,initiator_key,participant_keys\ni7,2024-01-01,call,p1,p2\ni8,2024-01-0"],
                expected: ["interactions.csv:3: 2 fields where the header has 5: every row needs one field per column",
                           "interactions.csv:3: date: \"2024-01-0\" is not a date or timestamp: expected 2024-03-05 or 2024-03-05T09:30:00+01:00",
                           "interactions.csv:3: kind: required value is missing",
                           "interactions.csv:3: initiator_key: required value is missing",
                           "interactions.csv:3: participant_keys: required value is missing"]),
        BadCase(name: "column twice in the header", files: ["people.csv": "key,name,Name\np1,A,B\n"],
                expected: ["people.csv:1: name: column appears twice in the header"]),
        BadCase(name: "a 10 MB field", files: ["people.csv": "key,name\np1,\"" + String(repeating: "x", count: 10 << 20) + "\"\n"],
                expected: ["people.csv:2: name: field longer than 1048576 bytes"]),
        BadCase(name: "CSV bomb: two million empty columns", files: ["people.csv": "key,name\np1," + String(repeating: ",", count: 2_000_000) + "\n"],
                expected: ["people.csv:2: column 1025: more than 1024 fields in one record"]),
        BadCase(name: "CSV bomb in the header", files: ["people.csv": String(repeating: ",", count: 2_000_000) + "key,name\n"],
                expected: ["people.csv:1: column 1025: more than 1024 fields in one record"]),
        BadCase(name: "invalid UTF-8 in the header", files: [:], binary: ["people.csv": Array("key,na".utf8) + [0xC3, 0x28] + Array("me\np1,A\n".utf8)],
                expected: ["people.csv:1: column 2: invalid UTF-8"]),
        BadCase(name: "several bad rows all reported", files: ["people.csv": "key,name,country\n,A,DE\np2,,Germany\n"],
                expected: ["people.csv:2: key: required value is missing",
                           "people.csv:3: name: required value is missing",
                           "people.csv:3: country: \"Germany\" is not an ISO 3166-1 alpha-2 country code such as DE or US"]),
    ]

    @Test(arguments: Backend.available, badCases)
    func badInputIsReportedPreciselyAndChangesNothing(_ backend: Backend, _ bad: BadCase) async throws {
        try await withStore(backend) { store, workspace in
            // given a workspace holding the valid bundle
            let valid = try TestBundle(TestBundle.valid)
            defer { valid.remove() }
            _ = try await BundleImporter().importBundle(from: valid.url, into: store.database, workspace: workspace)
            let before = try await exportFiles(store, workspace: workspace)
            // when importing a bundle with one broken file (the others stay valid, so later files still load)
            var files = ["organizations.csv": "key,name,kind,country,currency,is_home\nhome,Voltwerk GmbH,manufacturer,DE,EUR,true\nd1,\"Elektro Süd, KG\",distributor,DE,EUR,\n"]
            files.merge(bad.files) { $1 }
            let broken = try TestBundle(files.filter { $0.value != "-" })
            defer { broken.remove() }
            for (name, bytes) in bad.binary { try broken.write(name, Data(bytes)) }
            var report: [String] = []
            do {
                _ = try await BundleImporter().importBundle(from: broken.url, into: store.database, workspace: workspace)
            } catch let rejected as BundleRejected {
                report = rejected.errors.issues.map(\.description)
            }
            // then
            if bad.name == "missing organizations.csv" {
                #expect(report.count == 1 && report[0].hasPrefix(bad.expected[0]))
            } else {
                #expect(report == bad.expected)
            }
            #expect(try await exportFiles(store, workspace: workspace) == before)
        }
    }

    @Test func caps_the_report_and_counts_the_rest() async throws {
        try await withStore(.sqlite) { store, workspace in
            var people = "key,name\n"
            for index in 0..<500 { people += "p\(index),\n" }
            let bundle = try TestBundle(["organizations.csv": "key,name,kind,is_home\nh,H,manufacturer,true\n", "people.csv": people])
            defer { bundle.remove() }
            await #expect {
                _ = try await BundleImporter(issueLimit: 50).importBundle(from: bundle.url, into: store.database, workspace: workspace)
            } throws: { error in
                guard let rejected = error as? BundleRejected else { return false }
                return rejected.errors.issues.count == 50 && rejected.errors.omitted == 450
                    && rejected.errors.report.hasSuffix("… and 450 more problems not shown")
            }
            #expect(try await rowCounts(store, workspace: workspace).isEmpty, "the refused import must not even create the workspace")
        }
    }

    @Test(arguments: Backend.available)
    func duplicatesInLargeFilesAreFoundAcrossBatches(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            // given interactions and sales with repeats in the same batch and 12,000 rows apart
            // (batches are 1,000 rows on SQLite, 10,000 on PostgreSQL)
            var interactions = "key,date,kind,initiator_key,participant_keys\n"
            var sales = "period,manufacturer_key,branch_key,product_line,sell_in_amount\n"
            for index in 0..<12_000 {
                interactions += "i\(index),2024-01-01,call,p1,p2\n"
                if index == 0 { interactions += "i0,2024-01-01,visit,p1,p2\n" }
                sales += "\(2000 + index / 12 % 100)-\(String(format: "%02d", index % 12 + 1)),home,d1-muc,line \(index / 1200),\(index)\n"
            }
            interactions += "i5,2024-01-02,visit,p1,p2\ni11999,2024-01-02,visit,p1,p2\n"
            sales += "2000-01,home,d1-muc,line 0,1\n"
            var files = TestBundle.valid
            files["interactions.csv"] = interactions
            files["sales.csv"] = sales
            let bundle = try TestBundle(files)
            defer { bundle.remove() }
            // when
            var report: [String] = []
            do {
                _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            } catch let rejected as BundleRejected {
                report = rejected.errors.issues.map(\.description)
            }
            // then
            #expect(report == [
                "interactions.csv:3: key: duplicate key \"i0\": already defined on line 2",
                "interactions.csv:12003: key: duplicate key \"i5\": already defined earlier in this file",
                "interactions.csv:12004: key: duplicate key \"i11999\": already defined on line 12002",
                "sales.csv:12002: period: duplicate sales row: 2000-01 for \"home\" at \"d1-muc\" in \"line 0\" appears earlier in this file",
            ])
            #expect(try await rowCounts(store, workspace: workspace).isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func textWithTabsBackslashesAndLineBreaksReadsBackAsWritten(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            // given summaries and product lines with what PostgreSQL's COPY escapes
            let summaries = ["tab\there", "back\\slash \\N", "line\nbreak", "carriage\r\nreturn", "\\", "ünïcødé 東京 \t"]
            var interactions = "key,date,kind,initiator_key,participant_keys,summary\n"
            for (index, summary) in summaries.enumerated() {
                interactions += "i\(index),2024-01-01,call,p1,p2;p3,\"\(summary)\"\n"
            }
            var files = TestBundle.valid
            files["interactions.csv"] = interactions
            files["sales.csv"] = "period,manufacturer_key,branch_key,product_line,sell_in_amount\n2024-03,home,d1-muc,\"a\\b\tc\",1234.5\n"
            let bundle = try TestBundle(files)
            defer { bundle.remove() }
            // when
            _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            // then
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            let rows = try await store.sql.raw("""
                SELECT i.summary, COUNT(p.person_id) AS participants FROM interactions i JOIN interaction_participants p ON p.interaction_id = i.id \
                WHERE i.workspace_id = \(bind: id) GROUP BY i.id, i.summary ORDER BY i.id
                """).all()
            #expect(try rows.map { try $0.decode(column: "summary", as: String.self) } == summaries)
            #expect(try rows.map { try $0.decode(column: "participants", as: Int.self) } == Array(repeating: 3, count: summaries.count))
            let sale = try await store.sql.raw("SELECT product_line, sell_in_amount FROM sales WHERE workspace_id = \(bind: id)").all()
            #expect(try sale.map { try $0.decode(column: "product_line", as: String.self) } == ["a\\b\tc"])
            #expect(try sale.map { try $0.decode(column: "sell_in_amount", as: Double.self) } == [1234.5])
        }
    }

    @Test(arguments: Backend.available)
    func aPartialBundleRefersToWhatTheWorkspaceHoldsAndKeepsWhatItLeavesOut(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            // given the full bundle
            let full = try TestBundle(TestBundle.valid)
            defer { full.remove() }
            _ = try await BundleImporter().importBundle(from: full.url, into: store.database, workspace: workspace)
            // when a later bundle has only some files and some columns
            let partial = try TestBundle([
                "organizations.csv": "key,name,kind\nhome,Voltwerk SE,manufacturer\n",
                "people.csv": "key,name\np2,Jürgen Groß-Meier\n",
                "interactions.csv": "key,date,kind,initiator_key,participant_keys\ni9,2024-05-01,visit,p1,p2;p3\n",
                "goals.csv": "key,partnership_key,metric,target\ng1,ps1,Sell-through growth,20\n",
                "sales.csv": "period,manufacturer_key,branch_key,product_line,sell_in_amount\n2024-03,home,d1-muc,switches,9\n",
            ])
            defer { partial.remove() }
            _ = try await BundleImporter().importBundle(from: partial.url, into: store.database, workspace: workspace)
            // then references resolve against the workspace and absent columns keep their values
            let files = try await exportFiles(store, workspace: workspace).mapValues { String(decoding: $0, as: UTF8.self) }
            #expect(files["organizations.csv"]!.contains("home,Voltwerk SE,manufacturer,DE,EUR,true\n"))
            #expect(files["people.csv"]!.contains("p2,Jürgen Groß-Meier,jg@sued.example,+49 89 1,DE\n"))
            #expect(files["interactions.csv"]!.contains("i9,2024-05-01,visit,p1,p1;p2;p3,,\n"))
            #expect(files["goals.csv"]!.contains("g1,ps1,Sell-through growth,%,0,20,2024-12-31,p1;p2\n"))
            #expect(files["sales.csv"]!.contains("2024-03,home,d1-muc,switches,9,,,,\n"))
        }
    }

    @Test(arguments: Backend.available)
    func aRepeatOfAKeyTheWorkspaceHadIsFoundAcrossBatches(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let full = try TestBundle(TestBundle.valid)
            defer { full.remove() }
            _ = try await BundleImporter().importBundle(from: full.url, into: store.database, workspace: workspace)
            var interactions = "key,date,kind,initiator_key,participant_keys\ni1,2024-01-01,call,p1,p2\n"
            for index in 0..<12_000 { interactions += "n\(index),2024-01-01,call,p1,p2\n" }
            interactions += "i1,2024-02-02,visit,p1,p2\n"
            let bundle = try TestBundle(["organizations.csv": "key,name,kind\nhome,Voltwerk GmbH,manufacturer\n", "interactions.csv": interactions])
            defer { bundle.remove() }
            await #expect {
                _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            } throws: { error in
                (error as? BundleRejected)?.errors.issues.map(\.description)
                    == ["interactions.csv:12003: key: duplicate key \"i1\": already defined earlier in this file"]
            }
        }
    }

    @Test func keysCannotHoldTheListSeparator() async throws {
        try await withStore(.sqlite) { store, workspace in
            let bundle = try TestBundle(["organizations.csv": "key,name,kind,is_home\nh;q,H,manufacturer,true\n"])
            defer { bundle.remove() }
            await #expect {
                _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            } throws: { error in
                (error as? BundleRejected)?.errors.issues.first?.description
                    == "organizations.csv:2: key: \"h;q\": a key cannot contain ';', which separates keys in lists"
            }
        }
    }

    @Test func unknownColumnsAreIgnoredWithAWarning() async throws {
        try await withStore(.sqlite) { store, workspace in
            let bundle = try TestBundle(["organizations.csv": "KEY,Name,kind,is_home,favourite_colour\nh,H,manufacturer,true,blue\n",
                                         "interaction.csv": "key\n", "notes.txt": "not a CSV"])
            defer { bundle.remove() }
            let summary = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            #expect(summary.warnings.map(\.description) == [
                "interaction.csv: not a bundle file, ignored (bundle files: territories.csv, organizations.csv, branches.csv, people.csv, employments.csv, interactions.csv, partnerships.csv, goals.csv, goal_progress.csv, commitments.csv, contributions.csv, risks.csv, partnership_events.csv, reviews.csv, sales.csv)",
                "organizations.csv:1: favourite_colour: unknown column ignored",
            ])
        }
    }
}

@Suite struct ImportConnectionTests {
    @Test func foreignKeysAreBackOnEveryConnectionAfterAnImport() async throws {
        try await withStore(.sqlite) { store, workspace in
            let bundle = try TestBundle(TestBundle.valid)
            defer { bundle.remove() }
            _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            let broken = try TestBundle(["organizations.csv": "key,name,kind\nx,X,wholesaler\n"])
            defer { broken.remove() }
            _ = try? await BundleImporter().importBundle(from: broken.url, into: store.database, workspace: workspace)
            for eventLoop in store.databases.eventLoopGroup.makeIterator() {
                let database = store.databases.database(DatabaseSetup.id, logger: quietLogger(), on: eventLoop)!
                let sql = database as! any SQLDatabase
                #expect(try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self) == 1)
                #expect(try await sql.raw("PRAGMA cache_size").first()?.decode(column: "cache_size", as: Int.self) == -2000)
                #expect(try await sql.raw("PRAGMA threads").first()?.decode(column: "threads", as: Int.self) == 0)
            }
        }
    }
}
