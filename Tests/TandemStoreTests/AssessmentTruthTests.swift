import Foundation
import TandemCore
@testable import TandemStore
import Testing

/// The assessment against the situations the demo generator planted (`truth.json`).
/// Serialized: six demo imports at once starved the other suites of database connections on two cores.
@Suite(.serialized) struct AssessmentTruthTests {
    struct Truth: Decodable {
        struct Keys: Decodable { var organizations: [String]; var people: [String] }
        var as_of: String
        var order_seekers: Keys
        var partnerships: [String]
        var partnerships_at_risk: [String]
        var deep_relationships: [String]
        var transactional: [String]
        var uncovered_branches: [String]
        struct Pair: Decodable, Hashable { var home_person: String; var counterpart_person: String }
        struct Move: Decodable, Hashable { var person: String; var from: String; var to: String }
        var cooling_relationships: [Pair]
        var moved_people: [Move]
        var single_threaded_branches: [String]
    }

    static func score(found: Set<String>, truth: Set<String>) -> (precision: Double, recall: Double) {
        let hits = Double(found.intersection(truth).count)
        return (found.isEmpty ? (truth.isEmpty ? 1 : 0) : hits / Double(found.count), truth.isEmpty ? 1 : hits / Double(truth.count))
    }

    /// Precision and recall of at least 0.9 on s and m with three seeds each for order-seekers,
    /// partnerships, deep relationships without a partnership and coverage gaps, and for the
    /// other classifications too (printed, so a run shows how close it is). Alerts are printed, with a lower floor on m.
    @Test(arguments: [(DemoSize.s, UInt64(1)), (.s, 2), (.s, 3), (.m, 1), (.m, 2), (.m, 3)])
    func findsThePlantedSituations(size: DemoSize, seed: UInt64) async throws {
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
            let report = Assessor().assess(snapshot, asOf: try #require(LocalDate(truth.as_of)))
            // truth.json labels distributors only (the demo's buying groups and rep agencies carry no planted story).
            let distributors = Set(snapshot.organizations.filter { $0.kind == .distributor }.map(\.key))
            let classes = Dictionary(report.assessments.filter { distributors.contains($0.organizationKey) }.map { ($0.organizationKey, $0.classification) },
                                     uniquingKeysWith: { a, _ in a })
            let partnershipFound = Set(classes.filter { $0.value == .partnership }.keys)
            let deepFound = Set(classes.filter { $0.value == .deepRelationship || $0.value == .partnershipCandidate }.keys)
            let partnershipScore = Self.score(found: partnershipFound, truth: Set(truth.partnerships))
            let deepScore = Self.score(found: deepFound, truth: Set(truth.deep_relationships))
            // An order-seeker with an active partnership is a partnership at risk; without one, transactional.
            let seekers = Set(truth.order_seekers.organizations)
            let active = Set(snapshot.partnerships.filter { $0.status == .active }.map { snapshot.organizations[$0.counterpart].key })
            let atRiskScore = Self.score(found: Set(classes.filter { $0.value == .partnershipAtRisk }.keys),
                                         truth: Set(truth.partnerships_at_risk).union(seekers.intersection(active)))
            let transactionalScore = Self.score(found: Set(classes.filter { $0.value == .transactional }.keys),
                                                truth: Set(truth.transactional).union(seekers.subtracting(active)))
            print("classification, \(size) demo, seed \(seed): partnerships precision \(partnershipScore.precision) recall \(partnershipScore.recall); "
                  + "deep relationships without a partnership precision \(deepScore.precision) recall \(deepScore.recall); "
                  + "partnerships at risk precision \(atRiskScore.precision) recall \(atRiskScore.recall); "
                  + "transactional precision \(transactionalScore.precision) recall \(transactionalScore.recall)")
            let uncovered = Self.score(found: Set(report.coverage.filter(\.uncovered).map(\.branchKey)), truth: Set(truth.uncovered_branches))
            let single = Self.score(found: Set(report.coverage.filter(\.singleThreaded).map(\.branchKey)), truth: Set(truth.single_threaded_branches))
            print("coverage, \(size) demo, seed \(seed): uncovered branches precision \(uncovered.precision) recall \(uncovered.recall); "
                  + "single-threaded precision \(single.precision) recall \(single.recall)")
            let cooling = Self.score(found: Set(report.alerts.filter { $0.kind == .coolingRelationship }.map { $0.personKeys.joined(separator: "|") }),
                                     truth: Set(truth.cooling_relationships.map { "\($0.home_person)|\($0.counterpart_person)" }))
            let moved = Self.score(found: Set(report.alerts.filter { $0.kind == .personMoved }.map { "\($0.personKeys.first ?? "")|\($0.organizationKey ?? "")" }),
                                   truth: Set(truth.moved_people.map { "\($0.person)|\($0.to)" }))
            print("alerts, \(size) demo, seed \(seed): cooling precision \(cooling.precision) recall \(cooling.recall); moved precision \(moved.precision) recall \(moved.recall)")
            // Not the issue's bar (that is for the classifications and coverage) but a floor against
            // regressions, on m where there are enough pairs to count (s plants two to five). Moves are
            // alerts for a year only, so truth.json's older moves lower their recall, never their precision.
            if size == .m {
                #expect(cooling.precision >= 0.6 && cooling.recall >= 0.6)
                #expect(moved.precision >= 0.9)
            }
            print("order-seekers, \(size) demo, seed \(seed): people precision \(people.precision) recall \(people.recall); "
                  + "organizations precision \(organizations.precision) recall \(organizations.recall)")
            #expect(!truth.order_seekers.organizations.isEmpty)
            #expect(people.precision >= 0.9 && people.recall >= 0.9)
            #expect(organizations.precision >= 0.9 && organizations.recall >= 0.9)
            #expect(!truth.partnerships.isEmpty)
            #expect(partnershipScore.precision >= 0.9 && partnershipScore.recall >= 0.9)
            #expect(!truth.deep_relationships.isEmpty)
            #expect(deepScore.precision >= 0.9 && deepScore.recall >= 0.9)
            #expect(atRiskScore.precision >= 0.9 && atRiskScore.recall >= 0.9)
            #expect(transactionalScore.precision >= 0.9 && transactionalScore.recall >= 0.9)
            #expect(uncovered.precision >= 0.9 && uncovered.recall >= 0.9)
            #expect(single.precision >= 0.9 && single.recall >= 0.9)
        }
    }
}
