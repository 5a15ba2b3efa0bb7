import Foundation
import TandemCore
@testable import TandemStore
import Testing

/// The assessment against the situations the demo generator planted (`truth.json`).
@Suite struct AssessmentTruthTests {
    struct Truth: Decodable {
        struct Keys: Decodable { var organizations: [String]; var people: [String] }
        var as_of: String
        var order_seekers: Keys
    }

    static func score(found: Set<String>, truth: Set<String>) -> (precision: Double, recall: Double) {
        let hits = Double(found.intersection(truth).count)
        return (found.isEmpty ? (truth.isEmpty ? 1 : 0) : hits / Double(found.count), truth.isEmpty ? 1 : hits / Double(truth.count))
    }

    /// Precision and recall of at least 0.9 on s and m with three seeds each (printed, so a
    /// run shows how close it is).
    @Test(arguments: [(DemoSize.s, UInt64(1)), (.s, 2), (.s, 3), (.m, 1), (.m, 2), (.m, 3)])
    func findsThePlantedOrderSeekers(size: DemoSize, seed: UInt64) async throws {
        try await withStore(.sqlite) { store, workspace in
            // given
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("truth-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try generateDemoBundle(size: size, seed: seed, into: folder)
            let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: folder.appendingPathComponent("truth.json")))
            _ = try await BundleImporter().importBundle(from: folder, into: store.database, workspace: workspace)
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            let snapshot = try await SnapshotLoader(sql: store.sql, workspaceID: id).load()
            // when
            let findings = OrderSeekerDetection().findings(in: snapshot, asOf: try #require(LocalDate(truth.as_of)))
            // then
            let people = Self.score(found: Set(findings.people.filter(\.flagged).map(\.key)), truth: Set(truth.order_seekers.people))
            let organizations = Self.score(found: Set(findings.organizations.filter(\.flagged).map(\.key)),
                                           truth: Set(truth.order_seekers.organizations))
            print("order-seekers, \(size) demo, seed \(seed): people precision \(people.precision) recall \(people.recall); "
                  + "organizations precision \(organizations.precision) recall \(organizations.recall)")
            #expect(!truth.order_seekers.organizations.isEmpty)
            #expect(people.precision >= 0.9 && people.recall >= 0.9)
            #expect(organizations.precision >= 0.9 && organizations.recall >= 0.9)
        }
    }
}
