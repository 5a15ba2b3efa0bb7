import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting

@Suite struct PartnershipAPITests {
    @Test(arguments: ServerBackend.available)
    func bothSidesKeepTheirPartnershipOverTheAPI(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            let api = app.api()
            func post(_ path: String, _ body: [String: Any], expect status: HTTPStatus, _ check: (TestingHTTPResponse) throws -> Void = { _ in }) async throws {
                try await api.test(.POST, path, headers: jsonHeaders, body: jsonBody(body)) { response in
                    #expect(response.status == status, "\(path): \(response.body.string)")
                    try check(response)
                }
            }
            // given home with Hanna and d1 with Dirk
            try await post("/api/v1/organizations", ["key": "home", "name": "Voltwerk", "kind": "manufacturer", "is_home": true], expect: .created)
            try await post("/api/v1/organizations", ["key": "d1", "name": "Elektro Süd", "kind": "distributor"], expect: .created)
            for (person, organization) in [("hanna", "home"), ("dirk", "d1")] {
                try await post("/api/v1/people", ["key": person, "name": person.capitalized], expect: .created)
                try await post("/api/v1/employments", ["person_key": person, "organization_key": organization, "function": "outside_sales",
                                                       "start_date": "2015-01-01"], expect: .created)
            }
            // when the partnership is proposed, activated and filled in
            try await post("/api/v1/partnerships", ["key": "ps1", "counterpart_key": "d1", "notes": "Lighting controls"], expect: .created) { response in
                #expect(response.headers.first(name: .location) == "/api/v1/partnerships/ps1")
            }
            try await post("/api/v1/partnerships/ps1/activate", ["date": "2026-01-15", "commitment": "expressed", "signatory_keys": ["hanna"]],
                           expect: .unprocessableEntity) { response in
                #expect(response.body.string.contains("needs someone of the counterpart"))
            }
            try await post("/api/v1/partnerships/ps1/activate", ["date": "2026-01-15", "commitment": "expressed", "signatory_keys": ["hanna", "dirk"]],
                           expect: .ok)
            try await post("/api/v1/partnerships/ps1/activate", ["date": "2026-02-15", "commitment": "implied"], expect: .conflict)
            try await post("/api/v1/partnerships/ps1/goals", ["key": "g1", "metric": "Sell-through growth", "baseline": 0, "target": 20,
                                                              "due_date": "2026-12-31", "owner_keys": ["hanna", "dirk"]], expect: .created)
            try await post("/api/v1/goals/g1/progress", ["date": "2026-03-01", "value": 2.5], expect: .ok)
            try await post("/api/v1/partnerships/ps1/pledges", ["key": "c1", "party_key": "d1", "asset": "time_hours", "amount": 100, "unit": "hours"],
                           expect: .created)
            var contribution: Int64 = 0
            try await post("/api/v1/pledges/c1/contributions", ["date": "2026-02-01", "amount": 40], expect: .created) { response in
                contribution = (response.json["id"] as? NSNumber)?.int64Value ?? 0
                #expect(response.json["confirmed"] as? Bool == false)
            }
            try await post("/api/v1/contributions/\(contribution)/confirm", ["confirmed_by_key": "dirk"], expect: .unprocessableEntity)
            try await post("/api/v1/contributions/\(contribution)/confirm", ["confirmed_by_key": "hanna"], expect: .ok) { response in
                #expect(response.json["confirmed"] as? Bool == true)
            }
            try await post("/api/v1/contributions/999999/confirm", ["confirmed_by_key": "hanna"], expect: .notFound)
            try await post("/api/v1/partnerships/ps1/risks", ["party_key": "home", "description": "Consignment stock", "exposure_amount": 50_000,
                                                              "currency": "EUR"], expect: .created)
            try await post("/api/v1/partnerships/ps1/reviews", ["key": "r1", "date": "2026-03-15", "attendee_keys": ["hanna", "dirk"],
                                                                "visibility": "shared", "notes": "Q1"], expect: .created)
            try await post("/api/v1/partnerships/ps1/suspend", ["date": "2026-04-01", "note": "Acquisition"], expect: .ok)
            try await post("/api/v1/partnerships/nobody/suspend", ["date": "2026-04-01"], expect: .notFound)
            // then the detail holds everything, and the list finds it by status
            try await api.test(.GET, "/api/v1/partnerships/ps1") { response in
                #expect(response.status == .ok)
                let detail = try JSONDecoder.snakeCase.decode(PartnershipDetail.self, from: Data(buffer: response.body))
                #expect(detail.partnership.status == .suspended && detail.partnership.agreementDate == "2026-01-15")
                #expect(detail.partnership.events.map(\.status) == [.proposed, .active, .suspended])
                #expect(detail.goals.first?.progress.map(\.value) == [2.5])
                #expect(detail.pledges.first?.delivered == 40 && detail.pledges.first?.claimed == 0)
                #expect(detail.risks.count == 1 && detail.reviews.first?.visibility == .shared)
            }
            try await api.test(.GET, "/api/v1/partnerships?status=suspended&organization=d1") { response in
                #expect(response.status == .ok)
                #expect((response.json["items"] as? [[String: Any]])?.map { $0["key"] as? String } == ["ps1"])
            }
            try await api.test(.GET, "/api/v1/partnerships?status=paused") { response in
                #expect(response.status == .unprocessableEntity)
            }
        }
    }
}
