import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting

@Suite struct AssessmentAPITests {
    @Test(arguments: ServerBackend.available)
    func assessesCounterpartsAndListsRelationshipsAsOfADate(_ backend: ServerBackend) async throws {
        let workspace = "assess-\(UUID().uuidString)"
        try await withTandemApp(backend, workspace: workspace) { app in
            // given: the s demo in the served workspace
            try await importDemo(app, workspace: workspace, seed: 3)
            let asOf = "2026-06-30"
            // when / then
            try await app.api().test(.GET, "/api/v1/assessments?as_of=\(asOf)") { response in
                #expect(response.status == .ok)
                let items = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]) ?? []
                #expect(items.count >= 5)
                let first = try #require(items.first)
                #expect(Set((first["criteria"] as? [String: Any] ?? [:]).keys)
                        == ["commitment", "common_goal", "combined_assets", "shared_risk", "interdependence"])
                #expect(items.contains { ($0["order_seeker"] as? [String: Any])?["flagged"] as? Bool == true })
                #expect(items.contains { $0["classification"] as? String == "partnership" })
            }
            let snapshot = try await SnapshotLoader(sql: app.db.sql(), workspaceID: app.workspaceID).load()
            let counterpart = try #require(Assessor().assess(snapshot, asOf: LocalDate(asOf)!).assessments.first)
            try await app.api().test(.GET, "/api/v1/assessments/\(counterpart.organizationKey)?as_of=\(asOf)") { response in
                #expect(response.status == .ok)
                #expect(response.json["organization_key"] as? String == counterpart.organizationKey)
                #expect(response.json["classification"] as? String == counterpart.classification.rawValue)
            }
            try await app.api().test(.GET, "/api/v1/assessments/nobody") { response in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            }
            try await app.api().test(.GET, "/api/v1/relationships?as_of=\(asOf)&organization=\(counterpart.organizationKey)&limit=3") { response in
                #expect(response.status == .ok)
                let items = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]) ?? []
                #expect((1...3).contains(items.count))
                #expect(items.allSatisfy { $0["counterpart_organization"] as? String == counterpart.organizationKey })
                let strengths = items.compactMap { $0["strength"] as? Double }
                #expect(strengths == strengths.sorted(by: >))
                #expect((items.first?["explanation"] as? [Any])?.isEmpty == false)
            }
            try await app.api().test(.GET, "/api/v1/coverage?as_of=\(asOf)&organization=\(counterpart.organizationKey)") { response in
                #expect(response.status == .ok)
                let rows = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]) ?? []
                #expect(!rows.isEmpty)
                #expect(rows.allSatisfy { $0["organization_key"] as? String == counterpart.organizationKey })
                #expect(rows.allSatisfy { Set($0.keys).isSuperset(of: ["branch_key", "territory_code", "inside_sales", "outside_sales", "single_threaded", "gaps"]) })
            }
            try await app.api().test(.GET, "/api/v1/alerts?as_of=\(asOf)") { response in
                #expect(response.status == .ok)
                let alerts = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]) ?? []
                #expect(!alerts.isEmpty)
                #expect(alerts.allSatisfy { ($0["message"] as? String)?.isEmpty == false && $0["kind"] is String })
            }
            try await app.api().test(.GET, "/api/v1/relationships?as_of=2026-02-30&limit=0") { response in
                #expect(response.status == .unprocessableEntity)
                let fields = (response.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect(Set(fields) == ["as_of", "limit"])
            }
        }
    }
}
