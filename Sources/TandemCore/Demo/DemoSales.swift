import Foundation

/// One product line sold through one distributor branch: its level and how it evolves.
private struct DemoSalesLine {
    let branch: Int
    let line: Int
    let startMonth: Int
    var level: Double
    let baseGrowth: Double
    let perEuro: Double
    let zeroDecimal: Bool
    let profile: DemoProfile
    /// Month of the partnership agreement (growth from then on) or of cooling (decline from then on).
    let turnMonth: Int
}

extension DemoWorld {
    private static let lineLevels = [9_000.0, 11_000, 6_000, 5_000, 7_000]
    private static let manufacturerMargins = [0.36, 0.34, 0.30, 0.28, 0.40]
    private static let distributorMargins = [0.24, 0.22, 0.26, 0.25, 0.27]
    private static let seasons = [0.9, 0.95, 1.05, 1.05, 1.08, 1.06, 1.0, 0.85, 1.05, 1.08, 1.0, 0.8]

    private func salesMultiplier(_ profile: DemoProfile) -> Double {
        switch profile {
        case .partnership: 3.0
        case .atRisk: 2.6
        case .deep: 2.0
        case .orderSeeker: 1.3
        case .transactional: 0.9
        default: 1.0
        }
    }

    private func salesLines(_ rng: inout DemoRandom) -> [DemoSalesLine] {
        var lines: [DemoSalesLine] = []
        for org in distributors {
            let profile = orgs[org].profile
            let country = countries[orgs[org].country]
            var turn = DemoDay.months
            if profile == .atRisk { turn = orgs[org].coolMonth }
            if profile == .partnership, let plan = partnershipByOrg[org], let agreement = partnerships[plan].agreement {
                turn = DemoDay.monthIndex(agreement)
            }
            for (position, branch) in orgs[org].branches.enumerated() {
                let size = rng.uniform(0.4, 2.0) * (position == 0 ? 1.5 : 1)
                var carried = [0, 1, 2, 3, 4]
                rng.shuffle(&carried)
                let count = 2 + rng.weighted([10, 20, 35, 35])
                for line in carried.prefix(count).sorted() {
                    let start = rng.chance(0.85) ? 0 : rng.int(6...48)
                    let level = DemoWorld.lineLevels[line] * size * salesMultiplier(profile) * rng.uniform(0.7, 1.3)
                    let growth: Double = switch profile {
                    case .deep: 0.06
                    case .orderSeeker: 0.02
                    case .partnership: 0.03
                    case .atRisk: 0.06
                    default: rng.uniform(-0.02, 0.08)
                    }
                    lines.append(DemoSalesLine(branch: branch, line: line, startMonth: start, level: level, baseGrowth: growth,
                                               perEuro: country.perEuro, zeroDecimal: country.zeroDecimal, profile: profile,
                                               turnMonth: turn))
                }
            }
        }
        return lines
    }

    /// sales.csv: monthly sell-in and sell-through per distributor branch and product line, with both sides' gross profit.
    func writeSales(into directory: URL, counts: inout [String: Int]) throws {
        var rng = random(.sales)
        var lines = salesLines(&rng)
        let table = try DemoTable("sales.csv", in: directory, header: DemoColumns.sales)
        let home = orgs[homeIndex].key
        for month in 0..<DemoDay.months {
            let period = calendar.period(month)
            let season = DemoWorld.seasons[DemoDay.civil(DemoDay.monthStart(month)).month - 1]
            for index in lines.indices where month >= lines[index].startMonth {
                let line = lines[index]
                let turned = month >= line.turnMonth
                let growth: Double = switch line.profile {
                case .partnership: turned ? 0.22 : line.baseGrowth
                case .atRisk: turned ? -0.3 : line.baseGrowth
                default: line.baseGrowth
                }
                lines[index].level *= 1 + growth / 12
                let sellIn = line.level * season * rng.uniform(0.88, 1.12) * line.perEuro
                let sellThrough = sellIn * rng.uniform(0.9, 1.06)
                let manufacturerProfit = sellIn * (DemoWorld.manufacturerMargins[line.line] + rng.uniform(-0.02, 0.02))
                let partnerBonus = line.profile == .partnership && turned ? 0.02 : 0
                let distributorProfit = sellThrough * (DemoWorld.distributorMargins[line.line] + partnerBonus + rng.uniform(-0.02, 0.02))
                try table.write([period, home, branches[line.branch].key, DemoOrgNames.productLines[line.line],
                                 money(sellIn, line.zeroDecimal), money(sellThrough, line.zeroDecimal),
                                 money(manufacturerProfit, line.zeroDecimal), money(distributorProfit, line.zeroDecimal),
                                 orgs[branches[line.branch].org].currency])
            }
        }
        try table.close(into: &counts)
    }

    private func money(_ value: Double, _ zeroDecimal: Bool) -> String {
        DemoMoney.format(cents: DemoMoney.cents(value, zeroDecimal: zeroDecimal))
    }
}
