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
    /// With `ids`, each row also sets the `id` column to its id.
    @discardableResult
    func insert(_ table: String, columns: [String], conflict: [String], keep: Set<String> = [], rows: ArraySlice<[BulkValue]>,
                ids: ArraySlice<Int64>? = nil, returning: [String] = []) async throws -> [ReturnedRow] {
        guard !rows.isEmpty else { return [] }
        precondition(ids == nil || ids!.count == rows.count, "one id per row")
        let columns = ids == nil ? columns : columns + ["id"]
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
            for (offset, row) in rows.enumerated() {
                for value in row { binds.append(value.sqlite) }
                if let ids { binds.append(.integer(Int(ids[ids.startIndex + offset]))) }
            }
            return try await sqlite.query(text, binds).map(ReturnedRow.init(sqlite:))
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
        return try await insert.returning(returning.map { SQLColumn($0) }).all().map(ReturnedRow.init(generic:))
    }

    /// Inserts rows that are new to the workspace with the ids given, skipping any row that
    /// breaks a unique constraint; returns the ids of the rows written when some were skipped,
    /// nil when every row was written.
    func insertNew(_ table: String, columns: [String], rows: ArraySlice<[BulkValue]>, ids: ArraySlice<Int64>) async throws -> Set<Int64>? {
        guard !rows.isEmpty else { return nil }
        if let sqlite {
            try await insert(table, columns: columns, conflict: [], rows: rows, ids: ids)
            let written = try await sqlite.query("SELECT changes() AS written", [])
            if written.first?.column("written")?.integer == rows.count { return nil }
            let landed = try await sqlite.query("SELECT id FROM \"\(table)\" WHERE id BETWEEN ? AND ?",
                                                [.integer(Int(ids.min()!)), .integer(Int(ids.max()!))])
            return Set(landed.compactMap { $0.column("id")?.integer.map(Int64.init) })
        }
        let landed = try await insert(table, columns: columns, conflict: [], rows: rows, ids: ids, returning: ["id"])
        if landed.count == rows.count { return nil }
        return Set(try landed.map { try $0.int("id") })
    }

    /// Inserts link rows (two integer columns), skipping pairs already present.
    func insertPairs(_ table: String, columns: (String, String), pairs: [(Int64, Int64)]) async throws {
        let perStatement = Self.perStatement(columns: 2)
        for start in stride(from: 0, to: pairs.count, by: perStatement) {
            let chunk = pairs[start..<min(pairs.count, start + perStatement)]
            if let sqlite {
                var text = "INSERT INTO \"\(table)\" (\"\(columns.0)\", \"\(columns.1)\") VALUES "
                text.reserveCapacity(text.utf8.count + chunk.count * 6 + 32)
                for index in 0..<chunk.count { text += index == 0 ? "(?,?)" : ",(?,?)" }
                text += " ON CONFLICT DO NOTHING"
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * 2)
                for (first, second) in chunk {
                    binds.append(.integer(Int(first)))
                    binds.append(.integer(Int(second)))
                }
                _ = try await sqlite.query(text, binds)
            } else {
                try await insert(table, columns: [columns.0, columns.1], conflict: [], rows: chunk.map { [.int($0.0), .int($0.1)] }[...])
            }
        }
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
