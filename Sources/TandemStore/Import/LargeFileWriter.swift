import SQLKit

/// Writes the rows of a large file (interactions, sales) batch by batch, and finds the rows that
/// repeat an identity an earlier batch already wrote, with memory for one batch only.
///
/// When the workspace has no rows in the table yet, as on a first import, every row is new: the
/// writer gives rows their ids itself and inserts them without an upsert, and a repeat shows up
/// as a row the table's unique constraint turned away. Otherwise each batch is an upsert by the
/// row's natural key that returns the ids written, and `InsertionWatch` tells repeats from updates.
final class LargeFileWriter {
    struct Written {
        var id: Int64
        var row: PreparedRow
        /// Whether the row existed before this import (its links are then replaced, not added).
        var existed: Bool
    }

    private enum Strategy {
        case append(nextID: Int64?)
        case upsert(InsertionWatch)
    }

    let run: ImportRun
    let table: String
    let columns: [String]
    let conflict: [String]
    private let identity: (returning: [String], of: (ReturnedRow) throws -> String)
    private var strategy: Strategy

    /// `identity` names the columns an upsert returns besides `id` and how they make a row's identity.
    init(run: ImportRun, table: String, columns: [String], conflict: [String],
         identity: (returning: [String], of: (ReturnedRow) throws -> String)) async throws {
        self.run = run
        self.table = table
        self.columns = columns
        self.conflict = conflict
        self.identity = identity
        let any = try await run.sql.raw("SELECT 1 AS found FROM \(ident: table) WHERE workspace_id = \(bind: run.workspaceID) LIMIT 1").first()
        strategy = any == nil ? .append(nextID: nil) : .upsert(try await InsertionWatch(table: table, sql: run.sql))
    }

    /// Writes `rows` (each identity once) and returns what was written; `repeated` are the rows
    /// whose identity an earlier batch already wrote, which are not written again.
    func write(_ rows: [PreparedRow]) async throws -> (written: [Written], repeated: [PreparedRow]) {
        guard !rows.isEmpty else { return ([], []) }
        let perStatement = BulkWriter.perStatement(columns: columns.count + 1)
        var written: [Written] = []
        written.reserveCapacity(rows.count)
        var repeated: [PreparedRow] = []
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            switch strategy {
            case .append:
                let ids = try await reserveIDs(chunk.count)
                let landed = try await run.writer.insertNew(table, columns: columns, rows: chunk.map(\.values)[...], ids: ids[...])
                for (id, row) in zip(ids, chunk) {
                    if landed?.contains(id) == false { repeated.append(row) } else { written.append(Written(id: id, row: row, existed: false)) }
                }
            case .upsert(var watch):
                let returned = try await run.writer.insert(table, columns: columns, conflict: conflict, keep: run.kept,
                                                           rows: chunk.map(\.values)[...], returning: ["id"] + identity.returning)
                let ids = try returned.map { (id: try $0.int("id"), identity: try identity.of($0)) }
                let repeats = Set(watch.repeated(ids))
                strategy = .upsert(watch)
                let byIdentity = Dictionary(chunk.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
                for (id, key) in ids where !repeats.contains(key) {
                    if let row = byIdentity[key] { written.append(Written(id: id, row: row, existed: id <= watch.floor)) }
                }
                repeated += chunk.filter { repeats.contains($0.identity) }
            }
        }
        return (written, repeated)
    }

    /// Ids for `count` new rows: on SQLite, which has one writer at a time, the next ones after
    /// the largest id; on PostgreSQL, taken from the table's sequence so concurrent writers never clash.
    private func reserveIDs(_ count: Int) async throws -> [Int64] {
        if run.sql.dialect.name == "sqlite" {
            guard case .append(let known) = strategy else { preconditionFailure("ids are reserved for appended rows only") }
            let next: Int64
            if let known {
                next = known
            } else {
                next = try await run.sql.raw("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM \(ident: table)").first()?
                    .decode(column: "next", as: Int64.self) ?? 1
            }
            strategy = .append(nextID: next + Int64(count))
            return Array(next..<next + Int64(count))
        }
        return try await run.sql.raw("""
            SELECT nextval(pg_get_serial_sequence(\(bind: table), 'id')) AS id FROM generate_series(1, \(bind: count))
            """).all().map { try $0.decode(column: "id", as: Int64.self) }
    }
}
