import ArgumentParser
import Foundation
import Logging
import TandemCore
import TandemStore

/// Import speed against the sqlite3 tool's `.import` of the same CSV files into unindexed tables,
/// and with `--postgres`, against `psql \copy` of them into unindexed tables of PostgreSQL.
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Bundle import rows/s against sqlite3 .import (and psql \\copy).")

    @Option(help: "Demo size to generate: s, m, l or xl.")
    var size: String = "l"

    @Option(help: "Use this bundle folder instead of generating one.")
    var bundle: String?

    @Option(help: "Rounds of baseline then Tandem; the medians are compared, since machines are noisy.")
    var runs: Int = 3

    @Option(help: "A postgres:// URL of a user who may create databases: also measure PostgreSQL against psql \\copy, each round in scratch databases.")
    var postgres: String?

    func run() async throws {
        printTable(try await figures())
    }

    /// The figures of this benchmark, each with its baseline.
    func figures() async throws -> [Figure] {
        guard let sqlite3 = findExecutable("sqlite3") else {
            throw ValidationError("the baseline needs the sqlite3 command-line tool (apt-get install sqlite3)")
        }
        let work = try scratchFolder("import")
        defer { try? FileManager.default.removeItem(at: work) }
        let folder: URL
        if let bundle {
            folder = URL(fileURLWithPath: bundle)
        } else {
            guard let demoSize = DemoSize(rawValue: size) else { throw ValidationError("--size must be s, m, l or xl") }
            folder = work.appendingPathComponent("bundle")
            let seconds = try await measure { _ = try generateDemoBundle(size: demoSize, seed: 1, into: folder) }
            print("generated the \(size) demo in \(String(format: "%.1f", seconds)) s")
        }
        let files = BundleFile.allCases.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0.fileName).path) }
        var rows = 0
        for file in files { rows += try countRows(folder.appendingPathComponent(file.fileName)) }
        print("\(rows) data rows in \(files.count) files")

        // Baseline: sqlite3 .import into tables without indexes or constraints.
        var script = ""
        for file in files {
            script += "CREATE TABLE \(file.rawValue) (\(file.header.map { "\"\($0)\" TEXT" }.joined(separator: ", ")));\n"
        }
        for file in files {
            script += ".import --csv --skip 1 '\(folder.appendingPathComponent(file.fileName).path)' \(file.rawValue)\n"
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        var baselineTimes: [Double] = []
        var tandemTimes: [Double] = []
        for round in 1...max(1, runs) {
            let baselineDB = work.appendingPathComponent("baseline-\(round).sqlite").path
            let baselineSeconds = try await measure {
                let result = try runProcess(sqlite3, [baselineDB], input: script)
                if result.status != 0 { throw ValidationError("sqlite3 failed: \(result.output)") }
            }
            try? FileManager.default.removeItem(atPath: baselineDB)

            // Tandem: the real import, one transaction, every check.
            let tandemDB = work.appendingPathComponent("tandem-\(round).sqlite").path
            let store = try await Store.open(.sqlite(path: tandemDB), logger: logger)
            let tandemSeconds = try await measure {
                _ = try await BundleImporter().importBundle(from: folder, into: store.database, workspace: "bench")
            }
            await store.shutdown()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: tandemDB + suffix) }
            print("round \(round): sqlite3 .import \(String(format: "%.2f", baselineSeconds)) s, tandem import \(String(format: "%.2f", tandemSeconds)) s")
            baselineTimes.append(baselineSeconds)
            tandemTimes.append(tandemSeconds)
        }
        let baselineSeconds = median(baselineTimes), tandemSeconds = median(tandemTimes)
        var figures = [Figure(name: "import rows/s (SQLite, \(bundle == nil ? size : "bundle"))", value: Double(rows) / tandemSeconds,
                              baseline: Double(rows) / baselineSeconds, baselineName: "sqlite3 .import", unit: "rows/s")]
        if let postgres {
            let (baseline, tandem) = try await postgresSeconds(postgres, folder: folder, files: files, logger: logger)
            figures.append(Figure(name: "import rows/s (PostgreSQL, \(bundle == nil ? size : "bundle"))", value: Double(rows) / tandem,
                                  baseline: Double(rows) / baseline, baselineName: "psql \\copy", unit: "rows/s"))
        }
        return figures
    }

    /// Median seconds of `psql \copy` into unindexed text tables and of Tandem's import, each
    /// round into new scratch databases next to the one `url` names, dropped afterwards.
    func postgresSeconds(_ url: String, folder: URL, files: [BundleFile], logger: Logger) async throws -> (baseline: Double, tandem: Double) {
        guard let psql = findExecutable("psql") else {
            throw ValidationError("the PostgreSQL baseline needs the psql command-line tool (apt-get install postgresql-client)")
        }
        guard var components = URLComponents(string: url), components.scheme?.hasPrefix("postgres") == true else {
            throw ValidationError("--postgres must be a postgres:// URL")
        }
        func database(_ name: String) -> String {
            components.path = "/" + name
            return components.string!
        }
        let admin = url
        func run(_ arguments: [String], input: String? = nil) throws {
            let result = try runProcess(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1"] + arguments, input: input)
            if result.status != 0 { throw ValidationError("psql failed: \(result.output)") }
        }
        var script = ""
        for file in files {
            script += "CREATE TABLE \(file.rawValue) (\(file.header.map { "\"\($0)\" TEXT" }.joined(separator: ", ")));\n"
        }
        for file in files {
            script += "\\copy \(file.rawValue) FROM '\(folder.appendingPathComponent(file.fileName).path)' WITH (FORMAT csv, HEADER true)\n"
        }
        let scratch = "tandem_bench_\(ProcessInfo.processInfo.processIdentifier)"
        var baselineTimes: [Double] = []
        var tandemTimes: [Double] = []
        for round in 1...max(1, runs) {
            try run([admin, "-c", "DROP DATABASE IF EXISTS \(scratch)", "-c", "CREATE DATABASE \(scratch)"])
            let baselineSeconds = try await measure { try run([database(scratch)], input: script) }
            try run([admin, "-c", "DROP DATABASE \(scratch)", "-c", "CREATE DATABASE \(scratch)"])
            let store = try await Store.open(.postgres(url: database(scratch)), logger: logger)
            let tandemSeconds: Double
            do {
                tandemSeconds = try await measure {
                    _ = try await BundleImporter().importBundle(from: folder, into: store.database, workspace: "bench")
                }
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
            try run([admin, "-c", "DROP DATABASE \(scratch)"])
            print("round \(round): psql \\copy \(String(format: "%.2f", baselineSeconds)) s, tandem import into PostgreSQL \(String(format: "%.2f", tandemSeconds)) s")
            baselineTimes.append(baselineSeconds)
            tandemTimes.append(tandemSeconds)
        }
        return (median(baselineTimes), median(tandemTimes))
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Data rows of a CSV file (records minus the header), counted with Tandem's reader.
    func countRows(_ url: URL) throws -> Int {
        var reader = try CSVReader(path: url.path)
        var count = -1
        while try reader.next() != nil { count += 1 }
        return max(count, 0)
    }
}
