import Foundation
import SQLKit
import TandemCore

/// The state of one import inside its transaction: key maps, rejected keys and the issue log.
final class ImportRun {
    let sql: any SQLDatabase
    let writer: BulkWriter
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
    var organizationKinds: [Int64: OrganizationKind?] = [:]
    /// Columns (and link tables) of the current file's table that its header leaves out: existing
    /// rows keep their stored values for them instead of losing them.
    var kept: Set<String> = []
    /// Keys whose own rows were rejected: references to them are not reported again.
    var rejected: [BundleFile: Set<String>] = [:]

    init(sql: any SQLDatabase, workspaceID: Int64, progress: (@Sendable (ImportProgress) -> Void)?, log: IssueLog) {
        self.sql = sql
        self.writer = BulkWriter(sql)
        self.workspaceID = workspaceID
        self.progress = progress
        self.log = log
    }

    /// Reads, checks and writes one file; returns its data row count.
    func load(_ file: BundleFile, path: String) async throws -> Int {
        var reader = try BundleRowReader(file: file, path: path, log: &log)
        defer { warnings.append(contentsOf: reader.warnings) }
        let meter = ProgressMeter(file: file.fileName, url: URL(fileURLWithPath: path), report: progress)
        kept = Set((Self.optionalColumns[file] ?? []).filter { !reader.has($0.bundle) }.map(\.stored))
        let count: Int
        switch file {
        case .territories: count = try await loadTerritories(&reader, meter)
        case .organizations: count = try await loadOrganizations(&reader, meter)
        case .branches: count = try await loadBranches(&reader, meter)
        case .people: count = try await loadPeople(&reader, meter)
        case .employments: count = try await loadEmployments(&reader, meter)
        case .interactions: count = try await loadInteractions(&reader, path: path, meter)
        case .partnerships: count = try await loadPartnerships(&reader, meter)
        case .goals: count = try await loadGoals(&reader, meter)
        case .goalProgress: count = try await loadGoalProgress(&reader, meter)
        case .commitments: count = try await loadCommitments(&reader, meter)
        case .contributions: count = try await loadContributions(&reader, meter)
        case .risks: count = try await loadRisks(&reader, meter)
        case .partnershipEvents: count = try await loadPartnershipEvents(&reader, meter)
        case .reviews: count = try await loadReviews(&reader, meter)
        case .sales: count = try await loadSales(&reader, path: path, meter)
        }
        meter.finish(rows: count)
        return count
    }

    /// Optional bundle columns and where each is stored (a column, or a link table).
    static let optionalColumns: [BundleFile: [(bundle: String, stored: String)]] = [
        .territories: [("parent_code", "parent_id"), ("country", "country")],
        .organizations: [("country", "country"), ("currency", "currency"), ("is_home", "is_home")],
        .branches: [("city", "city"), ("country", "country"), ("territory_code", "territory_id")],
        .people: [("email", "email"), ("phone", "phone"), ("country", "country")],
        .employments: [("branch_key", "branch_id"), ("title", "title"), ("end_date", "end_date")],
        .interactions: [("duration_minutes", "duration_minutes"), ("summary", "summary")],
        .partnerships: [("agreement_date", "agreement_date"), ("notes", "notes"),
                        ("signed_by_keys", "partnership_signatories"), ("territory_codes", "partnership_territories")],
        .goals: [("unit", "unit"), ("baseline", "baseline"), ("due_date", "due_date"), ("owner_keys", "goal_owners")],
        .commitments: [("unit", "unit"), ("currency", "currency"), ("due_date", "due_date"), ("description", "description")],
        .contributions: [("confirmed_by_key", "confirmed_by_id"), ("note", "note")],
        .risks: [("exposure_amount", "exposure_amount"), ("currency", "currency")],
        .partnershipEvents: [("note", "note")],
        .reviews: [("attendee_keys", "review_attendees"), ("notes", "notes")],
        .sales: [("sell_in_amount", "sell_in_amount"), ("sell_through_amount", "sell_through_amount"),
                 ("manufacturer_gross_profit", "manufacturer_gross_profit"),
                 ("distributor_gross_profit", "distributor_gross_profit"), ("currency", "currency")],
    ]

    /// Records the row's own issues; true when the row is usable.
    func accept(_ row: BundleRow) -> Bool {
        for issue in row.issues { log.add(issue) }
        return row.isValid
    }

    /// Resolves a reference, reporting an unknown key unless its own row was already reported.
    func resolve(_ key: String, in map: [String: Int64], file: BundleFile, what: String, row: inout BundleRow, column: String) -> Int64? {
        Self.resolve(key, in: map, rejected: rejected[file], file: file, what: what, row: &row, column: column)
    }

    static func resolve(_ key: String, in map: [String: Int64], rejected: Set<String>?, file: BundleFile, what: String,
                        row: inout BundleRow, column: String) -> Int64? {
        if let id = map[key] { return id }
        if rejected?.contains(key) != true {
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
    func upsert(_ table: String, columns: [String], conflict: [String], rows: [[BulkValue]],
                returning: [String] = []) async throws -> [ReturnedRow] {
        let perStatement = BulkWriter.perStatement(columns: columns.count)
        var output: [ReturnedRow] = []
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            output += try await writer.insert(table, columns: columns, conflict: conflict, keep: kept,
                                              rows: rows[start..<min(rows.count, start + perStatement)], returning: returning)
        }
        return output
    }

    /// Replaces the rows of a link table (signatories, owners, participants) for the given parents.
    func replaceLinks(_ table: String, parentColumn: String, childColumn: String, links: [Int64: [Int64]], positioned: Bool,
                      existedBefore: (Int64) -> Bool = { _ in true }) async throws {
        guard !links.isEmpty, !kept.contains(table) else { return }
        let stale = links.keys.filter(existedBefore)
        if !stale.isEmpty { try await writer.delete(from: table, where: parentColumn, in: stale) }
        var rows: [[BulkValue]] = []
        for (parent, children) in links {
            for (position, child) in children.enumerated() {
                rows.append(positioned ? [.int(parent), .int(child), .int(Int64(position))] : [.int(parent), .int(child)])
            }
        }
        let columns = positioned ? [parentColumn, childColumn, "position"] : [parentColumn, childColumn]
        try await upsert(table, columns: columns, conflict: [], rows: rows)
    }
}
