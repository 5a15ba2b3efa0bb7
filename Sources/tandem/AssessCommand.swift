import ArgumentParser
import Foundation
import TandemCore
import TandemWorkspace

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// --as-of and --format, for the verbs computed as of a date.
struct AsOfOptions: ParsableArguments {
    @Option(help: "table or json.")
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("As of this date (YYYY-MM-DD); default today.", valueName: "date"))
    var asOf: String?

    func validate() throws {
        if let asOf, LocalDate(asOf).map({ (1900...9000).contains($0.year) }) != true {
            throw ValidationError("--as-of must be a date like 2026-06-30 between the years 1900 and 9000, got \"\(asOf)\"")
        }
    }

    /// The as-of date: the one given, else today in UTC.
    var date: LocalDate {
        if let asOf, let date = LocalDate(asOf) { return date }
        return LocalDate(Date(), in: TimeZone(identifier: "UTC")!)
    }
}

/// The options of the assessment verbs.
struct AssessmentOptions: ParsableArguments {
    @OptionGroup var dated: AsOfOptions

    @Option(help: ArgumentHelp("Only this counterpart organization.", valueName: "key"))
    var organization: String?

    var format: OutputFormat { dated.format }
    var date: LocalDate { dated.date }
}

struct Assess: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Assess every counterpart organization: the five partnership tests, the classification, order-seekers.",
        discussion: "Shown to the home company only: the result names order-seekers. JSON as FORMATS.md describes."
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var options: AssessmentOptions

    func run() async throws {
        let snapshot = try await loadSnapshot(data)
        let asOf = options.date
        var assessments = Assessor().assess(snapshot, asOf: asOf).assessments
        if let key = options.organization {
            assessments = assessments.filter { $0.organizationKey == key }
            guard !assessments.isEmpty else {
                printError("no counterpart organization \"\(key)\" with dealings or a partnership in workspace \"\(data.workspace)\"")
                throw ExitCode(1)
            }
        }
        switch options.format {
        case .json: try printJSON(assessments)
        case .table: printAssessments(assessments, asOf: asOf)
        }
    }

    func printAssessments(_ assessments: [Assessment], asOf: LocalDate) {
        func mark(_ result: CriterionResult) -> String {
            switch result.result {
            case .pass: "pass"
            case .partial: "part"
            case .fail: "-"
            }
        }
        var rows = [["organization", "classification", "commit", "goal", "assets", "risk", "interdep", "order-seeker", "strong/total", "strongest", "depth"]]
        for assessment in assessments {
            let criteria = assessment.criteria
            rows.append([assessment.organizationKey, assessment.classification.rawValue, mark(criteria.commitment), mark(criteria.commonGoal),
                         mark(criteria.combinedAssets), mark(criteria.sharedRisk), mark(criteria.interdependence),
                         assessment.orderSeeker.flagged ? "yes" : "", "\(assessment.relationships.strong)/\(assessment.relationships.total)",
                         String(format: "%.0f", assessment.relationships.strongest), String(format: "%.2f", assessment.relationships.depth)])
        }
        print("as of \(asOf)")
        printTable(rows)
        if assessments.count == 1, let only = assessments.first {
            print("")
            print(only.reasons.joined(separator: "; "))
            for (name, criterion) in [("commitment", only.criteria.commitment), ("common goal", only.criteria.commonGoal),
                                      ("combined assets", only.criteria.combinedAssets), ("shared risk", only.criteria.sharedRisk),
                                      ("interdependence", only.criteria.interdependence)] {
                print("\(name): \(criterion.result.rawValue)")
                for line in criterion.evidence { print("  - \(line)") }
            }
            if only.orderSeeker.flagged {
                print("order-seeker:")
                for line in only.orderSeeker.evidence { print("  - \(line)") }
            }
        }
    }
}

struct Coverage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The relationship backbone per counterpart branch: inside and outside sales, single-threaded branches, gaps.",
        discussion: "JSON as FORMATS.md describes: inside_sales and outside_sales are the strongest live relationship's strength, or null."
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var options: AssessmentOptions

    func run() async throws {
        let snapshot = try await loadSnapshot(data)
        let asOf = options.date
        var rows = Assessor().assess(snapshot, asOf: asOf).coverage
        if let key = options.organization {
            rows = rows.filter { $0.organizationKey == key }
            guard !rows.isEmpty else {
                printError("no counterpart organization \"\(key)\" with branches in workspace \"\(data.workspace)\"")
                throw ExitCode(1)
            }
        }
        switch options.format {
        case .json: try printJSON(rows)
        case .table:
            func strength(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "-" }
            print("as of \(asOf)")
            printTable([["branch", "organization", "territory", "inside", "outside", "single-threaded", "gaps", "carried by"]] + rows.map {
                [$0.branchKey, $0.organizationKey, $0.territoryCode ?? "", strength($0.insideSales), strength($0.outsideSales),
                 $0.uncovered ? "uncovered" : $0.singleThreaded ? "yes" : "", $0.gaps.joined(separator: ", "),
                 $0.carriedBy.prefix(3).joined(separator: ", ") + ($0.carriedBy.count > 3 ? " +\($0.carriedBy.count - 3)" : "")]
            })
        }
    }
}

struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What to act on: cooling relationships, people who left or moved, overdue pledges, goals off track."
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var options: AssessmentOptions

    func run() async throws {
        let snapshot = try await loadSnapshot(data)
        let asOf = options.date
        var alerts = Assessor().assess(snapshot, asOf: asOf).alerts
        if let key = options.organization { alerts = alerts.filter { $0.organizationKey == key } }
        switch options.format {
        case .json: try printJSON(alerts)
        case .table:
            print("as of \(asOf): \(alerts.count) alert\(alerts.count == 1 ? "" : "s")")
            printTable([["kind", "organization", "date", "what"]]
                       + alerts.map { [$0.kind.rawValue, $0.organizationKey ?? "", $0.date?.description ?? "", $0.message] })
        }
    }
}

/// Loads the workspace's snapshot, failing with a clear message when it cannot be assessed.
func loadSnapshot(_ data: DataOptions, interactions: Bool = true) async throws -> Snapshot {
    let snapshot = try await withWorkspace(data) { workspace in try await workspace.snapshot(interactions: interactions) }
    guard snapshot.home != nil else {
        printError("the workspace has no home organization (exactly one organization with is_home = true): nothing to assess")
        throw ExitCode(1)
    }
    return snapshot
}

/// Prints rows as aligned columns.
func printTable(_ rows: [[String]]) {
    guard let header = rows.first else { return }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    for row in rows {
        let line = row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        print(line.replacingOccurrences(of: " +$", with: "", options: .regularExpression))
    }
}

/// Prints a value as the JSON the API gives: snake_case keys, sorted, pretty.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
