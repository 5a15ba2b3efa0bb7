import Testing
@testable import TandemCore

/// Hand-computed examples of every figure of docs/economics.md.
@Suite struct EconomicsTests {
    static let asOf = LocalDate("2025-06-30")!

    /// Home (manufacturer, EUR) with Hanna; d1 (partner, Dirk) and three distributors without a
    /// partnership, each with one branch in Bavaria (DE-BY, below DE). The partnership was agreed
    /// on 2025-01-15. In 2024 every branch made the home company 100 and itself 50 of gross profit
    /// a month; from February 2025 the three others make 110 and 55, d1 150 and 70.
    static func world(comparables: Bool = true) -> Snapshot {
        var world = Snapshot(organizations: [.init(key: "home", name: "Voltwerk", kind: .manufacturer, isHome: true, currency: "EUR")]
                             + (1...4).map { .init(key: "d\($0)", name: "Distributor \($0)", kind: .distributor, currency: "EUR") })
        world.territories = [.init(code: "DE"), .init(code: "DE-BY", parentCode: "DE")]
        world.branches = (1...4).map { .init(key: "d\($0)-muc", organization: $0, territoryCode: "DE-BY") }
        world.people = [.init(key: "hanna", name: "Hanna"), .init(key: "dirk", name: "Dirk")]
        world.employments = [.init(person: 0, organization: 0, function: .outsideSales, start: LocalDate("2015-01-01")!),
                             .init(person: 1, organization: 1, function: .insideSales, start: LocalDate("2015-01-01")!)]
        world.partnerships = [.init(key: "ps1", counterpart: 1, status: .active, commitment: .expressed, agreementDate: LocalDate("2025-01-15")!,
                                    signatories: [0, 1])]
        world.commitments = [
            .init(key: "money", partnership: 0, party: 0, asset: .money, amount: 150, contributions: [.init(date: LocalDate("2025-02-10")!, amount: 150, confirmedBy: 1)],
                  currency: "EUR"),
            .init(key: "hours", partnership: 0, party: 0, asset: .timeHours, amount: 8,
                  contributions: [.init(date: LocalDate("2025-02-20")!, amount: 8, confirmedBy: 1),
                                  .init(date: LocalDate("2025-03-20")!, amount: 4, confirmedBy: 0)], unit: "hours"),
            .init(key: "stock", partnership: 0, party: 1, asset: .inventory, amount: 1000,
                  contributions: [.init(date: LocalDate("2025-02-01")!, amount: 1000, confirmedBy: 0)], currency: "EUR"),
            .init(key: "promo", partnership: 0, party: 1, asset: .money, amount: 500, contributions: [.init(date: LocalDate("2025-03-01")!, amount: 500)],
                  currency: "EUR"),
            .init(key: "excl", partnership: 0, party: 1, asset: .exclusivity, amount: 1, contributions: [.init(date: LocalDate("2025-01-15")!, amount: 1, confirmedBy: 0)],
                  unit: "territory"),
        ]
        var month = YearMonth("2023-01")!
        while month <= YearMonth("2025-06")! {
            for branch in (comparables ? 0..<4 : 0..<1) {
                let after = month >= YearMonth("2025-01")!
                let manufacturer: Double = month.year == 2023 ? 80 : !after ? 100 : branch == 0 ? 150 : 110
                let distributor: Double = month.year == 2023 ? 40 : !after ? 50 : branch == 0 ? 70 : 55
                world.sales.append(.init(period: month, manufacturer: 0, branch: branch, sellIn: manufacturer * 3, sellThrough: distributor * 4,
                                         manufacturerGrossProfit: manufacturer, distributorGrossProfit: distributor, currency: "EUR"))
            }
            month = month.adding(months: 1)
        }
        return world
    }

    static var settings: EconomicsSettings {
        var settings = EconomicsSettings()
        settings.hourlyCost = ["EUR": 5]
        return settings
    }

    @Test func comparableBranchesMakeTheBaselineAndEachSideGetsItsOwnReturn() throws {
        let result = try #require(EconomicsAnalysis(settings: Self.settings).economics(of: Self.world(), asOf: Self.asOf).first)
        #expect(result.baseline.method == "comparable_branches")
        #expect(result.baseline.comparableBranches == ["d2-muc", "d3-muc", "d4-muc"])
        #expect((result.from, result.to, result.months) == ("2025-02", "2025-06", 5))
        let home = result.sides[0], partner = result.sides[1]
        // Home: 5 months of 150 against 100 × 330 / 300 = 110 expected.
        #expect(home.grossProfit == 750 && home.baselineGrossProfit == 550 && home.incrementalGrossProfit == 200)
        // 150 money and 8 confirmed hours at 5 (the 4 hours Hanna confirmed herself are a claim).
        #expect(home.cost.money == 150 && home.cost.hours == 8 && home.cost.hoursCost == 40 && home.cost.total == 190)
        #expect(home.cost.claims == ["hours: 4 hours on 2025-03-20"])
        #expect(home.returnOnInvestment == 0.053)
        // Cumulative 40, 80, 120, 160, 200 against 190 spent by February: paid back in the fifth month.
        #expect(home.paybackMonths == 5)
        #expect(home.gains == true)
        // d1: 70 against 50 × 1.1 = 55, five months; 1000 of stock held 149 days at 25% a year.
        #expect(partner.incrementalGrossProfit == 75)
        #expect(partner.cost.inventory == 1000 && partner.cost.inventoryCarryingCost == 101.98 && partner.cost.total == 101.98)
        #expect(partner.cost.unpriced == ["exclusivity: 1 territory"])
        #expect(partner.cost.claims == ["promo: 500 EUR on 2025-03-01"])
        #expect(partner.returnOnInvestment == -0.265)
        #expect(partner.paybackMonths == nil && partner.gains == false)
        #expect(result.verdict == .homeGains)
        #expect(result.summary.hasPrefix("only home gains over 5 months (EUR)"))
    }

    @Test func withoutComparablesThePartnersOwnTrendMakesTheBaseline() throws {
        let result = try #require(EconomicsAnalysis(settings: Self.settings).economics(of: Self.world(comparables: false), asOf: Self.asOf).first)
        #expect(result.baseline.method == "own_trend")
        // 2024 against 2023: 100 / 80 = 1.25 a year, so 125 and 62.5 expected a month.
        #expect(result.sides[0].incrementalGrossProfit == 125)
        #expect(result.sides[1].incrementalGrossProfit == 37.5)
        // Home's 125 no longer covers its 190; d1's 37.5 never covered its 101.98.
        #expect(result.verdict == .neither)
    }

    @Test func whatTheDataCannotSupportIsSaidNotPrinted() throws {
        var world = Self.world(comparables: false)
        world.sales.removeAll { $0.period.year == 2023 }
        let noTrend = try #require(EconomicsAnalysis().economics(of: world, asOf: Self.asOf).first)
        #expect(noTrend.baseline.method == "none" && noTrend.verdict == .undetermined)
        #expect(noTrend.baseline.reason.contains("fewer than 24 months"))
        #expect(noTrend.sides.allSatisfy { $0.incrementalGrossProfit == nil && $0.returnOnInvestment == nil })
        // Hours without an hourly cost are reported, not priced.
        #expect(noTrend.sides[0].cost.hoursCost == nil && noTrend.sides[0].cost.unpriced == ["time_hours (no hourly cost for EUR): 8 h"])

        world.partnerships[0].status = .proposed
        #expect(EconomicsAnalysis().economics(of: world, asOf: Self.asOf).first?.baseline.reason.contains("proposed") == true)
        world.partnerships[0].status = .ended
        #expect(EconomicsAnalysis().economics(of: world, asOf: Self.asOf).first?.summary.contains("not recorded") == true)
        // With its end recorded, the months up to it are measured.
        var ended = Self.world()
        ended.partnerships[0].status = .ended
        ended.partnerships[0].endDate = LocalDate("2025-04-10")!
        let measured = try #require(EconomicsAnalysis(settings: Self.settings).economics(of: ended, asOf: Self.asOf).first)
        #expect((measured.from, measured.to, measured.months) == ("2025-02", "2025-04", 3))
        #expect(measured.sides[0].incrementalGrossProfit == 120)
        world.partnerships[0].status = .active
        world.sales.removeAll { $0.period < YearMonth("2024-06")! }
        #expect(EconomicsAnalysis().economics(of: world, asOf: Self.asOf).first?.baseline.reason.contains("fewer than 12 months") == true)
    }

    @Test func aPartnershipScopedToTerritoriesCountsOnlyTheirBranches() throws {
        var world = Self.world()
        world.territories.append(.init(code: "DE-BE", parentCode: "DE"))
        world.branches.append(.init(key: "d1-ber", organization: 1, territoryCode: "DE-BE"))
        world.sales.append(.init(period: YearMonth("2025-03")!, manufacturer: 0, branch: 4, manufacturerGrossProfit: 1_000_000,
                                 distributorGrossProfit: 1_000_000, currency: "EUR"))
        world.partnerships[0].territoryCodes = ["DE-BY"]
        let result = try #require(EconomicsAnalysis(settings: Self.settings).economics(of: world, asOf: Self.asOf).first)
        #expect(result.sides[0].incrementalGrossProfit == 200)
    }
}
