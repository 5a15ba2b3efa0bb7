import Foundation
import SQLKit
import TandemCore
@testable import TandemStore
import Testing

/// Finding likely duplicates and merging them without losing what refers to them.
@Suite struct MergeTests {
    /// The valid bundle with duplicates: p4 has p2's e-mail, p5 is p3 misspelt at the same
    /// distributor, d1b is d1 without its umlaut, d1-muc2 is d1-muc imported under another key.
    static var files: [String: String] {
        var files = TestBundle.valid
        files["organizations.csv"]! += "d1b,Elektro Sued KG,distributor,DE,,\n"
        files["branches.csv"]! += "d1-muc2,d1,Muenchen,,,\nhq,home,Headquarters,Berlin,DE,\nhq2,home,Voltwerk Berlin,Berlin,DE,\nhq3,home,Berlin,Berlin,DE,\nhq4,home,Berlin Nord,Berlin,DE,\n"
        files["people.csv"]! += "p4,Juergen Gross,JG@SUED.example,,\np5,Lena Otto,,+49 1,\np6,Tom Berg,,,\n"
        files["employments.csv"]! += "p5,d1,,purchasing,,2021-01-01,\np6,d1b,,outside_sales,,2022-01-01,\np4,d1,d1-muc2,outside_sales,,2023-06-01,\n"
        files["interactions.csv"]! += "i4,2024-05-01,visit,p4,p1,30,\ni5,2024-05-02,call,p1,p4;p2,,\ni6,2024-05-03,call,p5,p1,,\n"
        files["sales.csv"]! += "2024-01,home,d1-muc2,switches,12000.50,11000,4000,2500,EUR\n2024-02,home,d1-muc2,switches,1000,,,,EUR\n"
            + "2024-03,home,d1-muc2,switches,900,800,,,EUR\n"
        return files
    }

    func prepared(_ store: Store, _ workspace: String) async throws -> DirectoryRepository {
        let bundle = try TestBundle(Self.files)
        defer { bundle.remove() }
        _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
        let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
        return try DirectoryRepository(database: store.database, workspaceID: id)
    }

    func value(_ store: Store, _ sql: SQLQueryString) async throws -> Int {
        try await store.sql.raw(sql).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    @Test(arguments: Backend.available)
    func findsDuplicatePeopleOrganizationsAndBranches(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let found = try await prepared(store, workspace).duplicates().map { "\($0.kind.rawValue) \($0.keep) \($0.merge): \($0.reason)" }
            #expect(found.sorted() == [
                "branch d1-muc d1-muc2: near-identical names at Elektro Süd, KG",
                "branch hq2 hq3: the same name but for the organization's or the city's in Berlin",
                "organization d1 d1b: near-identical names",
                "person p2 p4: the same e-mail jg@sued.example",
                "person p3 p5: near-identical names at Elektro Süd, KG",
            ])
        }
    }

    @Test(arguments: Backend.available)
    func mergesKeepEveryInteractionEmploymentPledgeAndSale(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let directory = try await prepared(store, workspace)
            let before = try await rowCounts(store, workspace: workspace)

            let person = try await directory.merge(.person, keep: "p2", duplicate: "p4", actor: "test", now: "2026-11-27T00:00:00Z")
            #expect(person.moved["interactions led"] == 1 && person.moved["interactions"] == 2 && person.moved["employments"] == 1, "\(person)")
            // p2 led i2 and now i4; i5 listed both and now lists p2 once.
            #expect(try await value(store, "SELECT COUNT(*) AS n FROM interactions i JOIN people p ON p.id = i.initiator_id WHERE p.key = 'p2' AND i.workspace_id = p.workspace_id AND p.workspace_id = (SELECT id FROM workspaces WHERE name = \(bind: workspace))") == 2)
            #expect(try await value(store, """
                SELECT COUNT(*) AS n FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id \
                JOIN people p ON p.id = ip.person_id WHERE i.key = 'i5' AND p.workspace_id = i.workspace_id AND i.workspace_id = (SELECT id FROM workspaces WHERE name = \(bind: workspace))
                """) == 2)

            let lena = try await directory.merge(.person, keep: "p3", duplicate: "p5", actor: "test", now: "2026-11-27T00:00:00Z")
            #expect(lena.filled == ["phone"])

            let branch = try await directory.merge(.branch, keep: "d1-muc", duplicate: "d1-muc2", actor: "test", now: "2026-11-27T00:00:00Z")
            #expect(branch.moved["sales rows"] == 3 && branch.moved["employments"] == 1)
            let sales = try await store.sql.raw("""
                SELECT s.period, s.sell_in_amount, s.sell_through_amount FROM sales s JOIN branches b ON b.id = s.branch_id \
                WHERE b.key = 'd1-muc' AND s.workspace_id = b.workspace_id AND b.workspace_id = (SELECT id FROM workspaces WHERE name = \(bind: workspace)) ORDER BY s.period
                """).all().map { "\(try $0.decode(column: "period", as: String.self)) \(try $0.decode(column: "sell_in_amount", as: Double?.self) ?? -1) \(try $0.decode(column: "sell_through_amount", as: Double?.self) ?? -1)" }
            // The identical January row once, February's two rows added, March moved.
            #expect(sales == ["2024-01 12000.5 11000.0", "2024-02 14000.0 12500.25", "2024-03 900.0 800.0"])

            let organization = try await directory.merge(.organization, keep: "d1", duplicate: "d1b", actor: "test", now: "2026-11-27T00:00:00Z")
            #expect(organization.moved["employments"] == 1)
            #expect(organization.filled.isEmpty)

            let after = try await rowCounts(store, workspace: workspace)
            #expect(after["people"] == before["people"]! - 2 && after["organizations"] == before["organizations"]! - 1)
            #expect(after["branches"] == before["branches"]! - 1 && after["interactions"] == before["interactions"])
            #expect(after["sales"] == before["sales"]! - 2 && after["employments"] == before["employments"])
            #expect(after["partnerships"] == before["partnerships"] && after["commitments"] == before["commitments"])
            let audit = try await store.sql.raw("""
                SELECT detail FROM audit_events WHERE action = 'merge' AND workspace_id = (SELECT id FROM workspaces WHERE name = \(bind: workspace)) ORDER BY id
                """).all().map { try $0.decode(column: "detail", as: String.self) }
            #expect(audit.count == 4)
            #expect(audit.first == person.summary)
            #expect(try await directory.duplicates().map(\.merge) == ["hq3"])
        }
    }

    @Test(arguments: Backend.available)
    func refusesMergesThatMakeNoSenseAndChangesNothing(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let directory = try await prepared(store, workspace)
            let before = try await rowCounts(store, workspace: workspace)
            await #expect(throws: StoreError.conflict("person \"p2\" cannot be merged into itself")) {
                try await directory.merge(.person, keep: "p2", duplicate: "p2", actor: nil, now: "t")
            }
            await #expect(throws: StoreError.notFound(kind: "person", key: "nobody")) {
                try await directory.merge(.person, keep: "p2", duplicate: "nobody", actor: nil, now: "t")
            }
            await #expect(throws: StoreError.conflict("\"home\" is the home organization: keep it, and merge \"d1\" into it instead")) {
                try await directory.merge(.organization, keep: "d1", duplicate: "home", actor: nil, now: "t")
            }
            await #expect(throws: StoreError.conflict("\"home\" is a manufacturer and \"d1\" a distributor: only organizations of one kind are merged (change the kind of one first)")) {
                try await directory.merge(.organization, keep: "home", duplicate: "d1", actor: nil, now: "t")
            }
            await #expect(throws: StoreError.conflict("\"hq\" and \"d1-muc\" are branches of different organizations: merge the organizations first")) {
                try await directory.merge(.branch, keep: "d1-muc", duplicate: "hq", actor: nil, now: "t")
            }
            #expect(try await rowCounts(store, workspace: workspace) == before)
        }
    }

    @Test(arguments: Backend.available)
    func theHomeOrganizationIsOfferedAsTheOneKeptAndCurrenciesAreNotAdded(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let directory = try await prepared(store, workspace)
            _ = try await directory.saveOrganization(OrganizationDraft(key: "a-voltwerk", name: "Voltwerk AG", kind: "manufacturer"))
            _ = try await directory.saveOrganization(OrganizationDraft(key: "b-voltwerk", name: "Voltwerk", kind: "distributor"))
            let organizations = try await directory.duplicates().filter { $0.kind == .organization }.map { "\($0.keep) \($0.merge)" }
            #expect(organizations.sorted() == ["d1 d1b", "home a-voltwerk"])
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            try await store.sql.raw("""
                UPDATE sales SET currency = 'USD' WHERE period = '2024-02' AND workspace_id = \(bind: id) \
                AND branch_id = (SELECT id FROM branches WHERE key = 'd1-muc2' AND workspace_id = \(bind: id))
                """).run()
            let before = try await rowCounts(store, workspace: workspace)
            await #expect(throws: StoreError.conflict("both have sales for 2024-02 in different currencies: correct one of them first")) {
                try await directory.merge(.branch, keep: "d1-muc", duplicate: "d1-muc2", actor: nil, now: "t")
            }
            #expect(try await rowCounts(store, workspace: workspace) == before)
        }
    }
}
