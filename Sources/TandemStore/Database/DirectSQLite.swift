import Foundation
import Logging
import NIOCore
import SQLiteKit
import SQLKit
// The SQLite library that sqlite-nio builds and links. Using that same copy (not the system's)
// matters: two copies of SQLite in one process would not see each other's file locks.
import VaporCSQLite

/// A connection of its own to an SQLite file, used by imports. sqlite-nio prepares every query
/// anew and runs it on a thread pool, which is right for a server and costs more than the writes
/// themselves in a bulk load: here a statement is prepared once and stepped for every row, on
/// the caller's thread.
///
/// Not thread-safe: one task uses it at a time, from open to close.
final class DirectSQLiteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    enum Access { case readOnly, readWrite, create }

    init(path: String, access: Access = .readWrite) throws {
        var handle: OpaquePointer?
        let flags = switch access {
        case .readOnly: SQLITE_OPEN_READONLY
        case .readWrite: SQLITE_OPEN_READWRITE
        case .create: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite_nio_sqlite3_close(handle)
            throw DirectSQLiteError(message: "\(path): \(message)")
        }
        self.handle = handle
        sqlite_nio_sqlite3_busy_timeout(handle, 10_000)
    }

    deinit { close() }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements = [:]
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs statements without results (pragmas, BEGIN, COMMIT).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, &message)
        guard status == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "error \(status)"
            sqlite_nio_sqlite3_free(message)
            throw DirectSQLiteError(message: text, code: status)
        }
    }

    /// The statement for `sql`, prepared on first use and kept until the connection closes, ready
    /// for new bindings: for the few statements a bulk load runs for every row.
    func statement(_ sql: String) throws -> DirectStatement {
        if let cached = statements[sql] {
            sqlite_nio_sqlite3_reset(cached)
            sqlite_nio_sqlite3_clear_bindings(cached)
            return DirectStatement(handle: cached, connection: self)
        }
        let prepared = try prepare(sql, flags: UInt32(SQLITE_PREPARE_PERSISTENT))
        statements[sql] = prepared
        return DirectStatement(handle: prepared, connection: self)
    }

    /// Prepares `sql` for one use in `body`.
    func withStatement<T>(_ sql: String, _ body: (DirectStatement) throws -> T) throws -> T {
        let prepared = try prepare(sql, flags: 0)
        defer { sqlite_nio_sqlite3_finalize(prepared) }
        return try body(DirectStatement(handle: prepared, connection: self))
    }

    private func prepare(_ sql: String, flags: UInt32) throws -> OpaquePointer {
        var prepared: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, flags, &prepared, nil)
        guard status == SQLITE_OK, let prepared else { throw error(status) }
        return prepared
    }

    /// Replaces this connection's whole database with `source`'s, page by page, as one write:
    /// other connections see the old database or the new one, never a mix (SQLite's backup API).
    func replace(with source: DirectSQLiteConnection) throws {
        guard let backup = sqlite_nio_sqlite3_backup_init(handle, "main", source.handle, "main") else { throw error(SQLITE_ERROR) }
        let stepped = sqlite_nio_sqlite3_backup_step(backup, -1)
        let finished = sqlite_nio_sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else { throw error(stepped == SQLITE_DONE ? finished : stepped) }
    }

    /// The first column of every row `sql` returns, as text.
    func texts(_ sql: String) throws -> [String] {
        try withStatement(sql) { statement in
            var values: [String] = []
            while try statement.step() {
                switch statement.value(0) {
                case .text(let text): values.append(text)
                case .integer(let number): values.append(String(number))
                case .float(let number): values.append(String(number))
                case .blob, .null: values.append("")
                }
            }
            return values
        }
    }

    /// The rowid of the last row inserted.
    var lastInsertedRowID: Int64 { sqlite_nio_sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite_nio_sqlite3_changes64(handle)) }

    func error(_ status: Int32) -> DirectSQLiteError {
        DirectSQLiteError(message: handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "error \(status)", code: status)
    }
}

struct DirectSQLiteError: Error, CustomStringConvertible {
    var message: String
    /// SQLite's result code, when SQLite gave one.
    var code: Int32?
    var description: String { "SQLite: \(message)" }

    /// Another connection held the lock for longer than the busy wait (SQLITE_BUSY, SQLITE_LOCKED).
    var isBusy: Bool { code.map { [SQLITE_BUSY, SQLITE_LOCKED].contains($0 & 0xff) } ?? false }
}

/// A prepared statement of a `DirectSQLiteConnection`: bind by position (from 1), then step.
struct DirectStatement {
    let handle: OpaquePointer
    let connection: DirectSQLiteConnection

    /// SQLite copies bound text before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ position: Int32, _ value: Int64) {
        sqlite_nio_sqlite3_bind_int64(handle, position, value)
    }

    func bind(_ position: Int32, _ value: Double) {
        sqlite_nio_sqlite3_bind_double(handle, position, value)
    }

    func bind(_ position: Int32, _ value: String) {
        var value = value
        value.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { text in
                _ = sqlite_nio_sqlite3_bind_text64(handle, position, text.baseAddress ?? UnsafePointer(bitPattern: 1), UInt64(text.count),
                                                   Self.transient, UInt8(SQLITE_UTF8))
            }
        }
    }

    func bindNull(_ position: Int32) {
        sqlite_nio_sqlite3_bind_null(handle, position)
    }

    func bind(_ position: Int32, _ value: SQLiteData) {
        switch value {
        case .integer(let number): bind(position, Int64(number))
        case .float(let number): bind(position, number)
        case .text(let text): bind(position, text)
        case .blob(let buffer):
            buffer.withUnsafeReadableBytes { bytes in
                _ = sqlite_nio_sqlite3_bind_blob64(handle, position, bytes.baseAddress, UInt64(bytes.count), Self.transient)
            }
        case .null: bindNull(position)
        }
    }

    /// Runs the statement one step: true when it produced a row.
    func step() throws -> Bool {
        switch sqlite_nio_sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let status:
            sqlite_nio_sqlite3_reset(handle)
            throw connection.error(status)
        }
    }

    /// Steps to the end, for statements that return no rows.
    func run() throws {
        while try step() {}
        sqlite_nio_sqlite3_reset(handle)
    }

    func reset() {
        sqlite_nio_sqlite3_reset(handle)
    }

    var columnNames: [String] {
        (0..<sqlite_nio_sqlite3_column_count(handle)).map { String(cString: sqlite_nio_sqlite3_column_name(handle, $0)) }
    }

    func integer(_ column: Int32) -> Int64 { sqlite_nio_sqlite3_column_int64(handle, column) }

    /// The column as text (empty for NULL), without going through `SQLiteData`.
    func text(_ column: Int32) -> String {
        sqlite_nio_sqlite3_column_text(handle, column).map { String(cString: $0) } ?? ""
    }

    func isNull(_ column: Int32) -> Bool { sqlite_nio_sqlite3_column_type(handle, column) == SQLITE_NULL }

    func value(_ column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(handle, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            let count = Int(sqlite_nio_sqlite3_column_bytes(handle, column))
            guard let text = sqlite_nio_sqlite3_column_text(handle, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(handle, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(handle, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }
}

/// SQLKit on a `DirectSQLiteConnection`, so the import's queries run unchanged on it. Each query
/// runs to completion on the calling thread before `execute` returns.
struct DirectSQLiteDatabase: SQLDatabase {
    let connection: DirectSQLiteConnection
    let logger: Logger
    let eventLoop: any EventLoop
    var dialect: any SQLDialect { SQLiteDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        do {
            let (text, binds) = serialize(query)
            let encoder = SQLiteDataEncoder()
            try run(text, try binds.map { try encoder.encode($0) }, onRow: onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func run(_ text: String, _ binds: [SQLiteData], onRow: (any SQLRow) -> Void) throws {
        try connection.withStatement(text) { statement in
            for (offset, value) in binds.enumerated() { statement.bind(Int32(offset + 1), value) }
            let columns = statement.columnNames
            while try statement.step() {
                onRow(DirectRow(columns: columns, values: (0..<Int32(columns.count)).map(statement.value)))
            }
        }
    }
}

/// A row read through `DirectSQLiteDatabase`.
struct DirectRow: SQLRow {
    let columns: [String]
    let values: [SQLiteData]

    var allColumns: [String] { columns }

    func contains(column: String) -> Bool { columns.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        guard let index = columns.firstIndex(of: column) else { return true }
        return values[index] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let index = columns.firstIndex(of: column) else {
            throw DecodingError.keyNotFound(DirectColumnKey(stringValue: column),
                                            .init(codingPath: [], debugDescription: "no column \"\(column)\" in the result"))
        }
        let value = values[index]
        // The types the loaders read, without the Decodable machinery (most of a large read's time):
        // the type is compared first (cheap), and `as?` only passes a value of that very type.
        let direct: D?
        switch value {
        case .integer(let number):
            if D.self == Int64.self { direct = Int64(number) as? D }
            else if D.self == Int64?.self { direct = Optional(Int64(number)) as? D }
            else if D.self == Int.self { direct = number as? D }
            else if D.self == Int?.self { direct = Optional(number) as? D }
            else if D.self == Bool.self { direct = (number != 0) as? D }
            else { direct = nil }
        case .text(let text):
            if D.self == String.self { direct = text as? D }
            else if D.self == String?.self { direct = Optional(text) as? D }
            else { direct = nil }
        case .float(let number):
            direct = D.self == Double.self || D.self == Double?.self ? number as? D : nil
        case .null:
            if D.self == String?.self { direct = String?.none as? D }
            else if D.self == Int64?.self { direct = Int64?.none as? D }
            else if D.self == Int?.self { direct = Int?.none as? D }
            else if D.self == Double?.self { direct = Double?.none as? D }
            else { direct = nil }
        default:
            direct = nil
        }
        if let direct { return direct }
        return try SQLiteDataDecoder().decode(D.self, from: value)
    }
}

private struct DirectColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
