import TandemCore
import TandemWorkspace
import Vapor

extension SalesSummary: Content {}
extension PartnershipEconomics: Content {}
extension PartnershipPlan: Content {}
extension LeadLag: Content {}

/// Sales and profit of the served workspace, grouped, against the same months a year earlier.
struct EconomicsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("sales").get("summary") { req -> SalesSummary in
            let query = try Self.salesQuery(req)
            let snapshot = try await req.workspace.snapshot(interactions: false)
            var checks = FieldChecks()
            for problem in query.problems(in: snapshot) { checks.fail(problem.field, problem.message) }
            try checks.throwIfAny()
            return SalesReport.summary(snapshot, query: query)
        }
        routes.get("economics") { req -> [PartnershipEconomics] in
            var checks = FieldChecks()
            let asOf = AssessmentController.asOf(req, checks: &checks)
            let settings = Self.pricing(req, checks: &checks)
            try checks.throwIfAny()
            let partnership = req.parameter("partnership")
            let snapshot = try await req.workspace.snapshot(interactions: false)
            let results = EconomicsAnalysis(settings: settings).economics(of: snapshot, asOf: asOf)
            guard let partnership else { return results }
            let one = results.filter { $0.partnershipKey == partnership }
            if one.isEmpty { throw StoreError.notFound(kind: "partnership", key: partnership) }
            return one
        }
        routes.get("lead-lag") { req -> [LeadLag] in
            var checks = FieldChecks()
            let asOf = AssessmentController.asOf(req, checks: &checks)
            var grouping = LeadLagAnalysis.Grouping.territory
            if let text = req.parameter("by") {
                if let value = LeadLagAnalysis.Grouping(rawValue: text) { grouping = value } else { checks.fail("by", "\"\(text)\": expected all, territory or branch") }
            }
            try checks.throwIfAny()
            let territory = req.parameter("territory")
            let snapshot = try await req.workspace.snapshot()
            if let territory, !snapshot.territories.contains(where: { $0.code == territory }) {
                throw StoreError.invalid([FieldIssue(field: "territory", message: "no territory \"\(territory)\"")])
            }
            return LeadLagAnalysis().analyse(snapshot, asOf: asOf, by: grouping, territory: territory)
        }
        routes.get("plan") { req -> PartnershipPlan in
            var checks = FieldChecks()
            let asOf = AssessmentController.asOf(req, checks: &checks)
            let settings = Self.planSettings(req, checks: &checks)
            try checks.throwIfAny()
            let snapshot = try await req.workspace.snapshot()
            do {
                return try PartnershipPlanner().plan(snapshot, asOf: asOf, settings: settings)
            } catch let error as PlanError {
                throw StoreError.invalid([FieldIssue(field: "plan", message: error.description)])
            }
        }
    }

    /// The largest value each numeric plan parameter takes (the OpenAPI description states them too).
    static let planLimits: [String: Double] = ["budget_money": 1e13, "budget_hours": 1e9, "uplift_home": 100, "uplift_counterpart": 100,
                                               "money_share": 100, "hours_per_branch": 1e6]

    /// `budget_money`, `budget_hours` (required), `currency`, `rates=DKK:0.134,USD:0.92`, and the
    /// estimates `uplift_home`, `uplift_counterpart`, `money_share`, `hours_per_branch`.
    static func planSettings(_ req: Request, checks: inout FieldChecks) -> PlanSettings {
        /// The bounds keep every product of the plan finite (a budget of 10^300 would overflow it).
        func number(_ name: String, required: Bool = false, minimum: Double = 0, maximum: Double) -> Double? {
            guard let text = req.parameter(name) else {
                if required { checks.fail(name, "required") }
                return nil
            }
            guard let value = Double(text), value.isFinite, (minimum...maximum).contains(value) else {
                checks.fail(name, "\"\(text)\": expected a number from \(BundleNumber.format(minimum)) to \(BundleNumber.format(maximum))")
                return nil
            }
            return value
        }
        var settings = PlanSettings(budgetMoney: number("budget_money", required: true, maximum: Self.planLimits["budget_money"]!) ?? 0,
                                    budgetHours: number("budget_hours", required: true, maximum: Self.planLimits["budget_hours"]!) ?? 0)
        if let text = req.parameter("currency") {
            if let code = FieldRules.currency(text) { settings.currency = code } else { checks.fail("currency", "\"\(text)\": \(FieldRules.currencyMessage)") }
        }
        if let text = req.parameter("rates") {
            let rates = FieldRules.currencyAmounts(text.split(separator: ",").map(String.init), separator: ":", positive: true)
            for bad in rates.bad { checks.fail("rates", "\"\(bad)\": expected a currency and a rate like DKK:0.134") }
            settings.rates = rates.amounts
        }
        settings.upliftHome = number("uplift_home", minimum: -1, maximum: Self.planLimits["uplift_home"]!)
        settings.upliftCounterpart = number("uplift_counterpart", minimum: -1, maximum: Self.planLimits["uplift_counterpart"]!)
        settings.moneyShare = number("money_share", maximum: Self.planLimits["money_share"]!)
        settings.hoursPerBranch = number("hours_per_branch", maximum: Self.planLimits["hours_per_branch"]!)
        return settings
    }

    /// `hourly_cost=EUR:75,DKK:560` and `carrying_rate=0.25`.
    static func pricing(_ req: Request, checks: inout FieldChecks) -> EconomicsSettings {
        var settings = EconomicsSettings()
        if let text = req.parameter("hourly_cost") {
            let costs = FieldRules.currencyAmounts(text.split(separator: ",").map(String.init), separator: ":", positive: false)
            for bad in costs.bad { checks.fail("hourly_cost", "\"\(bad)\": expected a currency and an amount like EUR:75") }
            settings.hourlyCost = costs.amounts
        }
        if let text = req.parameter("carrying_rate") {
            if let rate = Double(text), (0...1).contains(rate) { settings.inventoryCarryingRate = rate }
            else { checks.fail("carrying_rate", "\"\(text)\": expected a share from 0 to 1, e.g. 0.25") }
        }
        return settings
    }

    /// The query parameters `by`, `period`, `from`, `to`, `manufacturer`, `organization`, `territory`, `product_line`.
    static func salesQuery(_ req: Request) throws -> SalesQuery {
        var checks = FieldChecks()
        var query = SalesQuery()
        func text(_ name: String) -> String? { req.parameter(name) }
        if let by = text("by") {
            query.groupBy = []
            for name in by.split(separator: ",").map(String.init) {
                if let group = SalesGrouping(rawValue: name) {
                    if !query.groupBy.contains(group) { query.groupBy.append(group) }
                } else {
                    checks.fail("by", "\"\(name)\" is not one of \(SalesGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
        }
        if let period = text("period") {
            if let grain = PeriodGrain(rawValue: period) { query.grain = grain } else { checks.fail("period", "\"\(period)\": expected month, quarter or year") }
        }
        for field in ["from", "to"] {
            guard let value = text(field) else { continue }
            guard let month = YearMonth(value) else { checks.fail(field, "\"\(value)\": expected a month YYYY-MM, e.g. 2025-07"); continue }
            if field == "from" { query.from = month } else { query.to = month }
        }
        query.manufacturer = text("manufacturer")
        query.organization = text("organization")
        query.territory = text("territory")
        query.productLine = text("product_line")
        try checks.throwIfAny()
        return query
    }
}
