import ArgumentParser
import Foundation
import Logging
import TandemCore
import TandemStore

@main
struct TandemBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tandem-bench",
        abstract: "Tandem's performance harness: every figure beside a baseline measured in the same run.",
        subcommands: [AllBenches.self, ImportBench.self, AssessBench.self, ParserBench.self]
    )
}

/// `tandem-bench all`: every benchmark on one demo size, then one table of all the figures.
struct AllBenches: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Every benchmark, then one table: each figure, its baseline from the same run, the ratio.")

    @Option(help: "Demo size: s, m, l or xl.")
    var size: String = "l"

    @Option(help: "A postgres:// URL of a user who may create databases: the import is also measured on PostgreSQL.")
    var postgres: String?

    func run() async throws {
        guard DemoSize(rawValue: size) != nil else { throw ValidationError("--size must be s, m, l or xl") }
        var figures: [Figure] = []
        print("== import")
        figures += try await ImportBench.parse(["--size", size] + (postgres.map { ["--postgres", $0] } ?? [])).figures()
        print("== assessment")
        figures += try await AssessBench.parse(["--size", size]).figures()
        print("== CSV parser")
        figures += try await ParserBench.parse(["--size", size]).figures()
        printTable(figures)
    }
}

/// One line of the results table.
struct Figure {
    var name: String
    var value: Double
    var baseline: Double
    var baselineName: String
    var unit: String

    var ratio: Double { value / baseline }
}

func printTable(_ figures: [Figure]) {
    print("")
    print("figure".padding(toLength: 34, withPad: " ", startingAt: 0) + "value".leftPad(16) + "  baseline".padding(toLength: 44, withPad: " ", startingAt: 0) + "ratio".leftPad(8))
    for figure in figures {
        let value = "\(formatFigure(figure.value)) \(figure.unit)"
        let baseline = "\(formatFigure(figure.baseline)) \(figure.unit) (\(figure.baselineName))"
        print(figure.name.padding(toLength: 34, withPad: " ", startingAt: 0) + value.leftPad(16) + "  " + baseline.padding(toLength: 42, withPad: " ", startingAt: 0)
              + String(format: "%.2f×", figure.ratio).leftPad(8))
    }
}

/// Three significant digits for small values, whole numbers from 100 up.
func formatFigure(_ value: Double) -> String {
    String(format: value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.3g", value)
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// Seconds taken by `body`.
func measure(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func runProcess(_ executable: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let inputPipe = Pipe()
    if input != nil { process.standardInput = inputPipe }
    try process.run()
    if let input {
        inputPipe.fileHandleForWriting.write(Data(input.utf8))
        try inputPipe.fileHandleForWriting.close()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func findExecutable(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let path = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

func scratchFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Peak resident memory of this process, in MiB, since it started or since the last
/// `resetPeakMemory()` (Linux's VmHWM); nil where /proc is not there.
func peakMemoryMiB() -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kib / 1024
}

/// Starts the peak over from the current resident size (writing 5 to /proc/self/clear_refs).
func resetPeakMemory() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

func formatMiB(_ value: Double?) -> String {
    value.map { String(format: "%.0f MiB", $0) } ?? "unknown"
}
