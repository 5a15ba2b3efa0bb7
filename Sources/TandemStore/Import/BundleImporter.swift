import FluentKit
import FluentPostgresDriver
import Foundation
import Metrics
import SQLKit
import Synchronization
import TandemCore

/// Loads a workspace bundle (FORMATS.md) in one transaction: every row is checked, every problem
/// reported as `file:line: column: message`, and nothing is written unless all rows are good.
public struct BundleImporter: Sendable {
    public var issueLimit = 200
    /// Checks everything and counts what would be created, then rolls back.
    public var dryRun = false
    public var progress: (@Sendable (ImportProgress) -> Void)?

    public init(issueLimit: Int = 200, dryRun: Bool = false, progress: (@Sendable (ImportProgress) -> Void)? = nil) {
        self.issueLimit = issueLimit
        self.dryRun = dryRun
        self.progress = progress
    }

    /// Carries a dry run's summary out of the transaction it rolls back.
    struct DryRunFinished: Error {
        var summary: ImportSummary
    }

    /// Imports the bundle in `directory` into the named workspace (created when missing).
    /// Throws `BundleRejected` with every problem when the bundle is not valid; the database is then unchanged.
    public func importBundle(from directory: URL, into database: any Database, workspace: String) async throws -> ImportSummary {
        let clock = ContinuousClock(), start = clock.now
        func record(_ result: String, rows: Int = 0) {
            Counter(label: "tandem_imports_total", dimensions: [("result", result)]).increment()
            Counter(label: "tandem_import_rows_total", dimensions: [("result", result)]).increment(by: rows)
            Metrics.Timer(label: "tandem_import_duration_seconds", dimensions: [("result", result)]).record(duration: clock.now - start)
        }
        do {
            // A server's other writes to the workspace wait for the import in the server, not on its
            // connections. A workspace the import creates has no other writers.
            let summary = if let workspaceID = try await WorkspaceRepository(database).find(named: workspace) {
                try await database.whileWriting(workspaceID: workspaceID) { try await load(from: directory, into: database, workspace: workspace) }
            } else {
                try await load(from: directory, into: database, workspace: workspace)
            }
            record(summary.dryRun ? "dry_run" : "imported", rows: summary.totalRows)
            return summary
        } catch {
            record(error is BundleRejected ? "rejected" : "failed")
            throw error
        }
    }

    private func load(from directory: URL, into database: any Database, workspace: String) async throws -> ImportSummary {
        let started = Date()
        let present = try Self.bundleFiles(in: directory)
        let unknown = Self.unknownCSVFiles(in: directory)
        var log = IssueLog(limit: issueLimit)
        guard present[.organizations] != nil else {
            log.add(file: BundleFile.organizations.fileName, line: 0, column: nil,
                    "missing: every bundle must have organizations.csv (looked in \(directory.path))")
            throw BundleRejected(errors: log, warnings: [])
        }
        let progress = self.progress
        let limit = issueLimit, dryRun = self.dryRun
        let sql = try database.sql()
        guard sql.dialect.name == "sqlite" else {
            do {
                // PostgreSQL's autovacuum refreshes the planner's statistics after a large change
                // on its own; an ANALYZE here would queue behind every other one on the database.
                let relay = CancellationRelay()
                return try await withTaskCancellationHandler {
                    try await database.transaction { transaction in
                        try await relay.run {
                            let sql = try transaction.sql()
                            if try await !Self.skipReferenceChecks(sql) {
                                sql.logger.info("the import checks every foreign key row by row: GRANT SET ON PARAMETER session_replication_role to the database user for imports about twice as fast")
                            }
                            let summary = try await Self.run(on: sql, files: present, unknown: unknown, workspace: workspace,
                                                             progress: progress, limit: limit, started: started, dryRun: dryRun)
                            if dryRun { throw DryRunFinished(summary: summary) }
                            return summary
                        }
                    }
                } onCancel: {
                    relay.cancel()
                }
            } catch let finished as DryRunFinished {
                return finished.summary
            }
        }
        // SQLite: a connection of the import's own to the same file, in one write transaction.
        guard let path = try await sql.raw("SELECT file FROM pragma_database_list WHERE name = 'main'").first()?
            .decode(column: "file", as: String.self), !path.isEmpty else {
            throw DirectSQLiteError(message: "an import needs the database in a file, not in memory")
        }
        let connection = try DirectSQLiteConnection(path: path)
        defer { connection.close() }
        // Foreign keys are off: the importer resolves every reference itself (against the bundle
        // and the workspace, inside the transaction) and reports each bad one; SQLite's check would
        // only repeat that work row by row. A large page cache and in-memory temporary storage keep
        // a big transaction from spilling pages to disk and reading them back.
        try connection.execute("""
            PRAGMA foreign_keys = OFF; PRAGMA synchronous = FULL; PRAGMA cache_size = -\(Self.importCacheKiB); \
            PRAGMA temp_store = MEMORY; BEGIN IMMEDIATE
            """)
        do {
            let direct = DirectSQLiteDatabase(connection: connection, logger: database.logger, eventLoop: database.eventLoop)
            let summary = try await Self.run(on: direct, files: present, unknown: unknown, workspace: workspace, progress: progress,
                                             limit: limit, started: started, dryRun: dryRun)
            try connection.execute(dryRun ? "ROLLBACK" : "COMMIT")
            if !dryRun {
                do {
                    // Sampled, so it takes milliseconds on millions of rows.
                    try connection.execute("PRAGMA analysis_limit = 1000; ANALYZE")
                } catch {
                    database.logger.warning("the import is in, but the planner's statistics were not refreshed: \(String(reflecting: error))")
                }
            }
            return summary
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// PostgreSQL checks each foreign key of each row with a query of its own: two thirds of an
    /// import's time on xl. The importer has already resolved every reference itself, within the
    /// workspace, holding the workspace's write lock (`WorkspaceRepository.beginWrite`) that every
    /// deletion also takes, so nothing it refers to can go before it commits. When the database
    /// user may set `session_replication_role` (a superuser, or on PostgreSQL 15 and later
    /// `GRANT SET ON PARAMETER session_replication_role TO …`), this transaction skips those
    /// checks (and any trigger: Tandem has none besides them). Returns false, with the checks on,
    /// when it may not.
    static func skipReferenceChecks(_ sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SAVEPOINT tandem_references").run()
        do {
            try await sql.raw("SET LOCAL session_replication_role = replica").run()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
            try await sql.raw("ROLLBACK TO SAVEPOINT tandem_references").run()
            return false
        }
        try await sql.raw("RELEASE SAVEPOINT tandem_references").run()
        return true
    }

    // After an import into SQLite the planner's statistics are refreshed (`ANALYZE`, sampled):
    // without them SQLite answers a rare person's latest interactions by walking every
    // interaction by date, 0.5 s on xl against milliseconds with them.

    /// The page cache of an import's SQLite connection.
    static let importCacheKiB = 131_072

    static func run(on sql: any SQLDatabase, files present: [BundleFile: URL], unknown: [BundleIssue], workspace: String,
                    progress: (@Sendable (ImportProgress) -> Void)?, limit: Int, started: Date, dryRun: Bool = false) async throws -> ImportSummary {
        try await WorkspaceRepository.lockForWrite(sql)
        let workspaceID = try await WorkspaceRepository(sql: sql).findOrCreate(named: workspace)
        // A new revision, and on PostgreSQL the workspace's row lock: imports into one workspace run
        // one at a time (in one server they already queue for the workspace's write gate, and one
        // that would wait longer than its patience is refused as busy).
        try await WorkspaceRepository.beginWrite(sql, workspaceID: workspaceID)
        let run = ImportRun(sql: sql, workspaceID: workspaceID, progress: progress, log: IssueLog(limit: limit))
        try await run.loadExistingKeys()
        var counts: [(file: String, count: Int)] = []
        var created: [String: Int] = [:]
        for file in BundleFile.allCases {
            guard let path = present[file] else { continue }
            let before = dryRun ? try await Self.rowCount(file, in: workspaceID, sql) : 0
            let count = try await run.load(file, path: path.path)
            counts.append((file.fileName, count))
            if dryRun { created[file.fileName] = try await Self.rowCount(file, in: workspaceID, sql) - before }
        }
        if !run.log.isEmpty {
            run.log.sortByPosition()
            throw BundleRejected(errors: run.log, warnings: unknown + run.warnings)
        }
        return ImportSummary(rows: counts, warnings: unknown + run.warnings, seconds: Date().timeIntervalSince(started),
                             created: created, dryRun: dryRun)
    }

    /// The rows of a bundle file's table in the workspace (each file has a table of its name).
    static func rowCount(_ file: BundleFile, in workspaceID: Int64, _ sql: any SQLDatabase) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(file.rawValue)
            .where("workspace_id", .equal, workspaceID).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The bundle files present in the folder, matched case-insensitively. Other files are ignored.
    static func bundleFiles(in directory: URL) throws -> [BundleFile: URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BundleRejected(errors: {
                var log = IssueLog()
                log.add(file: directory.path, line: 0, column: nil, "not a folder: a bundle is a folder of CSV files")
                return log
            }(), warnings: [])
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        var found: [BundleFile: URL] = [:]
        for name in names {
            if let file = BundleFile.allCases.first(where: { $0.fileName == name.lowercased() }) {
                found[file] = directory.appendingPathComponent(name)
            }
        }
        return found
    }

    /// CSV files in the folder that are not bundle files: probably a misspelt name, so worth a warning.
    static func unknownCSVFiles(in directory: URL) -> [BundleIssue] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let known = Set(BundleFile.allCases.map(\.fileName))
        return names.sorted().filter { $0.lowercased().hasSuffix(".csv") && !known.contains($0.lowercased()) }.map {
            BundleIssue(file: $0, line: 0, column: nil,
                        message: "not a bundle file, ignored (bundle files: \(BundleFile.allCases.map(\.fileName).joined(separator: ", ")))")
        }
    }
}

/// Fluent runs a transaction's body as a task of its own, which the caller's cancellation does not
/// reach; the relay passes it on, so a stopped import ends at its next batch and rolls back.
final class CancellationRelay: Sendable {
    private let state = Mutex<(cancelled: Bool, cancel: (@Sendable () -> Void)?)>((false, nil))

    func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await work() }
        let cancelled = state.withLock { state in
            state.cancel = { task.cancel() }
            return state.cancelled
        }
        if cancelled { task.cancel() }
        return try await task.value
    }

    func cancel() {
        state.withLock { state in
            state.cancelled = true
            return state.cancel
        }?()
    }
}
