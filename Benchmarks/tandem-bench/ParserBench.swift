import ArgumentParser
import Foundation
import TandemCore

/// Tandem's own CSV reader against CSV.swift on the same file.
struct ParserBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "csv", abstract: "CSV parsing rows/s: Tandem's reader against CSV.swift.")

    @Option(help: "Demo size whose interactions.csv is parsed.")
    var size: String = "m"

    func run() async throws {
        printTable(try await figures())
    }

    /// The figures of this benchmark, each with its baseline.
    func figures() async throws -> [Figure] {
        guard let demoSize = DemoSize(rawValue: size) else { throw ValidationError("--size must be s, m, l or xl") }
        let work = try scratchFolder("csv")
        defer { try? FileManager.default.removeItem(at: work) }
        _ = try generateDemoBundle(size: demoSize, seed: 1, into: work)
        let path = work.appendingPathComponent("interactions.csv").path
        var ours = 0
        let oursSeconds = try await measure {
            var reader = try CSVReader(path: path)
            while let record = try reader.next() { ours += record.fields.count > 0 ? 1 : 0 }
        }
        var theirs = 0
        let theirsSeconds = try await measure {
            theirs = try countRecordsWithCSVSwift(path: path)
        }
        guard ours == theirs else { throw ValidationError("the parsers disagree: \(ours) against \(theirs) records") }
        return [Figure(name: "CSV records/s (interactions.csv)", value: Double(ours) / oursSeconds,
                       baseline: Double(theirs) / theirsSeconds, baselineName: "CSV.swift", unit: "rec/s")]
    }
}
