import Foundation
@testable import TandemCore
@testable import TandemStore
import Testing

/// The server loads only the sales an assessment reads: the report is the same as with every month.
@Suite struct SalesWindowTests {
    @Test func anAssessmentOfTheSalesItReadsEqualsOneOfAllSales() async throws {
        try await withStore(.sqlite) { store, workspace in
            // given the s demo, whose sales run for years before the date its truth is as of
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sales-window-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try generateDemoBundle(size: .s, seed: 4, into: folder)
            struct Truth: Decodable { var as_of: String }
            let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: folder.appendingPathComponent("truth.json")))
            let asOf = try #require(LocalDate(truth.as_of))
            _ = try await BundleImporter().importBundle(from: folder, into: store.database, workspace: workspace)
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            let loader = SnapshotLoader(sql: try store.sql, workspaceID: id)
            // when loaded with all sales and with those from the first month the assessment reads
            let all = try await loader.load()
            let first = AssessmentState.firstSalesMonth(asOf: asOf)
            let window = try await loader.load(salesFrom: first)
            // then fewer rows were read, none before that month, and the assessments are the same
            #expect(window.sales.count < all.sales.count / 2)
            #expect(window.sales.allSatisfy { $0.period >= first })
            #expect(window.sales == all.sales.filter { $0.period >= first })
            #expect(AssessmentState(window, asOf: asOf).report == AssessmentState(all, asOf: asOf).report)
            #expect(AssessmentState(window, asOf: asOf).report.assessments.contains { $0.criteria.interdependence.result == .pass },
                    "the window holds the sales that make a counterpart interdependent")
        }
    }
}
