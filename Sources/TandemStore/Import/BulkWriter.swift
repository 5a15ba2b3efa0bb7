import SQLiteNIO
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

    var sqlite: SQLiteData {
        switch self {
        case .int(let value): .integer(Int(value))
        case .double(let value): .float(value)
        case .text(let value): .text(value)
        case .bool(let value): .integer(value ? 1 : 0)
        case .null: .null
        }
    }

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

/// A row a bulk statement returned, read the same way from either database.
struct ReturnedRow {
    private let sqlite: SQLiteRow?
    private let generic: (any SQLRow)?

    init(sqlite: SQLiteRow) { self.sqlite = sqlite; self.generic = nil }
    init(generic: any SQLRow) { self.sqlite = nil; self.generic = generic }

    func int(_ column: String) throws -> Int64 {
        if let sqlite {
            guard let value = sqlite.column(column)?.integer else { throw BulkError.missingColumn(column) }
            return Int64(value)
        }
        return try generic!.decode(column: column, as: Int64.self)
    }

    func text(_ column: String) throws -> String {
        if let sqlite {
            guard let value = sqlite.column(column)?.string else { throw BulkError.missingColumn(column) }
            return value
        }
        return try generic!.decode(column: column, as: String.self)
    }
}

enum BulkError: Error {
    case missingColumn(String)
}

/// Writes many rows per statement. On SQLite the statement text is built directly and the
/// values bound as SQLite values, skipping SQLKit's per-value serialization and encoding, which
/// dominated import time; on PostgreSQL SQLKit builds the same statement.
struct BulkWriter {
    let sql: any SQLDatabase
    let sqlite: (any SQLiteDatabase)?

    init(_ sql: any SQLDatabase) {
        self.sql = sql
        self.sqlite = sql.dialect.name == "sqlite" ? sql as? any SQLiteDatabase : nil
    }

    /// Rows per statement: as many as fit in 30,000 bound values, at most 1,000.
    static func perStatement(columns: Int) -> Int { max(1, min(1000, 30_000 / max(columns, 1))) }

    /// `INSERT … ON CONFLICT (conflict) DO UPDATE SET every other column` (or `DO NOTHING` when
    /// `conflict` is empty), returning `returning` columns of every row written.
    @discardableResult
    func insert(_ table: String, columns: [String], conflict: [String], keep: Set<String> = [], rows: ArraySlice<[BulkValue]>,
                returning: [String] = []) async throws -> [ReturnedRow] {
        guard !rows.isEmpty else { return [] }
        if let sqlite {
            var text = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES "
            let group = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
            text.reserveCapacity(text.utf8.count + rows.count * (group.utf8.count + 1) + 256)
            for index in 0..<rows.count {
                if index > 0 { text += "," }
                text += group
            }
            text += Self.conflictClause(columns: columns, conflict: conflict, keep: keep)
            if !returning.isEmpty { text += " RETURNING " + returning.map { "\"\($0)\"" }.joined(separator: ", ") }
            var binds: [SQLiteData] = []
            binds.reserveCapacity(rows.count * columns.count)
            for row in rows { for value in row { binds.append(value.sqlite) } }
            return try await sqlite.query(text, binds).map(ReturnedRow.init(sqlite:))
        }
        let insert = sql.insert(into: table).columns(columns)
        for row in rows { insert.values(row.map(\.expression)) }
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
        return try await insert.returning(returning.map { SQLColumn($0) }).all().map(ReturnedRow.init(generic:))
    }

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
            if let sqlite {
                _ = try await sqlite.query("DELETE FROM \"\(table)\" WHERE \"\(column)\" IN (\(list))", [])
            } else {
                try await sql.raw("DELETE FROM \(ident: table) WHERE \(ident: column) IN (\(unsafeRaw: list))").run()
            }
        }
    }
}
