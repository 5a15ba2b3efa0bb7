import FluentPostgresDriver
import SQLiteKit
import SQLKit

/// A value bound into a bulk statement.
enum BulkValue: Sendable {
    case int(Int64), double(Double), text(String), bool(Bool), null

    init(_ value: Int64) { self = .int(value) }
    init(_ value: Double) { self = .double(value) }
    init(_ value: String) { self = .text(value) }
    init(_ value: Bool) { self = .bool(value) }
    init(_ value: Int64?) { self = value.map(BulkValue.int) ?? .null }
    init(_ value: Double?) { self = value.map(BulkValue.double) ?? .null }
    init(_ value: String?) { self = value.map(BulkValue.text) ?? .null }

    var expression: any SQLExpression {
        switch self {
        case .int(let value): SQLBind(value)
        case .double(let value): SQLBind(value)
        case .text(let value): SQLBind(value)
        case .bool(let value): SQLBind(value)
        case .null: SQLLiteral.null
        }
    }
}

extension DirectStatement {
    func bind(_ position: Int32, _ value: BulkValue) {
        switch value {
        case .int(let number): bind(position, number)
        case .double(let number): bind(position, number)
        case .text(let text): bind(position, text)
        case .bool(let flag): bind(position, Int64(flag ? 1 : 0))
        case .null: bindNull(position)
        }
    }
}

/// A row a bulk statement returned.
struct ReturnedRow {
    let row: any SQLRow

    func int(_ column: String) throws -> Int64 { try row.decode(column: column, as: Int64.self) }
    func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
}

/// Writes many rows. On SQLite (a `DirectSQLiteDatabase`) one prepared statement is stepped for
/// every row; on PostgreSQL SQLKit builds statements of many rows each, which saves round trips.
struct BulkWriter {
    let sql: any SQLDatabase
    let direct: DirectSQLiteConnection?

    init(_ sql: any SQLDatabase) {
        self.sql = sql
        self.direct = (sql as? DirectSQLiteDatabase)?.connection
    }

    /// Rows per statement on PostgreSQL: as many as fit in 30,000 bound values, at most 1,000.
    static func perStatement(columns: Int) -> Int { max(1, min(1000, 30_000 / max(columns, 1))) }

    /// `INSERT … ON CONFLICT (conflict) DO UPDATE SET every other column` (or `DO NOTHING` when
    /// `conflict` is empty), returning `returning` columns of every row written. With `ids`, each
    /// row also sets the `id` column to its id.
    @discardableResult
    func insert(_ table: String, columns: [String], conflict: [String], keep: Set<String> = [], rows: ArraySlice<[BulkValue]>,
                ids: ArraySlice<Int64>? = nil, returning: [String] = []) async throws -> [ReturnedRow] {
        guard !rows.isEmpty else { return [] }
        // Each batch is a point where a stopped import (SIGTERM, SIGINT) ends and rolls back.
        try Task.checkCancellation()
        precondition(ids == nil || ids!.count == rows.count, "one id per row")
        let columns = ids == nil ? columns : columns + ["id"]
        if let direct {
            let statement = try direct.statement(Self.insertText(table, columns: columns, conflict: conflict, keep: keep, returning: returning))
            let names = returning.isEmpty ? [] : statement.columnNames
            var output: [ReturnedRow] = []
            for (offset, row) in rows.enumerated() {
                var position: Int32 = 1
                for value in row {
                    statement.bind(position, value)
                    position += 1
                }
                if let ids { statement.bind(position, ids[ids.startIndex + offset]) }
                while try statement.step() {
                    output.append(ReturnedRow(row: DirectRow(columns: names, values: (0..<Int32(names.count)).map(statement.value))))
                }
                statement.reset()
            }
            return output
        }
        let insert = sql.insert(into: table).columns(columns)
        for (offset, row) in rows.enumerated() {
            var values = row.map(\.expression)
            if let ids { values.append(SQLBind(ids[ids.startIndex + offset])) }
            insert.values(values)
        }
        let updated = columns.filter { !conflict.contains($0) && !keep.contains($0) }
        if conflict.isEmpty {
            insert.ignoringConflicts()
        } else if updated.isEmpty {
            insert.ignoringConflicts(with: conflict)
        } else {
            insert.onConflict(with: conflict) { update in
                var update = update
                for column in updated { update = update.set(excludedValueOf: column) }
                return update
            }
        }
        if returning.isEmpty {
            try await insert.run()
            return []
        }
        return try await insert.returning(returning.map { SQLColumn($0) }).all().map(ReturnedRow.init(row:))
    }

    /// One row's `INSERT` on SQLite.
    static func insertText(_ table: String, columns: [String], conflict: [String], keep: Set<String>, returning: [String]) -> String {
        var text = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES ("
        text += Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        text += conflictClause(columns: columns, conflict: conflict, keep: keep)
        if !returning.isEmpty { text += " RETURNING " + returning.map { "\"\($0)\"" }.joined(separator: ", ") }
        return text
    }

    /// Inserts rows that are new to the workspace with the ids given, skipping any row that
    /// breaks a unique constraint; returns the ids of the rows written when some were skipped,
    /// nil when every row was written. PostgreSQL only: SQLite appends with `append`.
    func insertNew(_ table: String, columns: [String], rows: ArraySlice<[BulkValue]>, ids: ArraySlice<Int64>) async throws -> Set<Int64>? {
        guard !rows.isEmpty else { return nil }
        let landed = try await insert(table, columns: columns, conflict: [], rows: rows, ids: ids, returning: ["id"])
        if landed.count == rows.count { return nil }
        return Set(try landed.map { try $0.int("id") })
    }

    /// Appends rows on SQLite, letting SQLite choose their ids and skipping any row that breaks a
    /// unique constraint; returns the number of rows written.
    func append(_ table: String, columns: [String], rows: ArraySlice<[BulkValue]>) throws -> Int {
        try Task.checkCancellation()
        guard let direct else { preconditionFailure("append is for the direct SQLite connection") }
        return try insertGrouped(direct, table, columns: columns, count: rows.count) { statement, position, index in
            var position = position
            for value in rows[rows.startIndex + index] {
                statement.bind(position, value)
                position += 1
            }
        }
    }

    /// Rows per statement on the direct SQLite path: a statement for several rows, prepared once,
    /// spares SQLite the per-statement setup that dominates a one-row insert.
    static let directGroup = 64

    /// Inserts `count` rows (skipping those that break a unique constraint) with cached statements
    /// of `directGroup` rows and then one row; `bind` binds row `index` from `position` on.
    /// Returns the number of rows written.
    private func insertGrouped(_ direct: DirectSQLiteConnection, _ table: String, columns: [String], count: Int,
                               bind: (DirectStatement, Int32, Int) -> Void) throws -> Int {
        let group = Self.directGroup
        let width = Int32(columns.count)
        var written = 0
        var index = 0
        if count >= group {
            let statement = try direct.statement(Self.insertText(table, columns: columns, rows: group))
            while count - index >= group {
                for offset in 0..<group { bind(statement, Int32(offset) * width + 1, index + offset) }
                try statement.run()
                written += direct.changes
                index += group
            }
        }
        if index < count {
            let statement = try direct.statement(Self.insertText(table, columns: columns, rows: 1))
            while index < count {
                bind(statement, 1, index)
                try statement.run()
                written += direct.changes
                index += 1
            }
        }
        return written
    }

    /// An `INSERT OR IGNORE` of `rows` rows on SQLite. `OR IGNORE` rather than `ON CONFLICT DO
    /// NOTHING`: a statement of several rows that could abort halfway makes SQLite copy every page
    /// it touches into a statement journal first, which made grouped inserts slower than single
    /// ones. Rows never hold NULL where the schema forbids it (they are checked before), and a row
    /// skipped for any reason is counted as not written, so the caller still sees it.
    static func insertText(_ table: String, columns: [String], rows: Int) -> String {
        let group = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT OR IGNORE INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES "
            + Array(repeating: group, count: rows).joined(separator: ", ")
    }

    /// Inserts link rows (two integer columns), skipping pairs already present.
    func insertPairs(_ table: String, columns: (String, String), pairs: [(Int64, Int64)], new: Bool = false) async throws {
        try Task.checkCancellation()
        if let direct {
            _ = try insertGrouped(direct, table, columns: [columns.0, columns.1], count: pairs.count) { statement, position, index in
                statement.bind(position, pairs[index].0)
                statement.bind(position + 1, pairs[index].1)
            }
            return
        }
        if new, try await copy(table, columns: [columns.0, columns.1], count: pairs.count, row: { index, buffer in
            PostgresCopyText.append(pairs[index].0, to: &buffer)
            buffer.writeInteger(UInt8(ascii: "\t"))
            PostgresCopyText.append(pairs[index].1, to: &buffer)
        }) {
            return
        }
        let perStatement = Self.perStatement(columns: 2)
        for start in stride(from: 0, to: pairs.count, by: perStatement) {
            let chunk = pairs[start..<min(pairs.count, start + perStatement)]
            try await insert(table, columns: [columns.0, columns.1], conflict: [], rows: chunk.map { [.int($0.0), .int($0.1)] }[...])
        }
    }

    /// Appends `count` rows to `table` with one `COPY` on PostgreSQL, `row` writing row `index` in
    /// COPY's text format (columns separated by tabs). Returns false, having written nothing, when
    /// a row broke a unique constraint (a repeat the caller then finds with an insert that skips
    /// it); a row already in the table makes the whole `COPY` fail. Needs the import's
    /// transaction, whose one connection carries the `COPY`.
    func copy(_ table: String, columns: [String], count: Int, row: (Int, inout ByteBuffer) -> Void) async throws -> Bool {
        guard count > 0 else { return true }
        try Task.checkCancellation()
        guard let postgres = sql as? any PostgresDatabase else { preconditionFailure("COPY is for PostgreSQL") }
        let connection = try await postgres.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
        try await sql.raw("SAVEPOINT tandem_copy").run()
        do {
            try await connection.copyFrom(table: table, columns: columns, logger: sql.logger) { writer in
                var buffer = ByteBufferAllocator().buffer(capacity: Self.copyChunk + 4096)
                for index in 0..<count {
                    row(index, &buffer)
                    buffer.writeInteger(UInt8(ascii: "\n"))
                    if buffer.readableBytes >= Self.copyChunk {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            try await sql.raw("ROLLBACK TO SAVEPOINT tandem_copy").run()
            return false
        }
        try await sql.raw("RELEASE SAVEPOINT tandem_copy").run()
        return true
    }

    /// Bytes sent per message of a `COPY`.
    static let copyChunk = 256 * 1024

    static func conflictClause(columns: [String], conflict: [String], keep: Set<String>) -> String {
        guard !conflict.isEmpty else { return " ON CONFLICT DO NOTHING" }
        let updated = columns.filter { !conflict.contains($0) && !keep.contains($0) }
        let target = " ON CONFLICT (" + conflict.map { "\"\($0)\"" }.joined(separator: ", ") + ")"
        guard !updated.isEmpty else { return target + " DO NOTHING" }
        return target + " DO UPDATE SET " + updated.map { "\"\($0)\" = excluded.\"\($0)\"" }.joined(separator: ", ")
    }

    /// Deletes the rows of `table` whose `column` is one of `ids`.
    func delete(from table: String, where column: String, in ids: [Int64]) async throws {
        for start in stride(from: 0, to: ids.count, by: 5000) {
            let chunk = ids[start..<min(ids.count, start + 5000)]
            let list = chunk.map { String($0) }.joined(separator: ",")
            try await sql.raw("DELETE FROM \(ident: table) WHERE \(ident: column) IN (\(unsafeRaw: list))").run()
        }
    }
}

/// PostgreSQL's `COPY` text format: tab-separated columns, `\N` for NULL, and backslash escapes
/// for the backslash, tab, line feed and carriage return inside text.
enum PostgresCopyText {
    static func append(_ value: Int64, to buffer: inout ByteBuffer) {
        buffer.writeString(String(value))
    }

    static func append(_ row: [BulkValue], id: Int64?, to buffer: inout ByteBuffer) {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            append(value, to: &buffer)
        }
        if let id {
            buffer.writeInteger(UInt8(ascii: "\t"))
            append(id, to: &buffer)
        }
    }

    static func append(_ value: BulkValue, to buffer: inout ByteBuffer) {
        switch value {
        case .int(let number): append(number, to: &buffer)
        case .double(let number): buffer.writeString(number.description)
        case .bool(let flag): buffer.writeInteger(UInt8(ascii: flag ? "t" : "f"))
        case .null: buffer.writeStaticString("\\N")
        case .text(let text):
            var text = text
            text.withUTF8 { bytes in
                var start = 0
                for (index, byte) in bytes.enumerated() {
                    let escaped: UInt8
                    switch byte {
                    case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                    case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
                    case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
                    case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
                    default: continue
                    }
                    buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                    buffer.writeInteger(UInt8(ascii: "\\"))
                    buffer.writeInteger(escaped)
                    start = index + 1
                }
                buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[start...]))
            }
        }
    }
}
