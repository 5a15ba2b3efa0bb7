import Testing
@testable import TandemCore

@Suite struct PartnershipAssessmentTests {
    typealias World = RelationshipScoringTests

    /// Hanna (home) and Dirk (d1) in an active, signed partnership with a goal, pledges on both
    /// sides, risks on both sides and sales both ways, on top of two years of monthly visits.
    static func partnership() -> Snapshot {
        var world = World.world((0..<24).map { World.dealing(LocalDate("2024-07-15")!.adding(days: $0 * 30), .visit, by: $0 % 2, minutes: 60) })
        world.branches = [.init(key: "d1-muc", organization: 1), .init(key: "d2-ham", organization: 2)]
        world.partnerships = [.init(key: "ps1", counterpart: 1, status: .active, commitment: .expressed,
                                    agreementDate: LocalDate("2025-01-15")!, signatories: [0, 1])]
        world.goals = [.init(key: "g1", partnership: 0, metric: "Sell-through growth", baseline: 0, target: 20, dueDate: LocalDate("2026-12-31")!,
                             owners: [0, 1], progress: [(LocalDate("2026-06-01")!, 15)])]
        world.commitments = [.init(key: "c1", partnership: 0, party: 0, asset: .money, amount: 10_000, dueDate: LocalDate("2026-03-31")!,
                                   contributions: [.init(date: LocalDate("2026-02-01")!, amount: 10_000, confirmedBy: 1)]),
                             .init(key: "c2", partnership: 0, party: 1, asset: .timeHours, amount: 100, dueDate: LocalDate("2026-03-31")!,
                                   contributions: [.init(date: LocalDate("2026-03-01")!, amount: 100, confirmedBy: 0)])]
        world.risks = [.init(partnership: 0, party: 0, description: "Consignment stock", exposure: 50_000),
                       .init(partnership: 0, party: 1, description: "New range in stock", exposure: 20_000)]
        world.sales = [.init(period: YearMonth("2026-05")!, manufacturer: 0, branch: 0, sellIn: 40_000, sellThrough: 30_000),
                       .init(period: YearMonth("2026-05")!, manufacturer: 0, branch: 1, sellIn: 60_000, sellThrough: 50_000)]
        return world
    }

    func assessment(_ world: Snapshot) throws -> Assessment {
        try #require(Assessor().assess(world, asOf: World.asOf).assessments.first { $0.organizationKey == "d1" })
    }

    @Test func aSignedPartnershipThatPassesEveryTestIsAPartnership() throws {
        let result = try assessment(Self.partnership())
        #expect(result.criteria.all.map(\.result) == [.pass, .pass, .pass, .pass, .pass])
        #expect(result.classification == .partnership)
        #expect(result.criteria.commitment.evidence == ["partnership ps1: active, commitment expressed on 2025-01-15, signed by Hanna, Dirk"])
        #expect(result.criteria.interdependence.evidence == ["40% of home's sell-in goes through them", "home makes 100% of their sell-through",
                                                             "the sales data holds no other manufacturer's sales through them"])
        #expect(result.criteria.commonGoal.evidence.first?.hasSuffix("on track") == true)
    }

    @Test func unconfirmedContributionsAreClaimsAndPutThePartnershipAtRisk() throws {
        var world = Self.partnership()
        world.commitments[1].contributions[0].confirmedBy = nil
        let result = try assessment(world)
        #expect(result.criteria.combinedAssets.result == .fail)
        #expect(result.criteria.combinedAssets.evidence.last
                == "d1 pledged 1 (time_hours); 1 due, 0% delivered and confirmed by the other side, 1 unconfirmed claim")
        #expect(result.classification == .partnershipAtRisk)
    }

    @Test func aGoalBehindItsLineIsOffTrack() throws {
        var world = Self.partnership()
        world.goals[0].progress = [(LocalDate("2026-06-01")!, 5)]
        let result = try assessment(world)
        #expect(result.criteria.commonGoal.result == .partial)
        #expect(result.criteria.commonGoal.evidence.first?.hasSuffix("off track") == true)
    }

    @Test func withoutAPartnershipTheTestsFailAndTheRelationshipDecides() throws {
        var world = Self.partnership()
        world.partnerships = []
        world.goals = []
        world.commitments = []
        world.risks = []
        let result = try assessment(world)
        #expect(result.criteria.commitment == .init(result: .fail, evidence: ["no partnership with home"]))
        #expect([Classification.relationship, .deepRelationship].contains(result.classification))
        #expect(result.classification != .partnership)
    }

    /// Four home salespeople and seven distributors of three people each, two years of monthly
    /// dealings. Distributors 1–5 are ordinary: each of their people meets one of ours, half the
    /// dealings orders. Distributor 6 is deep: each of its people meets all four of ours, nearly
    /// always for visits and planning. Our inside sales take orders from distributor 7 every few
    /// days, on our initiative (so it is no order-seeker).
    static func channel(dealingsPerMonth: Int = 1) -> Snapshot {
        let start = LocalDate("2015-01-01")!
        var world = Snapshot(organizations: [.init(key: "home", name: "Voltwerk", kind: .manufacturer, isHome: true)]
                             + (1...7).map { .init(key: "d\($0)", name: "Distributor \($0)", kind: .distributor) })
        world.people = (0..<4).map { .init(key: "h\($0)", name: "Home \($0)") }
        world.employments = (0..<4).map { .init(person: $0, organization: 0, function: .outsideSales, start: start) }
        var interactions: [Snapshot.Interaction] = []
        for distributor in 1...7 {
            for seat in 0..<3 {
                let person = world.people.count
                world.people.append(.init(key: "d\(distributor)p\(seat)", name: "Person \(seat) of \(distributor)"))
                world.employments.append(.init(person: person, organization: distributor, function: .insideSales, start: start))
                let ours = distributor == 6 ? Array(0..<4) : [seat % 4]
                for month in 0..<24 {
                    for repeat_ in 0..<dealingsPerMonth {
                        let day = World.asOf.adding(days: -(month * 30 + repeat_ * 7 + seat))
                        for home in ours {
                            let kind: InteractionKind = switch distributor {
                            case 6: month % 10 == 0 ? .quoteRequest : month.isMultiple(of: 2) ? .visit : .planning
                            case 7: .orderRequest
                            default: month.isMultiple(of: 2) ? .visit : .orderRequest
                            }
                            let days = distributor == 7 ? stride(from: 0, to: 30, by: 3).map { day.adding(days: -$0) } : [day]
                            for date in days {
                                interactions.append(.init(key: "i\(interactions.count)", date: date, kind: kind,
                                                          initiator: distributor == 7 ? home : person,
                                                          participants: [person, home], durationMinutes: 60))
                            }
                        }
                    }
                }
            }
        }
        world.interactions = ChunkedArray(interactions)
        return world
    }

    @Test(arguments: [1, 3])
    func depthIsMeasuredAgainstTheOtherCounterparts(dealingsPerMonth: Int) throws {
        let report = Assessor().assess(Self.channel(dealingsPerMonth: dealingsPerMonth), asOf: World.asOf)
        let classes = Dictionary(uniqueKeysWithValues: report.assessments.map { ($0.organizationKey, $0.classification) })
        #expect(classes["d6"] == .deepRelationship)
        #expect((1...5).allSatisfy { classes["d\($0)"] == .relationship })
        #expect(classes["d7"] == .transactional)
        let deep = try #require(report.assessments.first { $0.organizationKey == "d6" })
        #expect(deep.relationships.breadth == 4)
        #expect(deep.relationships.depth >= AssessmentSettings().deepDepth)
        #expect(deep.reasons.first?.hasPrefix("depth ") == true)
        let ordinary = try #require(report.assessments.first { $0.organizationKey == "d1" })
        #expect(ordinary.relationships.breadth == 1)
        #expect(abs(ordinary.relationships.depth - 1) < 0.3)
        #expect(report.assessments.first { $0.organizationKey == "d7" }?.reasons.first?.contains("orders and requests") == true)
    }

    @Test func withFewCounterpartsDepthNeedsStrongRelationalTies() throws {
        var world = Self.channel()
        // Only the deep distributor and one ordinary one are left: too few to make a norm of.
        let kept: Set<Int> = [0, 1, 6]
        let people = Set(world.employments.filter { kept.contains($0.organization) }.map(\.person))
        world.interactions = world.interactions.filter { $0.participants.allSatisfy(people.contains) }
        let report = Assessor().assess(world, asOf: World.asOf)
        let classes = Dictionary(uniqueKeysWithValues: report.assessments.map { ($0.organizationKey, $0.classification) })
        #expect(classes["d6"] == .deepRelationship)
        #expect(classes["d1"] == .relationship)
        #expect(report.assessments.allSatisfy { $0.relationships.depth == 1 })
    }

    @Test func anOrderSeekerWithAPartnershipOnPaperIsAtRisk() throws {
        var world = Self.partnership()
        world.interactions += (0..<30).map { World.dealing(World.asOf.adding(days: -3 * $0 - 1), .orderRequest, by: 1) }
        let result = try assessment(world)
        #expect(result.orderSeeker.flagged)
        #expect(result.classification == .partnershipAtRisk)
        #expect(result.reasons.first?.contains("order-seeker") == true)
    }

    @Test func aContributionConfirmedByThePledgingSideItselfIsAClaim() throws {
        var world = Self.partnership()
        world.commitments[1].contributions[0].confirmedBy = 2  // Paula works for d1, which made the pledge
        let result = try assessment(world)
        #expect(result.criteria.combinedAssets.result == .fail)
        #expect(result.criteria.combinedAssets.evidence.last?.hasSuffix("1 unconfirmed claim") == true)
    }

    @Test func pledgesNotDueYetAreNotAssetsYet() throws {
        var world = Self.partnership()
        for index in world.commitments.indices {
            world.commitments[index].dueDate = LocalDate("2026-12-31")!
            world.commitments[index].contributions = []
        }
        let result = try assessment(world)
        #expect(result.criteria.combinedAssets.result == .partial)
        #expect(result.criteria.combinedAssets.evidence == ["home pledged 1 (money); none due yet", "d1 pledged 1 (time_hours); none due yet"])
    }

    @Test func aPartnershipAgreedAfterTheDateDidNotExistYet() throws {
        let result = try #require(Assessor().assess(Self.partnership(), asOf: LocalDate("2024-12-31")!).assessments.first { $0.organizationKey == "d1" })
        #expect(result.criteria.commitment.result == .fail)
        #expect(result.classification != .partnership && result.classification != .partnershipAtRisk)
    }

    @Test func amountsInDifferentCurrenciesAreNeverAddedUp() throws {
        var world = Self.partnership()
        world.sales = [.init(period: YearMonth("2026-05")!, manufacturer: 0, branch: 0, sellIn: 40_000, sellThrough: 30_000, currency: "EUR"),
                       .init(period: YearMonth("2026-05")!, manufacturer: 0, branch: 1, sellIn: 6_000_000, sellThrough: 5_000_000, currency: "RSD")]
        let result = try assessment(world)
        #expect(result.criteria.interdependence.evidence.first == "100% of home's EUR sell-in goes through them")
    }

    @Test func aGoalOwnedByOneSideOnlyIsNotACommonGoal() throws {
        var world = Self.partnership()
        world.goals[0].owners = [0]
        let result = try assessment(world)
        #expect(result.criteria.commonGoal.result == .partial)
        #expect(result.criteria.commonGoal.evidence.first == "goal g1 has no owner on their side")
    }

    @Test func coverageShowsTheBackboneOfEachBranch() throws {
        var world = World.world((0..<24).map { World.dealing(LocalDate("2024-07-15")!.adding(days: $0 * 30), .visit, by: $0 % 2, minutes: 60) })
        world.branches = [.init(key: "d1-muc", organization: 1, territoryCode: "DE-S"), .init(key: "d1-ham", organization: 1),
                          .init(key: "d2-ber", organization: 2)]
        world.employments[1].branch = 0   // Dirk, inside sales in Munich, the only one home deals with
        world.employments[2].branch = 0   // Paula, outside sales in Munich, never met
        world.people.append(.init(key: "olaf", name: "Olaf"))
        world.employments.append(.init(person: 3, organization: 2, branch: 2, function: .outsideSales, start: LocalDate("2020-01-01")!))
        world.interactions.append(World.dealing(LocalDate("2021-03-01")!, .visit, with: 3))
        let coverage = Assessor().assess(world, asOf: World.asOf).coverage
        let munich = try #require(coverage.first { $0.branchKey == "d1-muc" })
        #expect(munich.insideSales != nil && munich.outsideSales == nil)
        #expect(munich.gaps == ["outside_sales"])
        #expect(munich.singleThreaded && munich.carriedBy == ["dirk"] && !munich.uncovered)
        #expect(munich.territoryCode == "DE-S")
        let hamburg = try #require(coverage.first { $0.branchKey == "d1-ham" })
        #expect(hamburg.uncovered && hamburg.gaps == ["inside_sales", "outside_sales"])
        // Olaf once met Hanna, five years ago: covered once, but no live relationship now.
        let berlin = try #require(coverage.first { $0.branchKey == "d2-ber" })
        #expect(!berlin.uncovered && berlin.outsideSales == nil && berlin.carriedBy == ["olaf"])
    }

    @Test func alertsNameWhatToActOn() throws {
        var world = Self.partnership()
        // Dirk leaves d1 for d2 in March; Paula leaves d1 in April with nobody to follow her.
        world.employments[1].end = LocalDate("2026-02-28")!
        world.employments.append(.init(person: 1, organization: 2, function: .outsideSales, start: LocalDate("2026-03-01")!))
        world.employments[2].end = LocalDate("2026-04-30")!
        world.commitments[1].contributions = []
        world.goals[0].progress = [(LocalDate("2026-06-01")!, 2)]
        let alerts = Assessor().assess(world, asOf: World.asOf).alerts
        let moved = try #require(alerts.first { $0.kind == .personMoved })
        #expect(moved.organizationKey == "d2" && moved.personKeys == ["dirk"] && moved.date == LocalDate("2026-03-01"))
        #expect(moved.message.hasPrefix("Dirk moved from d1 to d2 on 2026-03-01: an opening, the relationship moved with them (strongest relationship: Hanna"))
        let left = try #require(alerts.first { $0.kind == .personLeft })
        #expect(left.personKeys == ["paula"] && left.message.hasSuffix("Nobody in outside_sales there yet."))
        #expect(alerts.contains { $0.kind == .pledgeOverdue && $0.message.hasPrefix("pledge c2 of d1 in ps1: 100 time_hours due 2026-03-31, 0 confirmed") })
        #expect(alerts.contains { $0.kind == .goalOffTrack && $0.personKeys == ["hanna", "dirk"] })
        #expect(!alerts.contains { $0.kind == .pledgeOverdue && $0.message.hasPrefix("pledge c1") })
    }
}
