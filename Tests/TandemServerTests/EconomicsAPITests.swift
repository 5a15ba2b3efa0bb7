import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting

@Suite struct EconomicsAPITests {
    @Test(arguments: ServerBackend.available)
    func summarisesSalesAgainstAYearEarlier(_ backend: ServerBackend) async throws {
        let workspace = "sales-\(UUID().uuidString)"
        try await withTandemApp(backend, workspace: workspace) { app in
            // given: the s demo in the served workspace
            try await importDemo(app, workspace: workspace, seed: 2)
            let snapshot = try await SnapshotLoader(sql: app.db.sql(), workspaceID: app.workspaceID).load(interactions: false)
            let expected = SalesReport.summary(snapshot, query: SalesQuery(groupBy: [.period, .organization], grain: .quarter,
                                                                           from: YearMonth("2025-07"), to: YearMonth("2026-06")))
            // when / then
            try await app.api().test(.GET, "/api/v1/sales/summary?by=period,organization&period=quarter&from=2025-07&to=2026-06") { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder.snakeCase.decode(SalesSummary.self, from: Data(buffer: response.body))
                #expect(body == expected)
                #expect(body.rows.count >= 4 * 8)
                #expect(body.rows.allSatisfy { $0.period?.contains("-Q") == true && $0.organizationKey != nil && $0.branchKey == nil })
                #expect(body.rows.contains { $0.growth?.sellThrough != nil })
            }
            try await app.api().test(.GET, "/api/v1/sales/summary?by=region&period=week&from=2025-13&territory=nowhere") { response in
                #expect(response.status == .unprocessableEntity)
                let text = response.body.string
                for field in ["by", "period", "from"] { #expect(text.contains("\"\(field)\"")) }
            }
            try await app.api().test(.GET, "/api/v1/sales/summary?territory=nowhere") { response in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("no territory"))
            }
        }
    }

    @Test(arguments: ServerBackend.available)
    func reportsEachPartnershipsEconomicsForBothSides(_ backend: ServerBackend) async throws {
        let workspace = "economics-\(UUID().uuidString)"
        try await withTandemApp(backend, workspace: workspace) { app in
            try await importDemo(app, workspace: workspace, seed: 2)
            let snapshot = try await SnapshotLoader(sql: app.db.sql(), workspaceID: app.workspaceID).load(interactions: false)
            var settings = EconomicsSettings()
            settings.hourlyCost = ["JPY": 9000, "AED": 190]
            settings.inventoryCarryingRate = 0.2
            let expected = EconomicsAnalysis(settings: settings).economics(of: snapshot, asOf: LocalDate("2026-06-30")!)
            #expect(expected.contains { $0.verdict != .undetermined })
            try await app.api().test(.GET, "/api/v1/economics?as_of=2026-06-30&hourly_cost=JPY:9000,AED:190&carrying_rate=0.2") { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder.snakeCase.decode([PartnershipEconomics].self, from: Data(buffer: response.body))
                #expect(body == expected)
            }
            let measured = try #require(expected.first { $0.verdict != .undetermined })
            try await app.api().test(.GET, "/api/v1/economics?as_of=2026-06-30&partnership=\(measured.partnershipKey)") { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder.snakeCase.decode([PartnershipEconomics].self, from: Data(buffer: response.body))
                #expect(body.map(\.partnershipKey) == [measured.partnershipKey])
                #expect(body.first?.sides.count == 2)
            }
            try await app.api().test(.GET, "/api/v1/economics?partnership=nothing") { response in
                #expect(response.status == .notFound)
            }
            try await app.api().test(.GET, "/api/v1/economics?hourly_cost=euro&carrying_rate=2") { response in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("hourly_cost") && response.body.string.contains("carrying_rate"))
            }
            // Where to partner, with the estimates given.
            var plan = PlanSettings(budgetMoney: 50_000, budgetHours: 400)
            (plan.upliftHome, plan.upliftCounterpart, plan.moneyShare, plan.hoursPerBranch) = (0.1, 0.08, 0.01, 20)
            plan.rates = ["JPY": 0.0061, "AED": 0.25, "USD": 0.92, "INR": 0.011, "KRW": 0.00068, "CNY": 0.13]
            let full = try await SnapshotLoader(sql: app.db.sql(), workspaceID: app.workspaceID).load()
            let expectedPlan = try PartnershipPlanner().plan(full, asOf: LocalDate("2026-06-30")!, settings: plan)
            let query = "budget_money=50000&budget_hours=400&uplift_home=0.1&uplift_counterpart=0.08&money_share=0.01&hours_per_branch=20"
                + "&rates=JPY:0.0061,AED:0.25,USD:0.92,INR:0.011,KRW:0.00068,CNY:0.13&as_of=2026-06-30"
            try await app.api().test(.GET, "/api/v1/plan?\(query)") { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder.snakeCase.decode(PartnershipPlan.self, from: Data(buffer: response.body))
                #expect(body == expectedPlan)
                #expect(body.exact && body.candidates.contains { $0.decision == .partner })
            }
            let leads = LeadLagAnalysis().analyse(full, asOf: LocalDate("2026-06-30")!, by: .all)
            try await app.api().test(.GET, "/api/v1/lead-lag?by=all&as_of=2026-06-30") { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder.snakeCase.decode([LeadLag].self, from: Data(buffer: response.body))
                #expect(body == leads)
                #expect(body.first?.lags.map(\.quarters) == [0, 1, 2, 3, 4])
                #expect((body.first?.lags.first?.observations ?? 0) > 20)
            }
            try await app.api().test(.GET, "/api/v1/lead-lag?by=region&territory=XX") { response in
                #expect(response.status == .unprocessableEntity)
            }
            try await app.api().test(.GET, "/api/v1/plan?budget_hours=-3&rates=DKK") { response in
                #expect(response.status == .unprocessableEntity)
                for field in ["budget_money", "budget_hours", "rates"] { #expect(response.body.string.contains("\"\(field)\"")) }
            }
        }
    }
}
