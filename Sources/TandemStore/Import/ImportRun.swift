import Foundation
import SQLKit
import TandemCore

/// The state of one import inside its transaction: key maps, rejected keys and the issue log.
final class ImportRun {
    let sql: any SQLDatabase
    let workspaceID: Int64
    let progress: (@Sendable (ImportProgress) -> Void)?
    var log: IssueLog
    var warnings: [BundleIssue] = []

    /// key → id for the workspace, per referenced table, loaded after each file is written.
    var territories: [String: Int64] = [:]
    var organizations: [String: Int64] = [:]
    var branches: [String: Int64] = [:]
    var people: [String: Int64] = [:]
    var partnerships: [String: Int64] = [:]
    var goals: [String: Int64] = [:]
    var commitments: [String: Int64] = [:]
    /// Facts needed by later checks.
    var homeOrganizationID: Int64?
    var branchOrganization: [Int64: Int64] = [:]
    var partnershipCounterpart: [Int64: Int64] = [:]
    var commitmentParty: [Int64: (partnership: Int64, party: Int64)] = [:]
    var organizationKinds: [Int64: OrganizationKind] = [:]
    /// Keys whose own rows were rejected: references to them are not reported again.
    var rejected: [BundleFile: Set<String>] = [:]

    init(sql: any SQLDatabase, workspaceID: Int64, progress: (@Sendable (ImportProgress) -> Void)?, log: IssueLog) {
        self.sql = sql
        self.workspaceID = workspaceID
        self.progress = progress
        self.log = log
    }

    /// Reads, checks and writes one file; returns its data row count.
    func load(_ file: BundleFile, path: String) async throws -> Int {
        var reader = try BundleRowReader(file: file, path: path, log: &log)
        defer { warnings.append(contentsOf: reader.warnings) }
        let meter = ProgressMeter(file: file.fileName, report: progress)
        let count: Int
        switch file {
        case .territories: count = try await loadTerritories(&reader, meter)
        case .organizations: count = try await loadOrganizations(&reader, meter)
        case .branches: count = try await loadBranches(&reader, meter)
        case .people: count = try await loadPeople(&reader, meter)
        case .employments: count = try await loadEmployments(&reader, meter)
        case .interactions: count = try await loadInteractions(&reader, meter)
        case .partnerships: count = try await loadPartnerships(&reader, meter)
        case .goals: count = try await loadGoals(&reader, meter)
        case .goalProgress: count = try await loadGoalProgress(&reader, meter)
        case .commitments: count = try await loadCommitments(&reader, meter)
        case .contributions: count = try await loadContributions(&reader, meter)
        case .risks: count = try await loadRisks(&reader, meter)
        case .sales: count = try await loadSales(&reader, meter)
        }
        meter.finish(rows: count)
        return count
    }

    /// Records the row's own issues; true when the row is usable.
    func accept(_ row: BundleRow) -> Bool {
        for issue in row.issues { log.add(issue) }
        return row.isValid
    }

    /// Resolves a reference, reporting an unknown key unless its own row was already reported.
    func resolve(_ key: String, in map: [String: Int64], file: BundleFile, what: String, row: inout BundleRow, column: String) -> Int64? {
        if let id = map[key] { return id }
        if rejected[file]?.contains(key) != true {
            row.fail(column, "unknown \(what) \"\(key)\": not in \(file.fileName) nor already in the workspace")
        } else {
            row.fail(column, "refers to \(what) \"\(key)\" whose own row has errors")
        }
        return nil
    }

    func reject(_ key: String?, of file: BundleFile) {
        guard let key else { return }
        rejected[file, default: []].insert(key)
    }

    /// Loads key → id for a table of this workspace.
    func keyMap(_ table: String, keyColumn: String = "key") async throws -> [String: Int64] {
        var map: [String: Int64] = [:]
        let rows = try await sql.select().column(SQLColumn(keyColumn)).column("id").from(table)
            .where("workspace_id", .equal, workspaceID).all()
        map.reserveCapacity(rows.count)
        for row in rows {
            map[try row.decode(column: keyColumn, as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        return map
    }

    /// Inserts or updates rows by their natural key, in statements of bounded size.
    @discardableResult
    func upsert(_ table: String, columns: [String], conflict: [String], rows: [[any SQLExpression]],
                returning: [String] = []) async throws -> [any SQLRow] {
        guard !rows.isEmpty else { return [] }
        let perStatement = max(1, min(1000, 30_000 / columns.count))
        var output: [any SQLRow] = []
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            let insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { insert.values(row) }
            let updated = columns.filter { !conflict.contains($0) }
            insert.onConflict(with: conflict) { update in
                var update = update
                for column in updated { update = update.set(excludedValueOf: column) }
                return update
            }
            if returning.isEmpty {
                try await insert.run()
            } else {
                output.append(contentsOf: try await insert.returning(returning.map { SQLColumn($0) }).all())
            }
            start = end
        }
        return output
    }

    /// Replaces the rows of a link table (signatories, owners, participants) for the given parents.
    func replaceLinks(_ table: String, parentColumn: String, childColumn: String, links: [Int64: [Int64]], positioned: Bool) async throws {
        guard !links.isEmpty else { return }
        let parents = Array(links.keys)
        for chunk in stride(from: 0, to: parents.count, by: 5000) {
            let ids = parents[chunk..<min(parents.count, chunk + 5000)].map { SQLBind($0) }
            try await sql.delete(from: table).where(SQLColumn(parentColumn), .in, SQLGroupExpression(SQLList(ids))).run()
        }
        var rows: [[any SQLExpression]] = []
        for (parent, children) in links {
            for (position, child) in children.enumerated() {
                rows.append(positioned ? [SQLBind(parent), SQLBind(child), SQLBind(Int64(position))] : [SQLBind(parent), SQLBind(child)])
            }
        }
        let columns = positioned ? [parentColumn, childColumn, "position"] : [parentColumn, childColumn]
        let perStatement = 30_000 / columns.count
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(rows.count, start + perStatement)] { insert.values(row) }
            try await insert.run()
        }
    }
}

/// Reports rows done and rows per second at most once a second, and once at the end of large files.
final class ProgressMeter {
    let file: String
    let report: (@Sendable (ImportProgress) -> Void)?
    let started = Date()
    var lastReport = Date()
    var reportedAny = false

    init(file: String, report: (@Sendable (ImportProgress) -> Void)?) {
        self.file = file
        self.report = report
    }

    func tick(rows: Int) {
        guard let report, rows % 1000 == 0 else { return }
        let now = Date()
        guard now.timeIntervalSince(lastReport) >= 1 else { return }
        lastReport = now
        reportedAny = true
        report(ImportProgress(file: file, rows: rows, rowsPerSecond: Double(rows) / max(now.timeIntervalSince(started), 0.001), finished: false))
    }

    func finish(rows: Int) {
        guard let report else { return }
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        report(ImportProgress(file: file, rows: rows, rowsPerSecond: Double(rows) / elapsed, finished: true))
    }
}

/// A nullable value for a bind.
func bind<T: Encodable & Sendable>(_ value: T?) -> any SQLExpression {
    if let value { return SQLBind(value) }
    return SQLLiteral.null
}
