/// Chooses items to maximise their total value within two budgets (money and hours): the 0/1
/// knapsack with two constraints, solved exactly by depth-first branch and bound.
///
/// Items are tried best value per budget share first; a branch is cut when the fractional
/// knapsack of the surrogate constraint μ × money share + (1 − μ) × hours share ≤ 1 (a valid
/// upper bound for every μ in [0, 1], μ chosen to make it tightest at the root) cannot beat the
/// best choice found.
/// For the hundreds of candidates a channel has this finishes in milliseconds; should a
/// pathological instance exceed `nodeLimit`, the best choice found is returned with `exact`
/// false rather than running unbounded.
public struct BudgetKnapsack: Sendable {
    public struct Item: Sendable, Equatable {
        public var value: Double
        public var money: Double
        public var hours: Double

        public init(value: Double, money: Double, hours: Double) {
            self.value = value; self.money = money; self.hours = hours
        }
    }

    public struct Solution: Sendable, Equatable {
        /// Positions of the chosen items, ascending.
        public var chosen: [Int]
        public var value: Double
        /// False only when `nodeLimit` stopped the search before it proved the choice optimal.
        public var exact: Bool
    }

    public var nodeLimit: Int

    public init(nodeLimit: Int = 20_000_000) {
        self.nodeLimit = nodeLimit
    }

    public func solve(_ items: [Item], money budgetMoney: Double, hours budgetHours: Double) -> Solution {
        // Items worth nothing, or that alone break a budget, are never chosen.
        let usable = items.indices.filter { items[$0].value > 0 && items[$0].money <= budgetMoney && items[$0].hours <= budgetHours }
        // Weights as shares of each budget (a budget of zero admits only items that use none of it).
        let weights = usable.map { index in
            (money: budgetMoney > 0 ? items[index].money / budgetMoney : 0, hours: budgetHours > 0 ? items[index].hours / budgetHours : 0)
        }
        // The surrogate relaxation: μ × money share + (1 − μ) × hours share ≤ 1 holds for every
        // feasible choice, so its fractional knapsack bounds every subtree. μ is chosen once, to
        // make the bound at the root as tight as possible.
        func rootBound(_ mu: Double) -> Double {
            Self.fractional(usable.indices.map { (items[usable[$0]].value, mu * weights[$0].money + (1 - mu) * weights[$0].hours) }, capacity: 1)
        }
        // The bound is convex but flat where a budget does not bind, so a plain ternary search can
        // walk onto the flat side: scan a grid (0 and 1 included), then refine around its best.
        let grid = (0...40).map { Double($0) / 40 }
        let coarse = grid.min { rootBound($0) < rootBound($1) }!
        var low = max(0, coarse - 1.0 / 40), high = min(1, coarse + 1.0 / 40)
        for _ in 0..<40 {
            let a = low + (high - low) / 3, b = high - (high - low) / 3
            if rootBound(a) <= rootBound(b) { high = b } else { low = a }
        }
        let mu = [coarse, (low + high) / 2].min { rootBound($0) < rootBound($1) }!
        let surrogate = usable.indices.map { mu * weights[$0].money + (1 - mu) * weights[$0].hours }
        let order = usable.indices.sorted { lhs, rhs in
            let left = items[usable[lhs]].value * surrogate[rhs], right = items[usable[rhs]].value * surrogate[lhs]
            return left != right ? left > right : lhs < rhs
        }
        let values = order.map { items[usable[$0]].value }
        let money = order.map { weights[$0].money }, hours = order.map { weights[$0].hours }, combined = order.map { surrogate[$0] }

        var best = 0.0, bestChoice: [Int] = [], nodes = 0, exact = true
        var current: [Int] = []

        func bound(_ depth: Int, room: Double) -> Double {
            var room = room, total = 0.0
            for index in depth..<values.count {
                if combined[index] <= room {
                    room -= combined[index]
                    total += values[index]
                } else {
                    return total + values[index] * room / combined[index]
                }
            }
            return total
        }

        func search(_ depth: Int, value: Double, spentMoney: Double, spentHours: Double) {
            nodes += 1
            if nodes > nodeLimit { exact = false; return }
            if value > best {
                best = value
                bestChoice = current
            }
            guard depth < values.count else { return }
            let room = 1 - (mu * spentMoney + (1 - mu) * spentHours)
            guard value + bound(depth, room: room) > best * (1 + 1e-12) + 1e-9 else { return }
            if spentMoney + money[depth] <= 1 + 1e-12 && spentHours + hours[depth] <= 1 + 1e-12 {
                current.append(depth)
                search(depth + 1, value: value + values[depth], spentMoney: spentMoney + money[depth], spentHours: spentHours + hours[depth])
                current.removeLast()
                if !exact { return }
            }
            search(depth + 1, value: value, spentMoney: spentMoney, spentHours: spentHours)
        }
        search(0, value: 0, spentMoney: 0, spentHours: 0)
        return Solution(chosen: bestChoice.map { usable[order[$0]] }.sorted(), value: bestChoice.map { values[$0] }.reduce(0, +), exact: exact)
    }

    /// The fractional knapsack's value: items by value per weight, the last one in part.
    static func fractional(_ items: [(value: Double, weight: Double)], capacity: Double) -> Double {
        var room = capacity, total = 0.0
        for item in items.sorted(by: { $0.value * $1.weight > $1.value * $0.weight }) {
            if item.weight <= room {
                room -= item.weight
                total += item.value
            } else {
                return total + item.value * room / item.weight
            }
        }
        return total
    }
}
