import ArgumentParser
import Foundation
import TandemCore
import TandemStore

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
        for entry in hourlyCost {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let currency = FieldRules.currency(parts[0]), let amount = Double(parts[1]), amount >= 0, amount.isFinite else {
                throw ValidationError("--hourly-cost expects a currency and an amount like EUR=75, got \"\(entry)\"")
            }
            settings.hourlyCost[currency] = amount
        }
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

    @Option(help: ArgumentHelp("As of this date (YYYY-MM-DD); default today.", valueName: "date"))
    var asOf: String?

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if let asOf, LocalDate(asOf) == nil { throw ValidationError("--as-of must be a date like 2026-06-30, got \"\(asOf)\"") }
    }

    func run() async throws {
        let snapshot = try await loadSnapshot(data, interactions: false)
        let date = asOf.flatMap(LocalDate.init) ?? LocalDate(Date(), in: TimeZone(identifier: "UTC")!)
        var results = EconomicsAnalysis(settings: try pricing.settings()).economics(of: snapshot, asOf: date)
        if let partnership {
            results = results.filter { $0.partnershipKey == partnership }
            guard !results.isEmpty else {
                printError("no partnership \"\(partnership)\" in workspace \"\(data.workspace)\"")
                throw ExitCode(1)
            }
        }
        switch format {
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
