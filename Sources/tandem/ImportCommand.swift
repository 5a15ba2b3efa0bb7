import ArgumentParser
import Foundation
import TandemCore
import TandemStore

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a bundle folder (FORMATS.md) into a workspace: all rows or none.",
        discussion: "Every bad row is reported as file:line: column: message and nothing is written. Rows are upserted by key, so importing the same bundle twice changes nothing."
    )

    @OptionGroup var data: DataOptions

    @Option(help: "Report at most this many problems (the rest are counted).")
    var maxErrors: Int = 200

    @Argument(help: "The bundle folder.")
    var directory: String

    func validate() throws {
        guard maxErrors >= 1 else { throw ValidationError("--max-errors must be at least 1") }
    }

    func run() async throws {
        let store = try await Store.open(data.location, logger: commandLogger())
        let importer = BundleImporter(issueLimit: maxErrors) { progress in
            if progress.finished {
                if progress.rows >= 10_000 {
                    printError("\(progress.file): \(progress.rows) rows done, \(Int(progress.rowsPerSecond)) rows/s")
                }
            } else {
                printError("\(progress.file): \(progress.rows) rows, \(Int(progress.rowsPerSecond)) rows/s")
            }
        }
        do {
            let summary = try await importer.importBundle(from: URL(fileURLWithPath: directory), into: store.database, workspace: data.workspace)
            for warning in summary.warnings { printError("warning: \(warning)") }
            let perFile = summary.rows.map { "\($0.file) \($0.count)" }.joined(separator: ", ")
            print("imported \(summary.totalRows) rows into workspace \"\(data.workspace)\" in \(String(format: "%.1f", summary.seconds)) s (\(perFile))")
            try await auditFromCommandLine(store, workspace: data.workspace, action: "import", detail: "\(summary.totalRows) rows from \(directory)")
            await store.shutdown()
        } catch let rejected as BundleRejected {
            for warning in rejected.warnings { printError("warning: \(warning)") }
            printError(rejected.errors.report)
            printError("import refused: \(rejected.errors.total) problem\(rejected.errors.total == 1 ? "" : "s"); nothing was changed")
            await store.shutdown()
            throw ExitCode(1)
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a workspace out as a bundle folder.")

    @OptionGroup var data: DataOptions

    @Argument(help: "The folder to write (created when missing; bundle files in it are replaced).")
    var directory: String

    func run() async throws {
        let store = try await Store.open(data.location, logger: commandLogger())
        do {
            let counts = try await BundleExporter().exportBundle(workspace: data.workspace, from: store.database,
                                                                 to: URL(fileURLWithPath: directory))
            print("exported workspace \"\(data.workspace)\" to \(directory): " + counts.map { "\($0.file) \($0.count)" }.joined(separator: ", "))
            try await auditFromCommandLine(store, workspace: data.workspace, action: "export",
                                           detail: "\(counts.map(\.count).reduce(0, +)) rows to \(directory)")
            await store.shutdown()
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

struct Workspaces: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the workspaces of a database.")

    @Option(name: .long, help: ArgumentHelp("SQLite file or postgres:// URL.", valueName: "path-or-url"))
    var db: String?

    func run() async throws {
        let store = try await Store.open(DatabaseLocation.resolve(explicit: db), logger: commandLogger())
        let names = try await WorkspaceRepository(store.database).names()
        await store.shutdown()
        names.forEach { print($0) }
    }
}
