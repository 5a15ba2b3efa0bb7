import ArgumentParser
import Foundation
import TandemCore
import TandemWorkspace

extension BackupFormat: ExpressibleByArgument {}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database to a new file, while servers keep running.",
        discussion: """
            SQLite (the default there): the whole database, every workspace with its users, tokens and audit \
            trail, as one SQLite file. --format bundle (the only one for PostgreSQL): the workspace as a bundle \
            in a zip archive, exported from one snapshot. The file appears only when the copy is whole. \
            tandem restore brings it back.
            """
    )

    @OptionGroup var data: DataOptions

    @Option(help: "sqlite (SQLite databases; the default there) or bundle (one workspace; the default on PostgreSQL).")
    var format: BackupFormat?

    @Argument(help: "The backup file to write; it must not exist yet.")
    var file: String

    func run() async throws {
        let location = data.location
        let format = format ?? { if case .sqlite = location { return .sqlite } else { return .bundle } }()
        let clock = ContinuousClock(), start = clock.now
        do {
            let summary = try await TandemWorkspace.backup(format, of: location, workspace: data.workspace, to: URL(fileURLWithPath: file),
                                                           actor: commandLineActor, logger: commandLogger())
            let what = format == .sqlite ? "the whole database" : "workspace \"\(data.workspace)\" (\(summary.rows ?? 0) rows)"
            print("backed up \(what) to \(file): \(summary.bytes.formatted()) bytes in \(String(format: "%.1f", (clock.now - start) / .seconds(1))) s")
        } catch let failure as BackupFailure {
            printError("backup failed: \(failure)")
            throw ExitCode(1)
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Bring a backup back: an SQLite backup replaces the whole SQLite database, a bundle backup fills a new workspace.",
        discussion: """
            An SQLite backup is checked (PRAGMA integrity_check, Tandem's tables) and copied over the database \
            in one step: servers running on it see the old data or the restored data, never a mix, and drop what \
            they had cached. A bundle backup is imported, all or nothing, into --workspace, which must be new or empty.
            """
    )

    @OptionGroup var data: DataOptions

    @Argument(help: "The backup file (from tandem backup).")
    var file: String

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            printError("\(file): no such file")
            throw ExitCode(1)
        }
        let clock = ContinuousClock(), start = clock.now
        do {
            let summary = try await TandemWorkspace.restore(from: URL(fileURLWithPath: file), into: data.location, workspace: data.workspace,
                                                            actor: commandLineActor, logger: commandLogger())
            let seconds = String(format: "%.1f", (clock.now - start) / .seconds(1))
            switch summary.format {
            case .sqlite: print("restored the whole database from \(file) in \(seconds) s")
            case .bundle: print("restored \(summary.rows ?? 0) rows into workspace \"\(data.workspace)\" from \(file) in \(seconds) s")
            }
        } catch let failure as BackupFailure {
            printError("restore refused: \(failure)")
            throw ExitCode(1)
        } catch let rejected as BundleRejected {
            printError(rejected.errors.report)
            printError("restore refused: \(rejected.errors.total) problem\(rejected.errors.total == 1 ? "" : "s"); nothing was changed")
            throw ExitCode(1)
        }
    }
}
