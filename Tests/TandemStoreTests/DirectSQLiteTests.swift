import Foundation
import SQLiteKit
import SQLKit
@testable import TandemStore
import Testing

@Suite struct DirectSQLiteTests {
    @Test func bindsAndReadsEveryKindOfValueAsWritten() async throws {
        try await withDirectConnection { connection, sql in
            // given
            try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT, n TEXT)")
            let statement = try connection.statement("INSERT INTO t (id, i, d, s, n) VALUES (?, ?, ?, ?, ?)")
            // when
            for (id, text) in [(1, ""), (2, "Köln – 東京 🚚"), (3, String(repeating: "x", count: 100_000))] {
                statement.bind(1, Int64(id))
                statement.bind(2, BulkValue.int(Int64.max - Int64(id)))
                statement.bind(3, BulkValue.double(1250.5))
                statement.bind(4, BulkValue.text(text))
                statement.bind(5, BulkValue.null)
                try statement.run()
            }
            // then
            let rows = try await sql.raw("SELECT id, i, d, s, n, typeof(s) AS kind FROM t ORDER BY id").all()
            #expect(try rows.map { try $0.decode(column: "i", as: Int64.self) } == [Int64.max - 1, Int64.max - 2, Int64.max - 3])
            #expect(try rows.map { try $0.decode(column: "d", as: Double.self) } == [1250.5, 1250.5, 1250.5])
            #expect(try rows.map { try $0.decode(column: "s", as: String.self) } == ["", "Köln – 東京 🚚", String(repeating: "x", count: 100_000)])
            #expect(try rows.map { try $0.decode(column: "kind", as: String.self) } == ["text", "text", "text"])
            #expect(try rows.allSatisfy { try $0.decodeNil(column: "n") })
        }
    }

    @Test func groupedInsertsCountWhatTheyWroteAndSkipRepeats() async throws {
        try await withDirectConnection { connection, sql in
            // given
            try connection.execute("CREATE TABLE pairs (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID")
            let writer = BulkWriter(sql)
            let pairs = (0..<(BulkWriter.directGroup * 2 + 5)).map { (Int64($0 % 50), Int64($0 / 50)) }
            // when
            try await writer.insertPairs("pairs", columns: ("a", "b"), pairs: pairs + pairs.prefix(10))
            // then
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM pairs").first()!.decode(column: "n", as: Int.self)
            #expect(count == pairs.count)
        }
    }

    @Test func reportsSQLErrorsAndKeepsWorking() async throws {
        try await withDirectConnection { connection, sql in
            #expect(throws: DirectSQLiteError.self) { try connection.execute("CREATE TABLE") }
            #expect(throws: DirectSQLiteError.self) { _ = try connection.statement("SELECT * FROM missing") }
            try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            let insert = try connection.statement("INSERT INTO t (id, v) VALUES (?, ?)")
            insert.bind(1, Int64(1))
            insert.bindNull(2)
            #expect(throws: DirectSQLiteError.self) { try insert.run() }
            let again = try connection.statement("INSERT INTO t (id, v) VALUES (?, ?)")
            again.bind(1, Int64(1))
            again.bind(2, "ok")
            try again.run()
            #expect(try await sql.raw("SELECT v FROM t").first()?.decode(column: "v", as: String.self) == "ok")
        }
    }

    private func withDirectConnection(_ body: (DirectSQLiteConnection, DirectSQLiteDatabase) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-direct-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("t.sqlite").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let connection = try DirectSQLiteConnection(path: path)
        defer { connection.close() }
        let sql = DirectSQLiteDatabase(connection: connection, logger: .init(label: "test"), eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        try await body(connection, sql)
    }
}
