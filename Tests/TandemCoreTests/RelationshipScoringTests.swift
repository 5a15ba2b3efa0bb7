import Foundation
import Testing
@testable import TandemCore

@Suite struct RelationshipScoringTests {
    static let asOf = LocalDate("2026-06-30")!

    /// Home (0) with Hanna (0); distributor (1) with Dirk (1) and Paula (2); another distributor (2).
    static func world(_ interactions: [Snapshot.Interaction]) -> Snapshot {
        Snapshot(
            organizations: [.init(key: "home", name: "Voltwerk", kind: .manufacturer, isHome: true),
                            .init(key: "d1", name: "Elektro Süd", kind: .distributor),
                            .init(key: "d2", name: "Nordlicht", kind: .distributor)],
            people: [.init(key: "hanna", name: "Hanna"), .init(key: "dirk", name: "Dirk"), .init(key: "paula", name: "Paula")],
            employments: [.init(person: 0, organization: 0, function: .outsideSales, start: LocalDate("2015-01-01")!),
                          .init(person: 1, organization: 1, function: .insideSales, start: LocalDate("2015-01-01")!),
                          .init(person: 2, organization: 1, function: .outsideSales, start: LocalDate("2015-01-01")!)],
            interactions: interactions)
    }

    static func dealing(_ day: LocalDate, _ kind: InteractionKind, by initiator: Int = 0, with other: Int = 1,
                        minutes: Int? = nil) -> Snapshot.Interaction {
        .init(key: "i\(day)\(kind)\(initiator)", date: day, kind: kind, initiator: initiator,
              participants: [initiator, initiator == 0 ? other : 0], durationMinutes: minutes)
    }

    /// A random history between Hanna and Dirk (and sometimes Paula) over five years before `asOf`.
    static func randomHistory(seed: UInt64) -> [Snapshot.Interaction] {
        var random = DemoRandom(seed: seed, stream: 7)
        let count = Int.random(in: 0...120, using: &random)
        return (0..<count).map { index in
            let day = asOf.adding(days: -Int.random(in: 0...1800, using: &random))
            let kind = InteractionKind.allCases.randomElement(using: &random)!
            let initiator = [0, 1, 2].randomElement(using: &random)!
            let minutes: Int? = Bool.random(using: &random) ? Int.random(in: 5...300, using: &random) : nil
            var interaction = dealing(day, kind, by: initiator, with: initiator == 0 ? [1, 2].randomElement(using: &random)! : 1, minutes: minutes)
            interaction.key = "r\(index)"
            return interaction
        }
    }

    let scoring = RelationshipScoring()

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func strengthStaysWithinZeroAndHundred(seed: UInt64) {
        for relationship in scoring.relationships(in: Self.world(Self.randomHistory(seed: seed)), asOf: Self.asOf) {
            #expect((0...100).contains(relationship.strength))
            #expect((0...1).contains(relationship.reciprocity))
            #expect((0...1).contains(relationship.transactionalShare))
            #expect(abs(relationship.explanation.map(\.points).reduce(0, +) - relationship.strength) < 1e-6)
        }
    }

    /// The explanation is held as figures and written as words: the JSON says what the dealings
    /// were, in the contract's fields, and reads back to the same factors.
    @Test func explanationIsWrittenInWordsAndReadBack() throws {
        let history = [Self.dealing(LocalDate("2026-05-04")!, .jointCustomerCall), Self.dealing(LocalDate("2026-06-01")!, .jointCustomerCall),
                       Self.dealing(LocalDate("2026-06-02")!, .visit)]
        let relationship = try #require(scoring.relationships(in: Self.world(history), asOf: Self.asOf).first)
        let json = String(decoding: try JSONEncoder().encode(relationship.explanation), as: UTF8.self)
        #expect(json.contains(#""factor":"joint_customer_call""#))
        #expect(json.contains(#""detail":"2 joint customer calls, the last on 2026-06-01""#))
        #expect(json.contains(#""detail":"1 visit, the last on 2026-06-02""#))
        #expect(try JSONDecoder().decode([StrengthFactor].self, from: Data(json.utf8)) == relationship.explanation)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(StrengthFactor.self, from: Data(#"{"factor":"visit","points":1,"detail":"some visits"}"#.utf8))
        }
    }

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func aRelationalDealingOnTheDateNeverLowersStrength(seed: UInt64) {
        let history = Self.randomHistory(seed: seed)
        let before = strength(of: "hanna", "dirk", in: history, asOf: Self.asOf)
        for kind in InteractionKind.allCases where kind.category == .relational {
            let after = strength(of: "hanna", "dirk", in: history + [Self.dealing(Self.asOf, kind, minutes: 45)], asOf: Self.asOf)
            #expect(after >= before)
        }
    }

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func withoutNewDealingsStrengthNeverRises(seed: UInt64) {
        let history = Self.randomHistory(seed: seed)
        var previous = strength(of: "hanna", "dirk", in: history, asOf: Self.asOf)
        for days in stride(from: 1, through: 900, by: 37) {
            let later = strength(of: "hanna", "dirk", in: history, asOf: Self.asOf.adding(days: days))
            #expect(later <= previous + 1e-9)
            previous = later
        }
    }

    @Test func anOrderRequestAddsLessThanAVisitOfTheSameLength() {
        for minutes in [nil, 10, 30, 60, 240] as [Int?] {
            let base = [Self.dealing(LocalDate("2026-01-10")!, .call)]
            let order = strength(of: "hanna", "dirk", in: base + [Self.dealing(Self.asOf, .orderRequest, by: 1, minutes: minutes)], asOf: Self.asOf)
            let visit = strength(of: "hanna", "dirk", in: base + [Self.dealing(Self.asOf, .visit, by: 1, minutes: minutes)], asOf: Self.asOf)
            #expect(order < visit)
        }
    }

    @Test(arguments: 1...20 as ClosedRange<UInt64>)
    func reciprocityIsSymmetricInTheTwoPeople(seed: UInt64) {
        let history = Self.randomHistory(seed: seed).filter { $0.participants.contains(1) }
        let swapped = history.map { interaction in
            var copy = interaction
            copy.initiator = interaction.initiator == 0 ? 1 : interaction.initiator == 1 ? 0 : interaction.initiator
            return copy
        }
        let original = relationship("hanna", "dirk", in: history)
        let mirrored = relationship("hanna", "dirk", in: swapped)
        #expect(original?.reciprocity == mirrored?.reciprocity)
    }

    @Test(arguments: 1...20 as ClosedRange<UInt64>)
    func renamingOrRekeyingPeopleChangesNothing(seed: UInt64) {
        let world = Self.world(Self.randomHistory(seed: seed))
        var renamed = world
        renamed.people = world.people.map { .init(key: "x-" + String($0.key.reversed()), name: $0.name.uppercased()) }
        let first = scoring.relationships(in: world, asOf: Self.asOf)
        let second = scoring.relationships(in: renamed, asOf: Self.asOf)
        #expect(first.map(\.strength).sorted() == second.map(\.strength).sorted())
        #expect(first.map(\.stage.rawValue).sorted() == second.map(\.stage.rawValue).sorted())
    }

    @Test func aRelationshipFollowsThePersonToTheirNextEmployer() {
        var world = Self.world((0..<24).map { Self.dealing(LocalDate("2024-07-01")!.adding(days: $0 * 30), .visit) })
        world.employments[1].end = LocalDate("2025-06-30")!
        world.employments.append(.init(person: 1, organization: 2, function: .outsideSales, start: LocalDate("2025-07-01")!))
        let moved = scoring.relationships(in: world, asOf: Self.asOf).first { $0.counterpartPerson == "dirk" }
        #expect(moved?.counterpartOrganization == "d2")
        #expect(moved?.dealings == 24)
    }

    @Test func stagesFollowTheHistory() {
        let monthly = (0..<36).map { Self.dealing(LocalDate("2023-07-15")!.adding(days: $0 * 30), .visit, by: $0 % 2, minutes: 60) }
        #expect(relationship("hanna", "dirk", in: monthly)?.stage == .commitment)
        let stopped = monthly.filter { $0.date < LocalDate("2025-11-01")! }
        #expect(relationship("hanna", "dirk", in: stopped)?.stage == .cooling)
        let evidence = relationship("hanna", "dirk", in: stopped)?.cooling
        let since = Self.asOf.adding(days: -180)
        #expect(evidence == Cooling(since: since, dealingsBefore: stopped.count { $0.date > since.adding(days: -365) && $0.date <= since }, dealingsSince: 0))
        let thinned = stopped + [Self.dealing(LocalDate("2026-03-02")!, .visit)]
        #expect(relationship("hanna", "dirk", in: thinned)?.stage == .cooling)
        let halved = monthly.enumerated().filter { $0.offset < 24 || $0.offset.isMultiple(of: 2) }.map(\.element)
        #expect(relationship("hanna", "dirk", in: halved)?.stage != .cooling)
        #expect(relationship("hanna", "dirk", in: monthly)?.cooling == nil)
        let longAgo = monthly.filter { $0.date < LocalDate("2025-05-01")! }
        #expect(relationship("hanna", "dirk", in: longAgo)?.stage == .dissolved)
        #expect(relationship("hanna", "dirk", in: Array(monthly.suffix(2)))?.stage == .awareness)
        let orders = (0..<36).map { Self.dealing(LocalDate("2023-07-15")!.adding(days: $0 * 30), .orderRequest, by: 1) }
        let ordering = relationship("hanna", "dirk", in: orders)
        #expect(ordering?.transactionalShare == 1)
        #expect(ordering?.reciprocity == 0)
        #expect(ordering?.stage != .commitment)
    }

    @Test func dealingsAfterTheDateAndWithinOneSideDoNotCount() {
        let world = Self.world([Self.dealing(Self.asOf.adding(days: 1), .visit),
                                .init(key: "inside", date: Self.asOf, kind: .visit, initiator: 1, participants: [1, 2])])
        #expect(scoring.relationships(in: world, asOf: Self.asOf).isEmpty)
    }

    @Test func daysCountAcrossMonthsYearsAndLeapDays() {
        #expect(LocalDate("1970-01-01")!.dayNumber == 0)
        #expect(LocalDate("2024-03-01")!.days(since: LocalDate("2024-02-28")!) == 2)
        #expect(LocalDate("2024-02-28")!.adding(days: 366).description == "2025-02-28")
        #expect(LocalDate(dayNumber: -800_000) == nil)
        for number in stride(from: -719_000, through: 2_900_000, by: 997) {
            #expect(LocalDate(dayNumber: number)?.dayNumber == number)
        }
    }

    func relationship(_ home: String, _ counterpart: String, in history: [Snapshot.Interaction]) -> Relationship? {
        scoring.relationships(in: Self.world(history), asOf: Self.asOf).first { $0.homePerson == home && $0.counterpartPerson == counterpart }
    }

    func strength(of home: String, _ counterpart: String, in history: [Snapshot.Interaction], asOf: LocalDate) -> Double {
        scoring.relationships(in: Self.world(history), asOf: asOf).first { $0.homePerson == home && $0.counterpartPerson == counterpart }?.strength ?? 0
    }
}

@Suite struct OrderSeekerTests {
    typealias World = RelationshipScoringTests

    /// Dirk (d1) asks and asks; Paula (d1) visits; both as of 2026-06-30.
    static func history(asks: Int, visits: Int) -> [Snapshot.Interaction] {
        (0..<asks).map { World.dealing(World.asOf.adding(days: -10 * $0 - 1), $0 % 3 == 0 ? .pricingRequest : .orderRequest, by: 1) }
            + (0..<visits).map { World.dealing(World.asOf.adding(days: -10 * $0 - 5), .visit, by: 0, with: 2) }
    }

    @Test func anOrganizationThatOnlyAsksIsFlaggedWithEvidence() throws {
        let findings = OrderSeekerDetection().findings(in: World.world(Self.history(asks: 12, visits: 0)), asOf: World.asOf)
        let organization = try #require(findings.organizations.first { $0.key == "d1" })
        #expect(organization.flagged)
        #expect(organization.evidence == ["12 of 12 dealings in the last 12 months asked for orders, prices, quotes or expedites",
                                          "they started 12 of 12", "asked for special pricing 4 times"])
        let dirk = try #require(findings.people.first { $0.key == "dirk" })
        #expect(dirk.flagged)
        #expect(dirk.evidence.last == "deals for d1, an order-seeker")
    }

    @Test func relationalDealingsKeepAnOrganizationClear() throws {
        let findings = OrderSeekerDetection().findings(in: World.world(Self.history(asks: 12, visits: 12)), asOf: World.asOf)
        #expect(findings.organizations.first { $0.key == "d1" }?.flagged == false)
        // Dirk still only asks, but for an organization that is a real counterpart: it is his job.
        #expect(findings.people.first { $0.key == "dirk" }?.flagged == false)
    }

    @Test func undeliveredPledgesFlagAnOrganizationThatAsksHalfTheTime() throws {
        var world = World.world(Self.history(asks: 8, visits: 8))
        world.partnerships = [.init(key: "ps", counterpart: 1, status: .active, commitment: .expressed)]
        world.commitments = [.init(key: "c1", partnership: 0, party: 1, asset: .money, amount: 1000, dueDate: LocalDate("2026-01-31")!,
                                   contributions: [.init(date: LocalDate("2026-01-10")!, amount: 1000)]),
                             .init(key: "c2", partnership: 0, party: 1, asset: .timeHours, amount: 40, dueDate: LocalDate("2026-03-31")!)]
        let organization = try #require(OrderSeekerDetection().findings(in: world, asOf: World.asOf).organizations.first { $0.key == "d1" })
        #expect(organization.flagged)
        #expect(organization.evidence.contains("0 of 2 pledged commitments delivered"))
        // Confirmed by someone of the other side, the first pledge counts as delivered.
        world.commitments[0].contributions[0].confirmedBy = 0
        world.commitments[1].contributions = [.init(date: LocalDate("2026-03-01")!, amount: 40, confirmedBy: 0)]
        let cleared = try #require(OrderSeekerDetection().findings(in: world, asOf: World.asOf).organizations.first { $0.key == "d1" })
        #expect(!cleared.flagged)
        #expect(cleared.evidence.contains("2 of 2 pledged commitments delivered"))
    }

    @Test func thresholdsAreSettings() {
        var settings = OrderSeekerSettings()
        settings.minimumDealings = 20
        let findings = OrderSeekerDetection(settings: settings).findings(in: World.world(Self.history(asks: 12, visits: 0)), asOf: World.asOf)
        #expect(findings.organizations.first { $0.key == "d1" }?.flagged == false)
    }
}
