import Testing
@testable import TandemCore

@Suite struct PartnershipPlannerTests {
    /// The channel of `PartnershipAssessmentTests`: d6 a deep relationship, d1–d5 relationships,
    /// d7 transactional; d5 also has an active partnership (on paper only, so at risk). A year of
    /// sales through one branch each of d5 and d6.
    static func world(d6Currency: String = "EUR") -> Snapshot {
        var world = PartnershipAssessmentTests.channel()
        world.organizations[0].currency = "EUR"
        world.branches = [.init(key: "d5-b", organization: 5), .init(key: "d6-b", organization: 6)]
        world.partnerships = [.init(key: "ps5", counterpart: 5, status: .active, commitment: .implied, agreementDate: LocalDate("2024-01-01")!)]
        var month = YearMonth("2025-07")!
        while month <= YearMonth("2026-06")! {
            world.sales.append(.init(period: month, manufacturer: 0, branch: 0, sellIn: 20_000, sellThrough: 19_000,
                                     manufacturerGrossProfit: 5_000, distributorGrossProfit: 4_000, currency: "EUR"))
            world.sales.append(.init(period: month, manufacturer: 0, branch: 1, sellIn: 10_000, sellThrough: 9_000,
                                     manufacturerGrossProfit: 3_000, distributorGrossProfit: 2_000, currency: d6Currency))
            month = month.adding(months: 1)
        }
        return world
    }

    static func settings(money: Double = 5_000, hours: Double = 150) -> PlanSettings {
        var settings = PlanSettings(budgetMoney: money, budgetHours: hours)
        settings.upliftHome = 0.1
        settings.upliftCounterpart = 0.1
        settings.moneyShare = 0.01
        settings.hoursPerBranch = 100
        return settings
    }

    func decisions(_ plan: PartnershipPlan) -> [String: PlanCandidate.Decision] {
        Dictionary(uniqueKeysWithValues: plan.candidates.map { ($0.organizationKey, $0.decision) })
    }

    @Test func theBudgetGoesWhereBothSidesGainMost() throws {
        let asOf = LocalDate("2026-06-30")!
        let plan = try PartnershipPlanner().plan(Self.world(), asOf: asOf, settings: Self.settings())
        // d5 (at risk, half the uplift): 0.5 × 0.1 × 60,000 + 0.5 × 0.1 × 48,000 = 5,400 for 2,400 and 100 hours.
        // d6 (deep, 70%): 0.7 × 0.1 × 36,000 + 0.7 × 0.1 × 24,000 = 4,200 for 1,200 and 100 hours. 150 hours hold one.
        let d5 = try #require(plan.candidates.first { $0.organizationKey == "d5" })
        #expect(d5.classification == .partnershipAtRisk && d5.decision == .partner)
        #expect(d5.expectedHome == 3_000 && d5.expectedCounterpart == 2_400 && d5.money == 2_400 && d5.hours == 100)
        let d6 = try #require(plan.candidates.first { $0.organizationKey == "d6" })
        #expect(d6.classification == .deepRelationship && d6.decision == .relationshipIsEnough)
        #expect(d6.reason.contains("the budget does more elsewhere"))
        #expect(plan.expectedBothSides == 5_400 && plan.moneyUsed == 2_400 && plan.hoursUsed == 100 && plan.exact)
        #expect(decisions(plan)["d1"] == .notEligible && decisions(plan)["d7"] == .notEligible)
        // Room for both: both.
        let roomy = try PartnershipPlanner().plan(Self.world(), asOf: asOf, settings: Self.settings(hours: 250))
        #expect(roomy.expectedBothSides == 9_600 && decisions(roomy)["d6"] == .partner)
    }

    @Test func aPartnershipThatDoesNotPayTheHomeCompanyIsNotPlanned() throws {
        var settings = Self.settings(money: 1_000_000, hours: 1_000)
        settings.moneyShare = 0.05  // d6: 6,000 a year against 2,520 expected for the home company
        let plan = try PartnershipPlanner().plan(Self.world(), asOf: LocalDate("2026-06-30")!, settings: settings)
        let d6 = try #require(plan.candidates.first { $0.organizationKey == "d6" })
        #expect(d6.decision == .relationshipIsEnough && d6.reason.contains("would not pay for the home company"))
    }

    @Test func otherCurrenciesNeedARateAndMissingEstimatesAreNamed() throws {
        let asOf = LocalDate("2026-06-30")!
        let plan = try PartnershipPlanner().plan(Self.world(d6Currency: "CHF"), asOf: asOf, settings: Self.settings(hours: 250))
        #expect(plan.candidates.first { $0.organizationKey == "d6" }?.reason.contains("no exchange rate into EUR") == true)
        var converted = Self.settings(hours: 250)
        converted.rates = ["CHF": 0.5]
        let halved = try PartnershipPlanner().plan(Self.world(d6Currency: "CHF"), asOf: asOf, settings: converted)
        #expect(halved.candidates.first { $0.organizationKey == "d6" }?.expectedHome == 1_260)
        var unmeasured = Self.settings()
        unmeasured.upliftHome = nil
        #expect(throws: PlanError.self) { try PartnershipPlanner().plan(Self.world(), asOf: asOf, settings: unmeasured) }
    }
}
