import Foundation
import TandemCore
@testable import TandemStore
import Testing

@Suite struct DemoRoundTripTests {
    @Test(arguments: Backend.available)
    func demoBundleImportsAndExportImportExportIsIdentical(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            // given the s demo
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let generated = try generateDemoBundle(size: .s, seed: 7, into: folder)
            // when
            let imported = try await BundleImporter().importBundle(from: folder, into: store.database, workspace: workspace)
            let first = try await exportFiles(store, workspace: workspace)
            let again = try await BundleImporter().importBundle(from: folder, into: store.database, workspace: workspace)
            let copy = try TestBundle(first.mapValues { String(decoding: $0, as: UTF8.self) })
            defer { copy.remove() }
            _ = try await BundleImporter().importBundle(from: copy.url, into: store.database, workspace: workspace + "-copy")
            let second = try await exportFiles(store, workspace: workspace + "-copy")
            // then every row arrived, a second import changed nothing and the round trip is exact
            #expect(imported.warnings.isEmpty)
            for (file, count) in imported.rows { #expect(generated.rowCounts[file] == count, "\(file)") }
            #expect(again.totalRows == imported.totalRows)
            #expect(try await exportFiles(store, workspace: workspace) == first)
            #expect(second == first)
        }
    }
}
