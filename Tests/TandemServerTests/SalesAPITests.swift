import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting

@Suite struct SalesAPITests {
    @Test(arguments: ServerBackend.available)
    func summarisesSalesAgainstAYearEarlier(_ backend: ServerBackend) async throws {
        let workspace = "sales-\(UUID().uuidString)"
        try await withTandemApp(backend, workspace: workspace) { app in
            // given: the s demo in the served workspace
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sales-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try generateDemoBundle(size: .s, seed: 2, into: folder)
            _ = try await BundleImporter().importBundle(from: folder, into: app.db, workspace: workspace)
            let snapshot = try await SnapshotLoader(sql: app.db.sql(), workspaceID: app.workspaceID).load(interactions: false)
            let expected = SalesReport.summary(snapshot, query: SalesQuery(groupBy: [.period, .organization], grain: .quarter,
                                                                           from: YearMonth("2025-07"), to: YearMonth("2026-06")))
            // when / then
            try await app.testing().test(.GET, "/api/v1/sales/summary?by=period,organization&period=quarter&from=2025-07&to=2026-06") { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder.snakeCase.decode(SalesSummary.self, from: Data(buffer: response.body))
                #expect(body == expected)
                #expect(body.rows.count >= 4 * 8)
                #expect(body.rows.allSatisfy { $0.period?.contains("-Q") == true && $0.organizationKey != nil && $0.branchKey == nil })
                #expect(body.rows.contains { $0.growth?.sellThrough != nil })
            }
            try await app.testing().test(.GET, "/api/v1/sales/summary?by=region&period=week&from=2025-13&territory=nowhere") { response in
                #expect(response.status == .unprocessableEntity)
                let text = response.body.string
                for field in ["by", "period", "from"] { #expect(text.contains("\"\(field)\"")) }
            }
            try await app.testing().test(.GET, "/api/v1/sales/summary?territory=nowhere") { response in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("no territory"))
            }
        }
    }
}
