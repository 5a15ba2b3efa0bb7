import Foundation

/// A pledge pattern: what a party commits to a partnership.
private struct DemoPledge {
    let asset: String
    /// `nil`: the unit is the partnership's currency.
    let unit: String?
    let low: Double
    let high: Double
    let description: String

    var isMoney: Bool { unit == nil }
}

private let homePledges = [
    DemoPledge(asset: "money", unit: nil, low: 15_000, high: 60_000, description: "Co-op marketing fund for joint campaigns"),
    DemoPledge(asset: "training", unit: "hours", low: 40, high: 160, description: "Product training for counter and inside sales staff"),
    DemoPledge(asset: "time_hours", unit: "hours", low: 100, high: 400, description: "Key account manager time for joint customer calls"),
    DemoPledge(asset: "inventory", unit: nil, low: 20_000, high: 80_000, description: "Consignment stock: lighting controls, sockets, switches"),
]

private let distributorPledges = [
    DemoPledge(asset: "inventory", unit: nil, low: 30_000, high: 120_000, description: "Full range of wiring devices stocked at every branch"),
    DemoPledge(asset: "people", unit: "people", low: 2, high: 6, description: "Dedicated wiring-device specialists, one per region"),
    DemoPledge(asset: "time_hours", unit: "hours", low: 80, high: 300, description: "Joint customer calls with the manufacturer's reps"),
    DemoPledge(asset: "exclusivity", unit: "territories", low: 1, high: 3, description: "No competing socket and switch line in the partnership territories"),
    DemoPledge(asset: "money", unit: nil, low: 10_000, high: 40_000, description: "Co-funded trade counter events and \"Elektro-Tag\" open days"),
]

private let contributionNotes = ["", "", "Q-review confirmed", "Invoice 4711, co-op campaign", "Training day, two sessions",
                                 "Stock check at branch", "Joint calls, project \"Hafen-City\"", "Delivered, see report"]

extension DemoWorld {
    /// commitments.csv, contributions.csv and risks.csv: each side's pledges, what each side delivered
    /// (confirmed by the other side) and each side's exposure.
    func writePledges(into directory: URL, counts: inout [String: Int], rng: inout DemoRandom) throws {
        let commitments = try DemoTable("commitments.csv", in: directory, header: DemoColumns.commitments)
        let contributions = try DemoTable("contributions.csv", in: directory, header: DemoColumns.contributions)
        let risks = try DemoTable("risks.csv", in: directory, header: DemoColumns.risks)
        var number = 0
        for plan in partnerships {
            guard let agreement = plan.agreement, [.partner, .atRisk, .seekerActive].contains(plan.kind) else { continue }
            let org = orgs[plan.org]
            let perEuro = countries[org.country].perEuro
            let zeroDecimal = countries[org.country].zeroDecimal
            var exposure = [0.0, 0.0]
            for side in 0..<2 {
                let pool = side == 0 ? homePledges : distributorPledges
                var order = Array(pool.indices)
                rng.shuffle(&order)
                let count = plan.kind == .seekerActive ? 3 : rng.int(2...3)
                for index in order.prefix(count) {
                    let pledge = pool[index]
                    number += 1
                    let key = "c" + DemoDay.pad(number, 4)
                    var amount = rng.uniform(pledge.low, pledge.high) * (pledge.isMoney ? perEuro : 1)
                    amount = pledge.isMoney ? Double(DemoMoney.cents(amount, zeroDecimal: zeroDecimal)) / 100 : amount.rounded()
                    if pledge.isMoney { exposure[side] += amount }
                    let due = agreement + rng.days(365...730)
                    let party = side == 0 ? orgs[homeIndex].key : org.key
                    try commitments.write([key, plan.key, party, pledge.asset, DemoMoney.format(amount), pledge.unit ?? org.currency,
                                           pledge.isMoney ? org.currency : nil, calendar.date(due), pledge.description])
                    let delivered: Double = switch (plan.kind, side) {
                    case (.partner, _): rng.uniform(0.92, 1.1)
                    case (.atRisk, 0): rng.uniform(0.8, 1.0)
                    case (.atRisk, _): rng.uniform(0.25, 0.5)
                    case (.seekerActive, 0): rng.uniform(0.9, 1.1)
                    default: 0
                    }
                    try writeContributions(key: key, plan: plan, side: side, total: amount * delivered, whole: !pledge.isMoney,
                                           zeroDecimal: zeroDecimal, from: agreement + 30, to: min(due, asOf - 5),
                                           table: contributions, rng: &rng)
                    // An order-seeker's own claims stay small and unconfirmed.
                    if plan.kind == .seekerActive, side == 1, rng.chance(0.35) {
                        let day = min(asOf - 5, agreement + rng.days(60...300))
                        try contributions.write([key, calendar.date(day), DemoMoney.format((amount * rng.uniform(0.02, 0.06)).rounded()), nil,
                                                 "Claimed by distributor, not confirmed"])
                    }
                }
            }
            let homeRisk = exposure[0] > 0 ? exposure[0] : rng.uniform(20_000, 60_000) * perEuro
            try risks.write([plan.key, orgs[homeIndex].key,
                             plan.kind == .seekerActive ? "Special pricing granted and rebates prepaid before volumes materialise"
                                 : "Consignment stock and co-op funds committed to the partnership",
                             DemoMoney.format(cents: DemoMoney.cents(homeRisk, zeroDecimal: zeroDecimal)), org.currency])
            if plan.kind != .seekerActive {
                let theirs = exposure[1] > 0 ? exposure[1] : rng.uniform(40_000, 150_000) * perEuro
                try risks.write([plan.key, org.key, "Dropped a competing switch line; stock of wiring devices committed to the plan",
                                 DemoMoney.format(cents: DemoMoney.cents(theirs, zeroDecimal: zeroDecimal)), org.currency])
            }
        }
        try commitments.close(into: &counts)
        try contributions.close(into: &counts)
        try risks.close(into: &counts)
    }

    private func writeContributions(key: String, plan: DemoPartnershipPlan, side: Int, total: Double, whole: Bool, zeroDecimal: Bool,
                                    from: Int32, to: Int32, table: DemoTable, rng: inout DemoRandom) throws {
        guard total > 0, to > from else { return }
        var pieces = rng.int(2...5)
        if whole { pieces = max(1, min(pieces, Int(total.rounded()))) }
        var remaining = whole ? total.rounded() : total
        for piece in 0..<pieces {
            let day = from + Int32(Double(to - from) * (Double(piece) + rng.uniform(0.1, 0.9)) / Double(pieces))
            var amount = piece == pieces - 1 ? remaining : remaining / Double(pieces - piece) * rng.uniform(0.7, 1.3)
            amount = whole ? max(1, amount.rounded()) : Double(DemoMoney.cents(amount, zeroDecimal: zeroDecimal)) / 100
            amount = min(amount, remaining)
            remaining -= amount
            guard amount > 0 else { continue }
            let confirmer: Int32? = side == 0 ? counterpartLead(of: plan.org, on: day) : homeContact(for: plan.org, on: day)
            let unconfirmed = plan.kind == .atRisk && side == 1 && rng.chance(0.2)
            try table.write([key, calendar.date(day), DemoMoney.format(amount),
                             unconfirmed ? nil : confirmer.map { people[Int($0)].key }, rng.pick(contributionNotes)])
        }
    }
}
