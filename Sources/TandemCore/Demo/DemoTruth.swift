import Foundation

/// truth.json: the situations planted in a demo bundle, which an assessment must find.
private struct DemoTruth: Encodable {
    struct Pair: Encodable {
        let homePerson: String
        let counterpartPerson: String

        enum CodingKeys: String, CodingKey {
            case homePerson = "home_person", counterpartPerson = "counterpart_person"
        }
    }

    struct Move: Encodable {
        let person: String
        let from: String
        let to: String
    }

    struct OrderSeekers: Encodable {
        let organizations: [String]
        let people: [String]
    }

    let size: String
    let seed: UInt64
    let asOf: String
    let homeKey: String
    let partnerships: [String]
    let partnershipsAtRisk: [String]
    let deepRelationships: [String]
    let orderSeekers: OrderSeekers
    let transactional: [String]
    let coolingRelationships: [Pair]
    let uncoveredBranches: [String]
    let singleThreadedBranches: [String]
    let movedPeople: [Move]

    enum CodingKeys: String, CodingKey {
        case size, seed, asOf = "as_of", homeKey = "home_key", partnerships, partnershipsAtRisk = "partnerships_at_risk"
        case deepRelationships = "deep_relationships", orderSeekers = "order_seekers", transactional
        case coolingRelationships = "cooling_relationships", uncoveredBranches = "uncovered_branches"
        case singleThreadedBranches = "single_threaded_branches", movedPeople = "moved_people"
    }
}

extension DemoWorld {
    func writeTruth(_ dealings: DemoDealings, into directory: URL) throws {
        func keys(_ profile: DemoProfile) -> [String] {
            distributors.filter { orgs[$0].profile == profile }.map { orgs[$0].key }.sorted()
        }
        let seekers = distributors.filter { orgs[$0].profile == .orderSeeker }
        let seekerPeople = people.indices.filter { person in
            let total = Double(dealings.total[person])
            return spans[person].contains { seekers.contains(Int($0.org)) } && total >= 5
                && Double(dealings.orderSeeking[person]) >= 0.6 * total && Double(dealings.initiated[person]) >= 0.6 * total
        }.map { people[$0].key }.sorted()
        let distributorBranches = distributors.flatMap { orgs[$0].branches }
        let truth = DemoTruth(
            size: size.rawValue, seed: seed, asOf: calendar.date(asOf), homeKey: orgs[homeIndex].key,
            partnerships: keys(.partnership), partnershipsAtRisk: keys(.atRisk), deepRelationships: keys(.deep),
            orderSeekers: .init(organizations: keys(.orderSeeker), people: seekerPeople), transactional: keys(.transactional),
            coolingRelationships: coolingPairs(dealings),
            uncoveredBranches: distributorBranches.filter { dealings.branchFirst[$0] < 0 }.map { branches[$0].key }.sorted(),
            singleThreadedBranches: distributorBranches.filter { dealings.branchFirst[$0] >= 0 && !dealings.branchMany[$0] }
                .map { branches[$0].key }.sorted(),
            movedPeople: moves.sorted { (people[Int($0.person)].key, $0.day) < (people[Int($1.person)].key, $1.day) }
                .map { .init(person: people[Int($0.person)].key, from: orgs[$0.fromOrg].key, to: orgs[$0.toOrg].key) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(truth)
        data.append(UInt8(ascii: "\n"))
        try data.write(to: directory.appendingPathComponent("truth.json"))
    }

    /// Watched pairs, still both employed, with at least 6 dealings in the year before their cooling month
    /// and at most a quarter of that rate since.
    private func coolingPairs(_ dealings: DemoDealings) -> [DemoTruth.Pair] {
        let lastDay = asOf - 1
        var result: [DemoTruth.Pair] = []
        for key in dealings.pairs.keys {
            let home = Int32(truncatingIfNeeded: key >> 32)
            let counterpart = Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)
            guard isEmployed(home, at: homeIndex, on: lastDay),
                  let span = spans[Int(counterpart)].first(where: { $0.start <= lastDay && lastDay < $0.end && $0.org != Int32(homeIndex) })
            else { continue }
            let seat = seats[Int(span.seat)]
            let month = seat.coolMonth < DemoDay.months ? seat.coolMonth : orgs[seat.org].coolMonth
            guard month < DemoDay.months else { continue }
            let before = (month - 12..<month).reduce(0) { $0 + dealings.count(key, month: $1) }
            let after = (month..<DemoDay.months).reduce(0) { $0 + dealings.count(key, month: $1) }
            guard before >= 6, Double(after) / Double(DemoDay.months - month) <= 0.25 * Double(before) / 12 else { continue }
            result.append(.init(homePerson: people[Int(home)].key, counterpartPerson: people[Int(counterpart)].key))
        }
        return result.sorted { ($0.homePerson, $0.counterpartPerson) < ($1.homePerson, $1.counterpartPerson) }
    }
}
