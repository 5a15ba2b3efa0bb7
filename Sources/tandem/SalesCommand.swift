import ArgumentParser
import Foundation
import TandemCore
import TandemWorkspace

struct Sales: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sell-in, sell-through and both sides' gross profit, grouped, with growth against a year earlier.",
        discussion: """
            Groups by any of period, organization, branch, territory and product_line (comma-separated). \
            Amounts in different currencies are never added up. Growth is against the same months a year earlier, \
            and empty where that figure was zero. See docs/economics.md.
            """
    )

    @OptionGroup var data: DataOptions

    @Option(help: ArgumentHelp("What to group by, comma-separated: \(SalesGrouping.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "fields"))
    var by: String = "period"

    @Option(help: "The length of a period: month, quarter or year.")
    var period: String = "month"

    @Option(help: ArgumentHelp("First month (YYYY-MM); default 11 months before --to.", valueName: "month"))
    var from: String?

    @Option(help: ArgumentHelp("Last month (YYYY-MM); default the latest month with sales.", valueName: "month"))
    var to: String?

    @Option(help: ArgumentHelp("Whose lines; default the home organization.", valueName: "key"))
    var manufacturer: String?

    @Option(help: ArgumentHelp("Only this distributor's branches.", valueName: "key"))
    var organization: String?

    @Option(help: ArgumentHelp("Only branches in this territory or below it.", valueName: "code"))
    var territory: String?

    @Option(help: ArgumentHelp("Only this product line.", valueName: "name"))
    var productLine: String?

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    func query() throws -> SalesQuery {
        var groups: [SalesGrouping] = []
        for name in by.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let group = SalesGrouping(rawValue: name) else {
                throw ValidationError("--by: \"\(name)\" is not one of \(SalesGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !groups.contains(group) { groups.append(group) }
        }
        guard let grain = PeriodGrain(rawValue: period) else { throw ValidationError("--period must be month, quarter or year, got \"\(period)\"") }
        func month(_ value: String?, _ flag: String) throws -> YearMonth? {
            guard let value else { return nil }
            guard let month = YearMonth(value) else { throw ValidationError("\(flag) must be a month like 2025-07, got \"\(value)\"") }
            return month
        }
        return SalesQuery(groupBy: groups, grain: grain, from: try month(from, "--from"), to: try month(to, "--to"),
                          manufacturer: manufacturer, organization: organization, territory: territory, productLine: productLine)
    }

    func validate() throws { _ = try query() }

    func run() async throws {
        let query = try query()
        let snapshot = try await loadSnapshot(data, interactions: false)
        let problems = query.problems(in: snapshot)
        guard problems.isEmpty else {
            for problem in problems { printError("--\(problem.field.replacingOccurrences(of: "_", with: "-")): \(problem.message)") }
            throw ExitCode(1)
        }
        let summary = SalesReport.summary(snapshot, query: query)
        switch format {
        case .json: try printJSON(summary)
        case .table:
            print("\(summary.manufacturerKey)'s lines, \(summary.from) to \(summary.to), against a year earlier")
            func money(_ value: Double) -> String { String(format: "%.2f", value) }
            func growth(_ value: Double?) -> String { value.map { String(format: "%+.1f%%", $0 * 100) } ?? "-" }
            let header = query.groupBy.map(\.rawValue) + ["currency", "sell-in", "growth", "sell-through", "growth", "mfr GP", "growth", "dist GP", "growth"]
            printTable([header] + summary.rows.map { row in
                query.groupBy.map { group -> String in
                    switch group {
                    case .period: row.period ?? ""
                    case .organization: row.organizationKey ?? ""
                    case .branch: row.branchKey ?? ""
                    case .territory: row.territoryCode ?? ""
                    case .productLine: row.productLine ?? ""
                    }
                } + [row.currency, money(row.figures.sellIn), growth(row.growth?.sellIn), money(row.figures.sellThrough), growth(row.growth?.sellThrough),
                     money(row.figures.manufacturerGrossProfit), growth(row.growth?.manufacturerGrossProfit),
                     money(row.figures.distributorGrossProfit), growth(row.growth?.distributorGrossProfit)]
            })
        }
    }
}
