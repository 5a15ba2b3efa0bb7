import ArgumentParser
import Foundation
import TandemCore
import TandemWorkspace

/// The pricing options shared by the economics verbs.
struct PricingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The cost of an hour in a currency, e.g. EUR=75 (repeat for more currencies). Hours without one are reported, not priced.",
                               valueName: "CUR=amount"))
    var hourlyCost: [String] = []

    @Option(help: "The yearly cost of holding inventory, as a share of its value.")
    var carryingRate: Double = EconomicsSettings().inventoryCarryingRate

    func validate() throws { _ = try settings() }

    func settings() throws -> EconomicsSettings {
        var settings = EconomicsSettings()
        guard (0...1).contains(carryingRate) else { throw ValidationError("--carrying-rate must be between 0 and 1, got \(carryingRate)") }
        settings.inventoryCarryingRate = carryingRate
        let costs = FieldRules.currencyAmounts(hourlyCost, separator: "=", positive: false)
        if let bad = costs.bad.first { throw ValidationError("--hourly-cost expects a currency and an amount like EUR=75, got \"\(bad)\"") }
        settings.hourlyCost = costs.amounts
        return settings
    }
}

struct Economics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What each partnership costs and returns for each side: cost, incremental gross profit, return, payback, verdict.",
        discussion: "See docs/economics.md for the baselines and every figure."
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var pricing: PricingOptions

    @Option(help: ArgumentHelp("Only this partnership.", valueName: "key"))
    var partnership: String?

    @OptionGroup var dated: AsOfOptions

    func run() async throws {
        let snapshot = try await loadSnapshot(data, interactions: false)
        let date = dated.date
        var results = EconomicsAnalysis(settings: try pricing.settings()).economics(of: snapshot, asOf: date)
        if let partnership {
            results = results.filter { $0.partnershipKey == partnership }
            guard !results.isEmpty else {
                printError("no partnership \"\(partnership)\" in workspace \"\(data.workspace)\"")
                throw ExitCode(1)
            }
        }
        switch dated.format {
        case .json: try printJSON(results)
        case .table:
            print("as of \(date)")
            func money(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "-" }
            var rows = [["partnership", "side", "role", "currency", "cost", "gross profit", "baseline", "incremental", "ROI", "payback", "verdict"]]
            for result in results {
                for (index, side) in result.sides.enumerated() {
                    rows.append([index == 0 ? result.partnershipKey : "", side.organizationKey, side.role, side.currency, money(side.cost.total),
                                 money(side.grossProfit), money(side.baselineGrossProfit), money(side.incrementalGrossProfit),
                                 side.returnOnInvestment.map { String(format: "%+.0f%%", $0 * 100) } ?? "-",
                                 side.paybackMonths.map { "\($0) mo" } ?? "-", index == 0 ? result.verdict.rawValue : ""])
                }
            }
            printTable(rows)
            for result in results {
                print("")
                print("\(result.partnershipKey) (\(result.counterpartKey), \(result.status.rawValue)): \(result.summary)")
                if result.baseline.method != "none" { print("  baseline: \(result.baseline.method): \(result.baseline.reason)") }
                for side in result.sides {
                    for line in side.cost.unpriced { print("  \(side.organizationKey) not priced: \(line)") }
                    if !side.cost.claims.isEmpty { print("  \(side.organizationKey) unconfirmed claims: \(side.cost.claims.joined(separator: "; "))") }
                }
                for note in Set(result.sides.flatMap(\.notes)).sorted() { print("  note: \(note)") }
            }
        }
    }
}

struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Where to partner: the counterparts to partner with to maximise both sides' expected gross profit within a money and an hours budget.",
        discussion: "Exact (branch and bound), from the assessment's classifications and the measured partnerships; says where a strong relationship is enough. See docs/economics.md."
    )

    @OptionGroup var data: DataOptions

    @Option(help: ArgumentHelp("Money a year for partnerships, in the plan's currency.", valueName: "amount"))
    var budgetMoney: Double

    @Option(help: ArgumentHelp("Hours a year for partnerships.", valueName: "hours"))
    var budgetHours: Double

    @Option(help: ArgumentHelp("The plan's currency; default the home company's.", valueName: "code"))
    var currency: String?

    @Option(help: ArgumentHelp("An exchange rate into the plan's currency, e.g. DKK=0.134 (repeat for more).", valueName: "CUR=rate"))
    var rate: [String] = []

    @Option(help: "Expected growth of the home company's gross profit from a partnership (default: measured).")
    var upliftHome: Double?

    @Option(help: "Expected growth of the counterpart's gross profit from a partnership (default: measured).")
    var upliftCounterpart: Double?

    @Option(help: "The home company's money a year per partnership as a share of the counterpart's sell-in (default: measured).")
    var moneyShare: Double?

    @Option(help: "The home company's hours a year per counterpart branch (default: measured).")
    var hoursPerBranch: Double?

    @OptionGroup var dated: AsOfOptions

    func settings() throws -> PlanSettings {
        guard budgetMoney >= 0, budgetMoney.isFinite, budgetHours >= 0, budgetHours.isFinite else {
            throw ValidationError("--budget-money and --budget-hours must be zero or more")
        }
        var settings = PlanSettings(budgetMoney: budgetMoney, budgetHours: budgetHours)
        if let currency {
            guard let code = FieldRules.currency(currency) else { throw ValidationError("--currency: \"\(currency)\" is not an ISO 4217 code") }
            settings.currency = code
        }
        let rates = FieldRules.currencyAmounts(rate, separator: "=", positive: true)
        if let bad = rates.bad.first { throw ValidationError("--rate expects a currency and a rate like DKK=0.134, got \"\(bad)\"") }
        settings.rates = rates.amounts
        for (name, value) in [("--uplift-home", upliftHome), ("--uplift-counterpart", upliftCounterpart), ("--money-share", moneyShare),
                              ("--hours-per-branch", hoursPerBranch)] {
            if let value, !(value.isFinite && value >= (name.hasPrefix("--uplift") ? -1 : 0)) { throw ValidationError("\(name): \(value) is out of range") }
        }
        settings.upliftHome = upliftHome
        settings.upliftCounterpart = upliftCounterpart
        settings.moneyShare = moneyShare
        settings.hoursPerBranch = hoursPerBranch
        return settings
    }

    func validate() throws { _ = try settings() }

    func run() async throws {
        let snapshot = try await loadSnapshot(data)
        let date = dated.date
        let plan: PartnershipPlan
        do {
            plan = try PartnershipPlanner().plan(snapshot, asOf: date, settings: try settings())
        } catch let error as PlanError {
            printError(error.description)
            throw ExitCode(1)
        }
        switch dated.format {
        case .json: try printJSON(plan)
        case .table:
            func money(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "-" }
            print("as of \(date), in \(plan.currency): partner with \(plan.candidates.filter { $0.decision == .partner }.count), "
                  + "using \(money(plan.moneyUsed)) of \(money(plan.budgetMoney)) and \(money(plan.hoursUsed)) of \(money(plan.budgetHours)) hours; "
                  + "expected \(money(plan.expectedBothSides)) a year for both sides (\(money(plan.expectedHome)) home, "
                  + "\(money(plan.expectedCounterparts)) counterparts)\(plan.exact ? "" : " — best found, not proven optimal")")
            for line in plan.assumptions { print("  assumes \(line)") }
            print("")
            printTable([["organization", "classification", "decision", "expected home", "expected theirs", "money", "hours", "why"]]
                       + plan.candidates.map { [$0.organizationKey, $0.classification.rawValue, $0.decision.rawValue, money($0.expectedHome),
                                                money($0.expectedCounterpart), money($0.money), money($0.hours), $0.reason] })
        }
    }
}

struct LeadLagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lead-lag",
        abstract: "Does the relationship lead the sales? Strength changes against sell-through growth 0 to 4 quarters later, per territory or branch.",
        discussion: "Correlations with their observations and 95% intervals; no causal claims. See docs/economics.md."
    )

    @OptionGroup var data: DataOptions

    @Option(help: "all, territory or branch.")
    var by: String = "territory"

    @Option(help: ArgumentHelp("Only branches in this territory or below it.", valueName: "code"))
    var territory: String?

    @OptionGroup var dated: AsOfOptions

    func validate() throws {
        if LeadLagAnalysis.Grouping(rawValue: by) == nil { throw ValidationError("--by must be all, territory or branch, got \"\(by)\"") }
    }

    func run() async throws {
        let snapshot = try await loadSnapshot(data)
        if let territory, !snapshot.territories.contains(where: { $0.code == territory }) {
            printError("--territory: no territory \"\(territory)\"")
            throw ExitCode(1)
        }
        let date = dated.date
        let tables = LeadLagAnalysis().analyse(snapshot, asOf: date, by: LeadLagAnalysis.Grouping(rawValue: by)!, territory: territory)
        switch dated.format {
        case .json: try printJSON(tables)
        case .table:
            print("as of \(date): change in relationship strength against sell-through growth (year on year) k quarters later; r (observations)")
            func cell(_ lag: LeadLag.Lag) -> String { lag.correlation.map { String(format: "%+.2f (%d)", $0, lag.observations) } ?? "- (\(lag.observations))" }
            printTable([[by, "branches"] + (0...4).map { "k=\($0)" } + ["in words"]]
                       + tables.map { [$0.key ?? "all", String($0.branches)] + $0.lags.map(cell) + [$0.statement] })
        }
    }
}
