import SQLKit

/// Writes the rows of a large file (interactions, sales) batch by batch, and finds the rows that
/// repeat an identity an earlier batch already wrote, with memory for one batch only.
///
/// When the workspace has no rows in the table yet, as on a first import, every row is new: rows
/// are appended without an upsert, with ids known beforehand (the next rowids on SQLite, taken
/// from the sequence on PostgreSQL, where a batch is one `COPY`), and a repeat shows up as a row
/// the table's unique constraint turned away. Otherwise each batch is an upsert by the row's
/// natural key that returns the ids written, and `InsertionWatch` tells repeats from updates.
final class LargeFileWriter {
    struct Written {
        var id: Int64
        var row: PreparedRow
        /// Whether the row existed before this import (its links are then replaced, not added).
        var existed: Bool
    }

    private enum Strategy {
        /// `nextID`: on SQLite, the id the next appended row gets, once known.
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
        if case .append = strategy, run.writer.direct == nil {
            // PostgreSQL: ids from the sequence, then one COPY of the batch. A row that repeats an
            // identity of an earlier batch makes the COPY fail; the batch is then inserted with
            // the repeats skipped.
            let ids = try await run.sql.raw("""
                SELECT nextval(pg_get_serial_sequence(\(bind: table), 'id')) AS id FROM generate_series(1, \(bind: rows.count))
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
            if try await run.writer.copy(table, columns: columns + ["id"], count: rows.count, row: { index, buffer in
                PostgresCopyText.append(rows[index].values, id: ids[index], to: &buffer)
            }) {
                for (id, row) in zip(ids, rows) { written.append(Written(id: id, row: row, existed: false)) }
                return (written, repeated)
            }
            for start in stride(from: 0, to: rows.count, by: perStatement) {
                let end = min(rows.count, start + perStatement)
                let landed = try await run.writer.insertNew(table, columns: columns, rows: rows[start..<end].map(\.values)[...], ids: ids[start..<end])
                for (id, row) in zip(ids[start..<end], rows[start..<end]) {
                    if landed?.contains(id) == false { repeated.append(row) } else { written.append(Written(id: id, row: row, existed: false)) }
                }
            }
            return (written, repeated)
        }
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            switch strategy {
            case .append(let known):
                guard let direct = run.writer.direct else { preconditionFailure("PostgreSQL appends above") }
                try await appendOnSQLite(chunk, direct: direct, known: known, written: &written, repeated: &repeated)
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

    /// Appends on SQLite without naming ids: SQLite gives each new row the largest rowid plus one,
    /// and this writer is the only one, so the rows of a chunk that all landed hold the ids that
    /// follow the largest one before it (checked against the last rowid SQLite reports). Binding
    /// ids would make SQLite journal every page a grouped insert touches, in case a bad id aborts
    /// it halfway. When a row was turned away as a repeat, the rows that landed are found by identity.
    private func appendOnSQLite(_ chunk: ArraySlice<PreparedRow>, direct: DirectSQLiteConnection, known: Int64?,
                                written: inout [Written], repeated: inout [PreparedRow]) async throws {
        let first: Int64
        if let known {
            first = known
        } else {
            first = try await run.sql.raw("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM \(ident: table)").first()?
                .decode(column: "next", as: Int64.self) ?? 1
        }
        let count = try run.writer.append(table, columns: columns, rows: chunk.map(\.values)[...])
        if count == chunk.count, direct.lastInsertedRowID == first + Int64(count) - 1 {
            for (offset, row) in chunk.enumerated() { written.append(Written(id: first + Int64(offset), row: row, existed: false)) }
            strategy = .append(nextID: first + Int64(count))
            return
        }
        var idOf: [String: Int64] = [:]
        var largest = first - 1
        for row in try await run.sql.raw("""
            SELECT id, \(unsafeRaw: identity.returning.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(ident: table) WHERE id >= \(bind: first)
            """).all() {
            let returned = ReturnedRow(row: row)
            let id = try returned.int("id")
            idOf[try identity.of(returned)] = id
            largest = max(largest, id)
        }
        for row in chunk {
            if let id = idOf[row.identity] { written.append(Written(id: id, row: row, existed: false)) } else { repeated.append(row) }
        }
        strategy = .append(nextID: largest + 1)
    }
}
