import Testing
@testable import TandemCore

@Suite struct LeadLagTests {
    @Test func correlationAndItsIntervalAreFishers() {
        let lag = LeadLagAnalysis.correlate([(1, 2), (2, 4), (3, 5), (4, 4), (5, 6)], lag: 1)
        // r = 0.8528; z = atanh(r) ± 1.96 / √2 gives -0.119 to 0.990 (computed by hand in Python).
        #expect(lag.correlation == 0.853 && lag.low == -0.119 && lag.high == 0.99 && lag.observations == 5)
        #expect(LeadLagAnalysis.correlate([(1, 1), (2, 2)], lag: 0).correlation == nil)
        #expect(LeadLagAnalysis.correlate([(1, 1), (1, 2), (1, 3)], lag: 0).correlation == nil)
    }

    /// Ten branches whose year-on-year sell-through growth is exactly 1% per point of strength
    /// gained two quarters earlier.
    @Test func aRelationThatLeadsByTwoQuartersIsFoundAtTwo() {
        var random = DemoRandom(seed: 5, stream: 3)
        let series = (0..<10).map { branch in
            var strength: [Double?] = [50]
            for _ in 1..<20 { strength.append(max(0, min(100, strength.last!! + Double.random(in: -8...8, using: &random)))) }
            var sales: [Double?] = (0..<4).map { _ in Double.random(in: 900...1100, using: &random) }
            for quarter in 4..<20 {
                let change = quarter >= 3 ? strength[quarter - 2]! - strength[quarter - 3]! : 0
                sales.append(sales[quarter - 4]! * (1 + 0.01 * change))
            }
            return LeadLagAnalysis.Series(branch: branch, strength: strength, sellThrough: sales)
        }
        let table = LeadLagAnalysis().table(series, scope: "all", key: nil)
        let two = table.lags[2]
        #expect(two.correlation == 1 && two.observations > 100)
        #expect(table.lags.filter { $0.quarters != 2 }.allSatisfy { abs($0.correlation ?? 0) < 0.5 })
        #expect(table.statement.hasPrefix("a rise in relationship strength goes with higher sell-through growth 2 quarters later"))
        // A handful of observations make no statement.
        let few = LeadLagAnalysis().table([series[0]], scope: "branch", key: "b0")
        #expect(few.statement.hasPrefix("too few observations"))
    }
}
