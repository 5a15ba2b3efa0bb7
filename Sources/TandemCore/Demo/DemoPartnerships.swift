import Foundation

/// What a partnership row stands for in the demo story.
enum DemoPartnershipKind: Sendable {
    case partner, atRisk, seekerActive, seekerProposed, deepProposed, ended, suspended

    var status: String {
        switch self {
        case .partner, .atRisk, .seekerActive: "active"
        case .seekerProposed, .deepProposed: "proposed"
        case .ended: "ended"
        case .suspended: "suspended"
        }
    }

    var commitment: String {
        switch self {
        case .seekerProposed, .deepProposed: "none"
        default: "expressed"
        }
    }

    /// Active partnerships and their near relations carry goals, pledges and risks.
    var hasGoals: Bool {
        switch self {
        case .partner, .atRisk, .seekerActive, .ended, .suspended: true
        case .seekerProposed, .deepProposed: false
        }
    }
}

struct DemoPartnershipPlan {
    let key: String
    let org: Int
    let kind: DemoPartnershipKind
    let agreement: Int32?
    let signers: [Int32]
    let territoryCodes: [String]
    let notes: String
}

extension DemoWorld {
    func planPartnerships(_ rng: inout DemoRandom) {
        var ordinary = distributors.filter { orgs[$0].profile == .ordinary }
        rng.shuffle(&ordinary)
        let ended = Set(ordinary.prefix(ordinary.count / 12))
        let suspended = Set(ordinary.dropFirst(ordinary.count / 12).prefix(ordinary.count / 25))
        var seekers = 0
        var deep = 0
        for org in distributors {
            let kind: DemoPartnershipKind?
            switch orgs[org].profile {
            case .partnership: kind = .partner
            case .atRisk: kind = .atRisk
            case .orderSeeker:
                kind = seekers % 2 == 0 ? .seekerProposed : .seekerActive
                seekers += 1
            case .deep:
                kind = deep % 3 == 0 ? .deepProposed : nil
                deep += 1
            case .ordinary:
                kind = ended.contains(org) ? .ended : suspended.contains(org) ? .suspended : nil
            default:
                kind = nil
            }
            guard let kind else { continue }
            let agreement: Int32? = switch kind {
            case .partner: historyStart + rng.days(180...1000)
            case .atRisk: historyStart + rng.days(120...700)
            case .seekerActive: historyStart + rng.days(400...1200)
            case .ended: historyStart + rng.days(30...300)
            case .suspended: historyStart + rng.days(200...700)
            case .seekerProposed, .deepProposed: nil
            }
            var signers: [Int32] = []
            if let agreement {
                if let home = homeContact(for: org, on: agreement) { signers.append(home) }
                if let executive = seats[homeExecutives[2]].occupant(on: agreement), !signers.contains(executive) { signers.append(executive) }
                if let lead = counterpartLead(of: org, on: agreement) { signers.append(lead) }
            }
            let scope = kind.status == "proposed" ? [countries[orgs[org].country].code]
                : Array(Set(orgs[org].branches.map { territories[branches[$0].territory].code })).sorted()
            partnershipByOrg[org] = partnerships.count
            partnerships.append(DemoPartnershipPlan(key: "ps" + DemoDay.pad(partnerships.count + 1, 3), org: org, kind: kind,
                                                    agreement: agreement, signers: signers, territoryCodes: scope,
                                                    notes: notes(for: kind, agreement: agreement, rng: &rng)))
        }
    }

    private func notes(for kind: DemoPartnershipKind, agreement: Int32?, rng: inout DemoRandom) -> String {
        let signed = agreement.map { calendar.date($0) } ?? ""
        switch kind {
        case .partner:
            return rng.pick(["Annual partnership plan signed at the business review on \(signed); scope: all branches, sockets & lighting controls",
                             "Joint growth plan \"Smart Home 2025\", co-funded training and shared project pipeline",
                             ""])
        case .atRisk:
            return rng.pick(["Signed \(signed). Branch managers changed; stock commitment not met in the last two quarters",
                             "Plan agreed, but the joint project pipeline has gone quiet, review overdue"])
        case .seekerActive:
            return rng.pick(["Distributor asked for \"strategic partner\" rebates; their stocking and training pledges are still open",
                             "Signed after a request for special pricing on all sockets, switches and cable management"])
        case .seekerProposed:
            return rng.pick(["Requested \"preferred partner\" status, extra rebate and marketing funds; no pledges offered",
                             "Asks for partnership pricing (SPA) on every large order; proposal pending"])
        case .deepProposed:
            return rng.pick(["Long-standing relationship; exploring a formal partnership for lighting controls", ""])
        case .ended:
            return "Ended by mutual agreement after the 2022 reorganisation"
        case .suspended:
            return "Suspended while the distributor integrates an acquisition"
        }
    }

    /// The home person looking after `org`: its head-office branch's manager, else its outside rep.
    func homeContact(for org: Int, on day: Int32) -> Int32? {
        guard let hq = orgs[org].branches.first else { return seats[homeExecutives[2]].occupant(on: day) }
        for seat in [branches[hq].homeManager, branches[hq].homeOutside, homeExecutives[2]] where seat >= 0 {
            if let person = seats[seat].occupant(on: day) { return person }
        }
        return nil
    }

    /// The home outside rep of `org`'s head office, else the home contact.
    func homeOwner(for org: Int, on day: Int32) -> Int32? {
        if let hq = orgs[org].branches.first, branches[hq].homeOutside >= 0, let rep = seats[branches[hq].homeOutside].occupant(on: day) {
            return rep
        }
        return homeContact(for: org, on: day)
    }

    /// The counterpart's executive, else a sales manager, else anyone working there on `day`.
    func counterpartLead(of org: Int, on day: Int32) -> Int32? {
        let all = orgs[org].branches.flatMap { branches[$0].seats }
        for function in [DemoFunction.executive, .salesManagement, .outsideSales, .insideSales, .purchasing] {
            for seat in all where seats[seat].function == function {
                if let person = seats[seat].occupant(on: day) { return person }
            }
        }
        return nil
    }

    /// A counterpart sales manager, else the lead.
    func counterpartOwner(of org: Int, on day: Int32) -> Int32? {
        for seat in orgs[org].branches.flatMap({ branches[$0].seats }) where seats[seat].function == .salesManagement {
            if let person = seats[seat].occupant(on: day) { return person }
        }
        return counterpartLead(of: org, on: day)
    }

    func keys(_ persons: [Int32]) -> String { persons.map { people[Int($0)].key }.joined(separator: ";") }

    /// partnerships.csv, goals.csv, goal_progress.csv, then the pledges, contributions and risks.
    func writePartnerships(into directory: URL, counts: inout [String: Int]) throws {
        var rng = random(.partnerships)
        let table = try DemoTable("partnerships.csv", in: directory, header: DemoColumns.partnerships)
        for plan in partnerships {
            try table.write([plan.key, orgs[plan.org].key, plan.kind.status, plan.kind.commitment,
                             plan.agreement.map { calendar.date($0) }, keys(plan.signers),
                             plan.territoryCodes.joined(separator: ";"), plan.notes])
        }
        try table.close(into: &counts)
        try writeGoals(into: directory, counts: &counts, rng: &rng)
        try writePledges(into: directory, counts: &counts, rng: &rng)
    }

    private func writeGoals(into directory: URL, counts: inout [String: Int], rng: inout DemoRandom) throws {
        let goals = try DemoTable("goals.csv", in: directory, header: DemoColumns.goals)
        let progress = try DemoTable("goal_progress.csv", in: directory, header: DemoColumns.goalProgress)
        var number = 0
        for plan in partnerships where plan.kind.hasGoals {
            guard let agreement = plan.agreement else { continue }
            let org = orgs[plan.org]
            let perEuro = countries[org.country].perEuro
            var templates: [(metric: String, unit: String, baseline: Double, target: Double, whole: Bool)] = [
                ("Sell-through growth, wiring devices", "%", 0, Double(rng.int(10...25)), false),
                ("Counter staff trained on lighting controls", "people", 0, Double(rng.int(8...30)), true),
                ("Project registrations (commercial new-build)", "projects", 0, Double(rng.int(20...80)), true),
                ("Stock availability at branches", "%", Double(rng.int(84...90)), Double(rng.int(96...98)), false),
                ("Annual sell-in, sockets & switches", org.currency, (rng.uniform(0.5, 1.5) * 400_000 * perEuro).rounded(), 0, false),
            ]
            templates[4].target = (templates[4].baseline * rng.uniform(1.2, 1.4)).rounded()
            rng.shuffle(&templates)
            let goalCount = plan.kind == .ended || plan.kind == .suspended ? 1 : rng.int(2...3)
            let owners = [homeOwner(for: plan.org, on: agreement), counterpartOwner(of: plan.org, on: agreement)].compactMap { $0 }
            for template in templates.prefix(goalCount) {
                number += 1
                let key = "g" + DemoDay.pad(number, 4)
                let due = agreement + (rng.chance(0.5) ? 730 : 1095)
                try goals.write([key, plan.key, template.metric, template.unit, DemoMoney.format(template.baseline),
                                 DemoMoney.format(template.target), calendar.date(due), keys(owners)])
                var day = agreement + 91
                let last = min(due, plan.kind == .ended ? agreement + 400 : asOf)
                while day <= last {
                    let fraction = Double(day - agreement) / Double(due - agreement)
                    let reached: Double = switch plan.kind {
                    case .partner: min(1.05, fraction * rng.uniform(1.0, 1.12))
                    case .atRisk: min(fraction, 0.3) * rng.uniform(0.6, 0.9)
                    case .seekerActive: fraction * rng.uniform(0, 0.15)
                    default: fraction * rng.uniform(0.1, 0.25)
                    }
                    var value = template.baseline + (template.target - template.baseline) * reached
                    if template.whole { value = value.rounded() }
                    try progress.write([key, calendar.date(day), DemoMoney.format(value)])
                    day += 91
                }
            }
        }
        try goals.close(into: &counts)
        try progress.close(into: &counts)
    }
}
