import ArgumentParser
import Foundation
import TandemCore

extension DemoSize: ExpressibleByArgument {}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a realistic, deterministic demo bundle (with truth.json of the planted situations).",
        discussion: "Sizes: s = 10 distributors and ~2k interactions, m = 50 and ~50k, l = 200 and ~500k, xl = 1,000, 20k people, ~3M interactions and ~1M sales rows."
    )

    @Option(help: "s, m, l or xl.")
    var size: DemoSize = .m

    @Option(help: "Seed: the same seed gives byte-identical files.")
    var seed: UInt64 = 1

    @Argument(help: "The folder to write.")
    var directory: String

    func run() async throws {
        let started = Date()
        let summary = try generateDemoBundle(size: size, seed: seed, into: URL(fileURLWithPath: directory))
        let total = summary.rowCounts.values.reduce(0, +)
        print("wrote the \(size.rawValue) demo (seed \(seed)) to \(directory): \(total) rows in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
