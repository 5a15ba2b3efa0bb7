import Foundation

/// The budgets and assumptions of a plan; `docs/economics.md` explains each one.
public struct PlanSettings: Codable, Sendable, Equatable {
    public var budgetMoney: Double
    public var budgetHours: Double
    /// The currency of the money budget and of every figure; default the home company's.
    public var currency: String?
    /// Exchange rates into `currency`: one unit of the key currency is worth this much.
    public var rates: [String: Double] = [:]
    /// Expected growth of each side's gross profit from a partnership; by default the median of
    /// the workspace's measured partnerships (docs/economics.md).
    public var upliftHome: Double?
    public var upliftCounterpart: Double?
    /// The home company's money a partnership takes a year, as a share of the counterpart's
    /// yearly sell-in, and its hours a year per counterpart branch; by default the medians of
    /// the workspace's partnerships.
    public var moneyShare: Double?
    public var hoursPerBranch: Double?
    /// How likely a counterpart of each classification is to become a working partnership.
    public var readiness: [Classification: Double] = [.partnership: 1, .partnershipCandidate: 1, .deepRelationship: 0.7, .partnershipAtRisk: 0.5]

    public init(budgetMoney: Double, budgetHours: Double) {
        self.budgetMoney = budgetMoney
        self.budgetHours = budgetHours
    }
}

/// One counterpart in a plan, with what partnering would cost and is expected to return.
public struct PlanCandidate: Codable, Sendable, Equatable {
    public enum Decision: String, Codable, Sendable {
        case partner
        case relationshipIsEnough = "strong_relationship_is_enough"
        case notEligible = "not_eligible"
    }

    public var organizationKey: String
    public var classification: Classification
    public var decision: Decision
    public var reason: String
    /// The last 12 months, in the plan's currency.
    public var sellIn: Double?
    public var grossProfitHome: Double?
    public var grossProfitCounterpart: Double?
    /// Expected yearly incremental gross profit of each side, and the yearly money and hours.
    public var expectedHome: Double?
    public var expectedCounterpart: Double?
    public var money: Double?
    public var hours: Double?
}

public struct PartnershipPlan: Codable, Sendable, Equatable {
    public var currency: String
    public var budgetMoney: Double
    public var budgetHours: Double
    public var moneyUsed: Double
    public var hoursUsed: Double
    /// Expected yearly incremental gross profit of the chosen partnerships, both sides and each.
    public var expectedBothSides: Double
    public var expectedHome: Double
    public var expectedCounterparts: Double
    /// True when the choice is proven the best within the budgets.
    public var exact: Bool
    public var assumptions: [String]
    public var candidates: [PlanCandidate]
}

public enum PlanError: Error, Equatable, CustomStringConvertible {
    case noHome
    case cannotEstimate(String)

    public var description: String {
        switch self {
        case .noHome: "the workspace has no home organization"
        case let .cannotEstimate(what): what
        }
    }
}

/// Chooses the counterparts to partner with, within a money and an hours budget, to maximise
/// the expected incremental gross profit of both sides (docs/economics.md, "Where to partner").
public struct PartnershipPlanner: Sendable {
    public var assessment = AssessmentSettings()
    public var economics = EconomicsSettings()

    public init() {}

    public func plan(_ snapshot: Snapshot, asOf: LocalDate, settings: PlanSettings) throws -> PartnershipPlan {
        guard let home = snapshot.home else { throw PlanError.noHome }
        let currency = settings.currency ?? snapshot.organizations[home].currency ?? ""
        func rate(_ from: String) -> Double? { from == currency ? 1 : settings.rates[from] }
        let report = Assessor(settings: assessment).assess(snapshot, asOf: asOf)
        var assumptions: [String] = []

        // Uplift: what the measured partnerships added to each side's gross profit.
        let measured = EconomicsAnalysis(settings: economics).economics(of: snapshot, asOf: asOf).filter { $0.verdict != .undetermined }
        func median(_ values: [Double]) -> Double? { values.isEmpty ? nil : Assessor.DepthNorm.median(values) }
        func uplift(side: Int) -> Double? {
            median(measured.compactMap { result in
                guard let incremental = result.sides[side].incrementalGrossProfit, let baseline = result.sides[side].baselineGrossProfit,
                      baseline > 0 else { return nil }
                return incremental / baseline
            })
        }
        guard let upliftHome = settings.upliftHome ?? uplift(side: 0), let upliftCounterpart = settings.upliftCounterpart ?? uplift(side: 1) else {
            throw PlanError.cannotEstimate("no measured partnership to estimate the uplift from (docs/economics.md): give it with --uplift-home and --uplift-counterpart")
        }
        let source = { (given: Double?) in given == nil ? "the median of \(measured.count) measured partnerships" : "as given" }
        assumptions.append("uplift: a partnership adds \(Self.percent(upliftHome)) to the home company's gross profit (\(source(settings.upliftHome))) "
                           + "and \(Self.percent(upliftCounterpart)) to the counterpart's (\(source(settings.upliftCounterpart)))")

        // Cost: the home company's pledges a year in the partnerships it has, against their size.
        let totals = Self.yearlySales(snapshot, home: home, asOf: asOf)
        var shares: [Double] = [], hoursPerBranch: [Double] = []
        for (index, partnership) in snapshot.partnerships.enumerated() where partnership.status != .proposed {
            guard let agreement = partnership.agreementDate, agreement <= asOf, let sales = totals[partnership.counterpart], sales.sellIn > 0 else { continue }
            let until = partnership.status == .ended ? min(asOf, partnership.endDate ?? asOf) : asOf
            let years = max(Double(until.dayNumber - agreement.dayNumber) / 365.25, 1)
            let pledges = snapshot.commitments.filter { $0.partnership == index && $0.party == home }
            let money = pledges.filter { $0.asset == .money && ($0.currency ?? snapshot.organizations[home].currency ?? sales.currency) == sales.currency }
                .map(\.amount).reduce(0, +)
            let hours = pledges.filter { $0.asset == .timeHours }.map(\.amount).reduce(0, +)
            let branches = snapshot.branches.filter { $0.organization == partnership.counterpart }.count
            // Only partnerships where the home company pledged that kind of asset say what it costs.
            if money > 0 { shares.append(money / years / sales.sellIn) }
            if hours > 0 && branches > 0 { hoursPerBranch.append(hours / years / Double(branches)) }
        }
        guard let moneyShare = settings.moneyShare ?? median(shares), let branchHours = settings.hoursPerBranch ?? median(hoursPerBranch) else {
            throw PlanError.cannotEstimate("no partnership with pledges to estimate the cost from (docs/economics.md): give it with --money-share and --hours-per-branch")
        }
        assumptions.append((settings.moneyShare == nil ? "cost, the medians of the partnerships where the home company pledged money (\(shares.count)) "
                                + "and hours (\(hoursPerBranch.count)): " : "cost as given: ")
            + "\(Self.percent(moneyShare)) of the counterpart's yearly sell-in in money and \(String(format: "%.0f", branchHours)) hours a branch a year")
        assumptions.append("readiness: " + Classification.allCases.compactMap { kind in
            settings.readiness[kind].map { "\(kind.rawValue) \(Self.percent($0))" }
        }.joined(separator: ", ") + " of the uplift is expected; others are not eligible")

        var candidates: [PlanCandidate] = []
        var items: [BudgetKnapsack.Item] = [], itemCandidate: [Int] = []
        for assessment in report.assessments {
            guard let organization = snapshot.organizations.firstIndex(where: { $0.key == assessment.organizationKey }) else { continue }
            var candidate = PlanCandidate(organizationKey: assessment.organizationKey, classification: assessment.classification, decision: .notEligible,
                                          reason: "")
            defer { candidates.append(candidate) }
            if assessment.orderSeeker.flagged {
                candidate.reason = "an order-seeker: their words run ahead of their deeds"
                continue
            }
            guard let readiness = settings.readiness[assessment.classification], readiness > 0 else {
                candidate.reason = assessment.classification == .transactional ? "transactional: there is no relationship to build a partnership on"
                    : "a relationship, not yet deep: build the relationship first"
                continue
            }
            guard let sales = totals[organization], sales.sellIn > 0 else {
                candidate.reason = "no sales in the 12 months to \(asOf): nothing to measure a return on"
                continue
            }
            guard let factor = rate(sales.currency) else {
                candidate.reason = "sales in \(sales.currency) and no exchange rate into \(currency) given (--rate \(sales.currency)=…)"
                continue
            }
            let branches = Double(snapshot.branches.filter { $0.organization == organization }.count)
            candidate.sellIn = Self.cents(sales.sellIn * factor)
            candidate.grossProfitHome = Self.cents(sales.homeGrossProfit * factor)
            candidate.grossProfitCounterpart = Self.cents(sales.counterpartGrossProfit * factor)
            let expectedHome = readiness * upliftHome * sales.homeGrossProfit * factor
            let expectedCounterpart = readiness * upliftCounterpart * sales.counterpartGrossProfit * factor
            let money = moneyShare * sales.sellIn * factor, hours = (branchHours * branches).rounded(.up)
            candidate.expectedHome = Self.cents(expectedHome)
            candidate.expectedCounterpart = Self.cents(expectedCounterpart)
            candidate.money = Self.cents(money)
            candidate.hours = hours
            guard expectedHome > money, expectedCounterpart > 0 else {
                candidate.decision = .relationshipIsEnough
                candidate.reason = "a strong relationship is enough: a partnership would not pay for "
                    + (expectedHome > money ? "the counterpart" : "the home company (expected \(Self.money(expectedHome)) against \(Self.money(money)) a year)")
                continue
            }
            items.append(.init(value: expectedHome + expectedCounterpart, money: money, hours: hours))
            itemCandidate.append(candidates.count)
        }
        let solution = BudgetKnapsack().solve(items, money: settings.budgetMoney, hours: settings.budgetHours)
        let chosen = Set(solution.chosen)
        for (item, index) in itemCandidate.enumerated() {
            if chosen.contains(item) {
                candidates[index].decision = .partner
                candidates[index].reason = "partner: expected \(Self.money(items[item].value)) a year for both sides for \(Self.money(items[item].money)) "
                    + "and \(String(format: "%.0f", items[item].hours)) hours"
            } else {
                candidates[index].decision = .relationshipIsEnough
                candidates[index].reason = items[item].money > settings.budgetMoney || items[item].hours > settings.budgetHours
                    ? "a strong relationship is enough: a partnership alone would exceed the budget"
                    : "a strong relationship is enough: the budget does more elsewhere"
            }
        }
        let picked = solution.chosen.map { items[$0] }
        let forHome = solution.chosen.map { candidates[itemCandidate[$0]].expectedHome ?? 0 }.reduce(0, +)
        let forCounterparts = solution.chosen.map { candidates[itemCandidate[$0]].expectedCounterpart ?? 0 }.reduce(0, +)
        let order: [PlanCandidate.Decision: Int] = [.partner: 0, .relationshipIsEnough: 1, .notEligible: 2]
        return PartnershipPlan(
            currency: currency, budgetMoney: settings.budgetMoney, budgetHours: settings.budgetHours,
            moneyUsed: Self.cents(picked.map(\.money).reduce(0, +)), hoursUsed: picked.map(\.hours).reduce(0, +),
            expectedBothSides: Self.cents(forHome + forCounterparts), expectedHome: Self.cents(forHome),
            expectedCounterparts: Self.cents(forCounterparts),
            exact: solution.exact, assumptions: assumptions,
            candidates: candidates.sorted { (order[$0.decision]!, -($0.expectedHome ?? 0) - ($0.expectedCounterpart ?? 0), $0.organizationKey)
                < (order[$1.decision]!, -($1.expectedHome ?? 0) - ($1.expectedCounterpart ?? 0), $1.organizationKey) })
    }

    struct YearlySales {
        var currency: String
        var sellIn = 0.0, homeGrossProfit = 0.0, counterpartGrossProfit = 0.0
    }

    /// Each counterpart's last 12 months with the home company, in its main currency.
    static func yearlySales(_ snapshot: Snapshot, home: Int, asOf: LocalDate) -> [Int: YearlySales] {
        let last = YearMonth(year: asOf.year, month: asOf.month), first = last.adding(months: -11)
        var byCurrency: [Int: [String: YearlySales]] = [:]
        for sale in snapshot.sales where sale.period >= first && sale.period <= last && snapshot.branches.indices.contains(sale.branch) {
            let distributor = snapshot.branches[sale.branch].organization
            let counterpart: Int
            if sale.manufacturer == home { counterpart = distributor } else if distributor == home { counterpart = sale.manufacturer } else { continue }
            let currency = sale.currency ?? snapshot.organizations[distributor].currency ?? snapshot.organizations[sale.manufacturer].currency ?? ""
            var entry = byCurrency[counterpart]?[currency] ?? YearlySales(currency: currency)
            entry.sellIn += sale.sellIn ?? 0
            let manufacturerProfit = sale.manufacturerGrossProfit ?? 0, distributorProfit = sale.distributorGrossProfit ?? 0
            entry.homeGrossProfit += sale.manufacturer == home ? manufacturerProfit : distributorProfit
            entry.counterpartGrossProfit += sale.manufacturer == home ? distributorProfit : manufacturerProfit
            byCurrency[counterpart, default: [:]][currency] = entry
        }
        return byCurrency.compactMapValues { $0.values.max { ($0.sellIn, $1.currency) < ($1.sellIn, $0.currency) } }
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
    static func money(_ value: Double) -> String { String(format: "%.0f", value) }
    static func cents(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
