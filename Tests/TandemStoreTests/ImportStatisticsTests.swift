import Foundation
import SQLKit
import TandemCore
@testable import TandemStore
import Testing

/// An import leaves the query planner's statistics fresh, so that lists filtered by a person
/// start from that person's rows rather than walking every interaction by date.
@Suite struct ImportStatisticsTests {
    @Test func anImportRefreshesThePlannersStatistics() async throws {
        try await withStore(.sqlite) { store, workspace in
            // given
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statistics-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try generateDemoBundle(size: .s, seed: 1, into: folder)
            func statistics() async throws -> Int {
                guard try await store.sql.raw("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").first() != nil else { return 0 }
                return try await store.sql.raw("SELECT COUNT(*) AS n FROM sqlite_stat1 WHERE tbl = 'interaction_participants'").first()?
                    .decode(column: "n", as: Int.self) ?? 0
            }
            // when: a dry run, then the import
            _ = try await BundleImporter(dryRun: true).importBundle(from: folder, into: store.database, workspace: workspace)
            let afterDryRun = try await statistics()
            _ = try await BundleImporter().importBundle(from: folder, into: store.database, workspace: workspace)
            // then
            #expect(afterDryRun == 0)
            #expect(try await statistics() > 0)
            // Asked on a new connection: one that read the schema before the import may keep the
            // statistics it had until it reads the schema again.
            let fresh = try await openTestStore(store.location)
            let plan: [String]
            do {
                plan = try await fresh.sql.raw("""
                    EXPLAIN QUERY PLAN SELECT t.id FROM interactions t WHERE t.workspace_id = 1 AND t.id IN \
                    (SELECT ip.interaction_id FROM interaction_participants ip WHERE ip.person_id = 5) ORDER BY t.occurred_on DESC LIMIT 51
                    """).all().map { try $0.decode(column: "detail", as: String.self) }
                await fresh.shutdown()
            } catch {
                await fresh.shutdown()
                throw error
            }
            #expect(plan.contains { $0.contains("participants_person") } && !plan.contains { $0.contains("interactions_date") }, "\(plan)")
        }
    }
}

/// A busy person's dealings are listed newest first and page by page the same whichever way the
/// database is asked for them (SQLite is steered to its date index above 500 dealings).
@Suite struct PersonInteractionListTests {
    @Test(arguments: Backend.available)
    func aBusyPersonsDealingsPageNewestFirst(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            // given: 640 dealings of rita's (many on the same days), 20 of others'
            var rows = "key,date,kind,initiator_key,participant_keys,duration_minutes,summary\n"
            var expected: [(date: String, order: Int, key: String)] = []
            for index in 0..<660 {
                let date = LocalDate(year: 2024, month: 1, day: 1)!.adding(days: (index * 37) % 200).description
                let busy = index % 33 != 0
                rows += "i\(index),\(date),visit,\(busy ? "rita" : "otto"),\(busy ? "rita;dirk" : "otto;dirk"),,\n"
                if busy { expected.append((date, index, "i\(index)")) }
            }
            let bundle = try TestBundle([
                "organizations.csv": "key,name,kind,country,currency,is_home\nhome,Voltwerk,manufacturer,DE,EUR,true\nd1,Elektro,distributor,DE,EUR,\n",
                "people.csv": "key,name,email,phone,country\nrita,Rita,,,DE\notto,Otto,,,DE\ndirk,Dirk,,,DE\n",
                "employments.csv": "person_key,organization_key,branch_key,function,title,start_date,end_date\nrita,home,,outside_sales,,2020-01-01,\notto,home,,outside_sales,,2020-01-01,\ndirk,d1,,inside_sales,,2020-01-01,\n",
                "interactions.csv": rows,
            ])
            defer { bundle.remove() }
            _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            let directory = try DirectoryRepository(database: store.database, workspaceID: id)
            #expect(try await directory.participations(of: "rita") == expected.count)
            #expect(expected.count > DirectoryRepository.busyParticipations)
            // when
            var listed: [String] = []
            var query = ListQuery()
            query.person = "rita"
            query.limit = 100
            repeat {
                let page = try await directory.interactions(query)
                listed += page.items.map(\.key)
                query.cursor = page.nextCursor
            } while query.cursor != nil
            // then: by date, newest first, and within a day the later row first
            #expect(listed == expected.sorted { ($0.date, $0.order) > ($1.date, $1.order) }.map(\.key))
        }
    }
}
