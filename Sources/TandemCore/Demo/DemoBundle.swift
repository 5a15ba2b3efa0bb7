import Foundation

/// Size of a generated demo workspace: s (10 distributors) … xl (1,000 distributors, ~3M interactions).
public enum DemoSize: String, CaseIterable, Sendable {
    case s, m, l, xl
}

/// What a demo generation wrote.
public struct DemoSummary: Sendable, Equatable {
    /// CSV file name → number of data rows (header excluded).
    public var rowCounts: [String: Int]

    public init(rowCounts: [String: Int]) {
        self.rowCounts = rowCounts
    }
}

/// Writes a complete bundle (all 13 CSV files of FORMATS.md) plus truth.json into `directory` (created if missing).
public func generateDemoBundle(size: DemoSize, seed: UInt64, into directory: URL) throws -> DemoSummary {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let world = DemoWorld(size: size, seed: seed)
    world.build()
    var counts: [String: Int] = [:]
    try world.writeDirectory(into: directory, counts: &counts)
    let dealings = try world.writeInteractions(into: directory, counts: &counts)
    try world.writePartnerships(into: directory, counts: &counts)
    try world.writeSales(into: directory, counts: &counts)
    try world.writeTruth(dealings, into: directory)
    return DemoSummary(rowCounts: counts)
}

/// How many of each thing a size gets.
struct DemoParameters {
    let distributors: Int
    let interactions: Int
    let partnerships: Int
    let atRisk: Int
    let deep: Int
    let orderSeekers: Int
    let transactional: Int
    let plantedMovers: Int
    let plantedCooling: Int
    let singleThreadedShare = 0.03
    let uncoveredShare = 0.02

    init(size: DemoSize) {
        switch size {
        case .s: distributors = 10; interactions = 2_000
        case .m: distributors = 50; interactions = 50_000
        case .l: distributors = 200; interactions = 500_000
        case .xl: distributors = 1_000; interactions = 3_000_000
        }
        let n = Double(distributors)
        if size == .s {
            partnerships = 2; atRisk = 1; deep = 2; orderSeekers = 2; transactional = 1
        } else {
            partnerships = Int((0.06 * n).rounded())
            atRisk = Int((0.03 * n).rounded())
            deep = Int((0.08 * n).rounded())
            orderSeekers = Int((0.06 * n).rounded())
            transactional = Int((0.15 * n).rounded())
        }
        plantedMovers = max(2, distributors / 40)
        plantedCooling = max(2, distributors / 10)
    }
}

/// The bundle's files and their header rows, exactly as FORMATS.md names them.
enum DemoColumns {
    static let territories = ["code", "name", "parent_code", "country"]
    static let organizations = ["key", "name", "kind", "country", "currency", "is_home"]
    static let branches = ["key", "organization_key", "name", "city", "country", "territory_code"]
    static let people = ["key", "name", "email", "phone", "country"]
    static let employments = ["person_key", "organization_key", "branch_key", "function", "title", "start_date", "end_date"]
    static let interactions = ["key", "date", "kind", "initiator_key", "participant_keys", "duration_minutes", "summary"]
    static let partnerships = ["key", "counterpart_key", "status", "commitment", "agreement_date", "signed_by_keys", "territory_codes", "notes"]
    static let goals = ["key", "partnership_key", "metric", "unit", "baseline", "target", "due_date", "owner_keys"]
    static let goalProgress = ["goal_key", "date", "value"]
    static let commitments = ["key", "partnership_key", "party_key", "asset", "amount", "unit", "currency", "due_date", "description"]
    static let contributions = ["commitment_key", "date", "amount", "confirmed_by_key", "note"]
    static let risks = ["partnership_key", "party_key", "description", "exposure_amount", "currency"]
    static let sales = ["period", "manufacturer_key", "branch_key", "product_line", "sell_in_amount", "sell_through_amount",
                        "manufacturer_gross_profit", "distributor_gross_profit", "currency"]
}

/// Counts the rows written to one CSV file.
final class DemoTable {
    let name: String
    private let writer: CSVWriter
    private(set) var rows = 0

    init(_ name: String, in directory: URL, header: [String]) throws {
        self.name = name
        writer = try CSVWriter(url: directory.appendingPathComponent(name), header: header)
    }

    func write(_ row: [String?]) throws {
        try writer.write(row)
        rows += 1
    }

    func close(into counts: inout [String: Int]) throws {
        try writer.close()
        counts[name] = rows
    }
}
