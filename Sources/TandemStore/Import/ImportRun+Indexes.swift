import Foundation
import SQLKit

extension ImportRun {
    /// Roughly the bytes one row of a large bundle file takes.
    static let bytesPerRowEstimate = 60

    /// On SQLite, when a file will at least double a table, drops the table's secondary
    /// (non-unique) indexes for the load and builds them again afterwards, inside the same
    /// transaction: building an index once from sorted data is much cheaper than updating it
    /// row by row. Unique indexes stay, since upserts need them. PostgreSQL keeps its indexes,
    /// because dropping one would lock the table against every reader for the whole import.
    func withDeferredIndexes<T>(_ tables: [String], path: String, _ body: () async throws -> T) async throws -> T {
        guard sql.dialect.name == "sqlite" else { return try await body() }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let expected = bytes / Self.bytesPerRowEstimate
        let existing = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS largest FROM \(ident: tables[0])").first()?
            .decode(column: "largest", as: Int.self) ?? 0
        guard expected >= 10_000, expected >= existing else { return try await body() }
        let deferred = TandemIndexes.current.filter { tables.contains($0.table) }
        for index in deferred { try await sql.drop(index: index.name).run() }
        let result = try await body()
        for index in deferred {
            var builder = sql.create(index: index.name).on(index.table)
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
        return result
    }
}
