import Testing
@testable import TandemCore

@Suite struct SalesReportTests {
    /// Home sells through d1 (Munich and Hamburg branches, EUR) and d2 (Zurich, CHF); another
    /// manufacturer also sells through d1.
    static func world() -> Snapshot {
        var world = Snapshot(organizations: [.init(key: "home", name: "Voltwerk", kind: .manufacturer, isHome: true, currency: "EUR"),
                                             .init(key: "d1", name: "Elektro Süd", kind: .distributor, currency: "EUR"),
                                             .init(key: "d2", name: "Alpen Elektro", kind: .distributor, currency: "CHF"),
                                             .init(key: "other", name: "Schaltbau", kind: .manufacturer)])
        world.territories = [.init(code: "DE"), .init(code: "DE-S", parentCode: "DE"), .init(code: "DE-S-MUC", parentCode: "DE-S"),
                             .init(code: "DE-N", parentCode: "DE"), .init(code: "CH")]
        world.branches = [.init(key: "d1-muc", organization: 1, territoryCode: "DE-S-MUC"), .init(key: "d1-ham", organization: 1, territoryCode: "DE-N"),
                          .init(key: "d2-zrh", organization: 2, territoryCode: "CH")]
        func sale(_ period: String, _ branch: Int, _ line: String, _ sellIn: Double, _ sellThrough: Double,
                  manufacturer: Int = 0, currency: String? = "EUR") -> Snapshot.Sale {
            .init(period: YearMonth(period)!, manufacturer: manufacturer, branch: branch, productLine: line, sellIn: sellIn, sellThrough: sellThrough,
                  manufacturerGrossProfit: sellIn * 0.4, distributorGrossProfit: sellThrough * 0.2, currency: currency)
        }
        world.sales = [
            sale("2024-05", 0, "Switches", 1000, 800), sale("2025-05", 0, "Switches", 1200, 1000),
            sale("2025-05", 0, "Sockets", 300, 200), sale("2025-05", 1, "Switches", 500, 500),
            sale("2024-06", 1, "Switches", 0, 100), sale("2025-06", 1, "Switches", 400, 300),
            sale("2025-06", 2, "Switches", 700, 600, currency: nil), sale("2024-06", 2, "Switches", 350, 300, currency: "CHF"),
            sale("2025-06", 0, "Switches", 9999, 9999, manufacturer: 3),
        ]
        return world
    }

    @Test func monthsAreComparedWithTheSameMonthAYearEarlier() throws {
        let summary = SalesReport.summary(Self.world(), query: SalesQuery())
        #expect(summary.manufacturerKey == "home")
        #expect((summary.from, summary.to) == ("2024-07", "2025-06"))
        #expect(summary.rows.map { "\($0.period!) \($0.currency)" } == ["2025-05 EUR", "2025-06 CHF", "2025-06 EUR"])
        let may = summary.rows[0]
        #expect(may.figures == SalesFigures(sellIn: 2000, sellThrough: 1700, manufacturerGrossProfit: 800, distributorGrossProfit: 340))
        // May 2024 fell before the range: it is only the year-earlier figure.
        #expect(may.yearEarlier == SalesFigures(sellIn: 1000, sellThrough: 800, manufacturerGrossProfit: 400, distributorGrossProfit: 160))
        #expect(may.growth?.sellIn == 1.0)
        #expect(may.growth?.sellThrough == 1.125)
        // A row without a currency is in its distributor's: the Zurich row is CHF, never added to EUR.
        let june = summary.rows[1]
        #expect(june.figures.sellIn == 700 && june.yearEarlier?.sellIn == 350 && june.growth?.sellIn == 1.0)
        // Growth from zero is no number.
        let hamburg = summary.rows[2]
        #expect(hamburg.yearEarlier?.sellIn == 0 && hamburg.growth?.sellIn == nil && hamburg.growth?.sellThrough == 2.0)
    }

    @Test func territoriesIncludeWhatLiesBelowThem() {
        let query = SalesQuery(groupBy: [.territory, .productLine], territory: "DE")
        let rows = SalesReport.summary(Self.world(), query: query).rows
        #expect(rows.map { "\($0.territoryCode!) \($0.productLine!) \($0.figures.sellIn)" }
                == ["DE-N Switches 900.0", "DE-S-MUC Sockets 300.0", "DE-S-MUC Switches 1200.0"])
        #expect(rows.allSatisfy { $0.period == nil && $0.branchKey == nil })
        let south = SalesReport.summary(Self.world(), query: SalesQuery(groupBy: [.branch], territory: "DE-S")).rows
        #expect(south.map(\.branchKey) == ["d1-muc"])
    }

    @Test func quartersAndYearsAndOtherManufacturers() {
        let quarters = SalesReport.summary(Self.world(), query: SalesQuery(groupBy: [.period, .organization], grain: .quarter))
        #expect(quarters.rows.map { "\($0.period!) \($0.organizationKey!) \($0.figures.sellIn)" } == ["2025-Q2 d1 2400.0", "2025-Q2 d2 700.0"])
        let other = SalesReport.summary(Self.world(), query: SalesQuery(groupBy: [.organization], manufacturer: "other"))
        #expect(other.rows.map(\.figures.sellIn) == [9999])
        #expect(other.rows.first?.yearEarlier == nil && other.rows.first?.growth == nil)
    }

    @Test func aBranchThatStoppedBuyingFallsByAllRatherThanVanishing() throws {
        var world = Self.world()
        world.sales.removeAll { $0.branch == 1 && $0.period.year == 2025 }
        let rows = SalesReport.summary(world, query: SalesQuery(groupBy: [.branch])).rows
        let hamburg = try #require(rows.first { $0.branchKey == "d1-ham" })
        #expect(hamburg.figures == SalesFigures() && hamburg.yearEarlier?.sellThrough == 100 && hamburg.growth?.sellThrough == -1)
        // Only a first month given: the twelve months from it.
        let from = SalesReport.summary(world, query: SalesQuery(from: YearMonth("2025-03")))
        #expect((from.from, from.to) == ("2025-03", "2026-02"))
    }

    @Test func unknownKeysAndEmptyRangesAreNamed() {
        let query = SalesQuery(from: YearMonth("2025-06"), to: YearMonth("2025-01"), manufacturer: "nobody", territory: "XX")
        #expect(query.problems(in: Self.world()).map(\.field) == ["manufacturer", "territory", "to"])
        #expect(SalesQuery(from: YearMonth("0001-01")).problems(in: Self.world()).map(\.field) == ["from"])
        #expect(SalesQuery().problems(in: Self.world()).isEmpty)
    }
}
