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
            let plan = try await store.sql.raw("""
                EXPLAIN QUERY PLAN SELECT t.id FROM interactions t WHERE t.workspace_id = 1 AND t.id IN \
                (SELECT ip.interaction_id FROM interaction_participants ip WHERE ip.person_id = 5) ORDER BY t.occurred_on DESC LIMIT 51
                """).all().map { try $0.decode(column: "detail", as: String.self) }
            #expect(plan.contains { $0.contains("participants_person") } && !plan.contains { $0.contains("interactions_date") }, "\(plan)")
        }
    }
}
