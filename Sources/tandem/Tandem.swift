import ArgumentParser
import Foundation
import Logging
import TandemCore
import TandemWorkspace

@main
struct Tandem: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tandem",
        abstract: "Channel relationships and partnerships: who deals with whom, and which counterparts are true partners.",
        subcommands: [Serve.self, Import.self, Export.self, BackupCommand.self, RestoreCommand.self, Demo.self, Workspaces.self, Assess.self, Coverage.self, Alerts.self, Sales.self, Economics.self, Plan.self, LeadLagCommand.self, PartnershipCommand.self, UserCommand.self, TokenCommand.self, AuditCommand.self, Duplicates.self, Merge.self]
    )
}

/// The options every verb that touches data takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite file or postgres:// URL (default: $TANDEM_DB, a postgres $DATABASE_URL, else ./tandem.sqlite).", valueName: "path-or-url"))
    var db: String?

    @Option(name: .long, help: "Workspace name.")
    var workspace: String = "default"

    var location: DatabaseLocation { DatabaseLocation.resolve(explicit: db) }

    func validate() throws {
        guard !workspace.trimmingCharacters(in: .whitespaces).isEmpty, workspace.count <= 128 else {
            throw ValidationError("--workspace must be 1 to 128 characters")
        }
    }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// A quiet logger for command-line verbs: warnings and errors only.
func commandLogger() -> Logger {
    var logger = Logger(label: "tandem")
    logger.logLevel = .warning
    return logger
}
