import Testing
@testable import TandemCore

@Suite struct BudgetKnapsackTests {
    /// Every subset, the best that fits both budgets.
    static func bruteForce(_ items: [BudgetKnapsack.Item], money: Double, hours: Double) -> Double {
        var best = 0.0
        for mask in 0..<(1 << items.count) {
            var value = 0.0, spentMoney = 0.0, spentHours = 0.0
            for index in items.indices where mask & (1 << index) != 0 {
                value += items[index].value
                spentMoney += items[index].money
                spentHours += items[index].hours
            }
            if spentMoney <= money && spentHours <= hours { best = max(best, value) }
        }
        return best
    }

    @Test(arguments: 1...300 as ClosedRange<UInt64>)
    func matchesBruteForceOnSmallCases(seed: UInt64) {
        var random = DemoRandom(seed: seed, stream: 11)
        let count = Int.random(in: 0...12, using: &random)
        let items = (0..<count).map { _ in
            BudgetKnapsack.Item(value: Double(Int.random(in: -20...200, using: &random)),
                                money: Double(Int.random(in: 0...100, using: &random)) * (Bool.random(using: &random) ? 1 : 0.37),
                                hours: Double(Int.random(in: 0...50, using: &random)))
        }
        let money = Double(Int.random(in: 0...400, using: &random)), hours = Double(Int.random(in: 0...150, using: &random))
        let solution = BudgetKnapsack().solve(items, money: money, hours: hours)
        #expect(solution.exact)
        #expect(abs(solution.value - Self.bruteForce(items, money: money, hours: hours)) < 1e-9)
        // The choice is real: it fits and adds up to the value reported.
        #expect(solution.chosen.map { items[$0].money }.reduce(0, +) <= money + 1e-9)
        #expect(solution.chosen.map { items[$0].hours }.reduce(0, +) <= hours + 1e-9)
        #expect(abs(solution.chosen.map { items[$0].value }.reduce(0, +) - solution.value) < 1e-9)
        #expect(Set(solution.chosen).count == solution.chosen.count)
    }

    @Test func aGreedyChoiceIsNotTheAnswer() {
        // Best value per money first would take the first item and have no room left for the other two.
        let items = [BudgetKnapsack.Item(value: 60, money: 51, hours: 0), .init(value: 50, money: 50, hours: 0), .init(value: 50, money: 50, hours: 0)]
        #expect(BudgetKnapsack().solve(items, money: 100, hours: 0).chosen == [1, 2])
        // The hours budget binds too.
        let both = [BudgetKnapsack.Item(value: 10, money: 1, hours: 10), .init(value: 9, money: 1, hours: 5), .init(value: 9, money: 1, hours: 5)]
        #expect(BudgetKnapsack().solve(both, money: 10, hours: 10).chosen == [1, 2])
    }

    @Test func hundredsOfCandidatesAreSolvedExactly() {
        var random = DemoRandom(seed: 42, stream: 12)
        let items = (0..<400).map { _ in
            BudgetKnapsack.Item(value: Double.random(in: 1_000...500_000, using: &random), money: Double.random(in: 5_000...200_000, using: &random),
                                hours: Double.random(in: 20...600, using: &random))
        }
        let solution = BudgetKnapsack().solve(items, money: 2_000_000, hours: 5_000)
        #expect(solution.exact)
        #expect(solution.chosen.map { items[$0].money }.reduce(0, +) <= 2_000_000)
        // Value in proportion to cost, as when both scale with a counterpart's size: the hard kind.
        let correlated = (0..<300).map { _ in
            let size = Double.random(in: 10_000...300_000, using: &random)
            return BudgetKnapsack.Item(value: size * 1.5 + 20_000, money: size * Double.random(in: 0.08...0.12, using: &random),
                                       hours: (size / 1_000).rounded(.up))
        }
        let hard = BudgetKnapsack().solve(correlated, money: 1_000_000, hours: 8_000)
        #expect(hard.exact)
        // One budget that does not bind (all the hours fit ten times over) must not blunt the bound.
        let loose = (0..<60).map { _ in
            BudgetKnapsack.Item(value: Double.random(in: 10...100, using: &random), money: Double.random(in: 10...100, using: &random),
                                hours: Double.random(in: 1...10, using: &random))
        }
        let money = loose.map(\.money).reduce(0, +) / 1.3, hours = loose.map(\.hours).reduce(0, +) * 10
        let unbound = BudgetKnapsack(nodeLimit: 200_000).solve(loose, money: money, hours: hours)
        #expect(unbound.exact)
    }
}
