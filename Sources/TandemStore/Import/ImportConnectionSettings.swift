import FluentKit
import SQLKit

/// SQLite settings for the one connection that runs an import, restored afterwards because the
/// connection returns to the pool.
///
/// - Foreign keys are off: the importer resolves every reference itself (against the bundle and
///   the workspace, inside the same transaction) and reports each bad one; SQLite's own check
///   would only repeat that work row by row.
/// - A large page cache and in-memory statement journals keep a big transaction from spilling
///   pages to disk and reading them back; a sorter thread speeds up building deferred indexes.
/// PostgreSQL needs none of this.
struct ImportConnectionSettings {
    static let importCacheKiB = 131_072

    let isSQLite: Bool
    let cacheSize: Int64

    static func apply(on connection: any Database) async throws -> ImportConnectionSettings {
        guard let sql = connection as? any SQLDatabase, sql.dialect.name == "sqlite" else {
            return ImportConnectionSettings(isSQLite: false, cacheSize: 0)
        }
        let cache = try await sql.raw("PRAGMA cache_size").first()?.decode(column: "cache_size", as: Int64.self) ?? -2000
        try await sql.raw("PRAGMA foreign_keys = OFF").run()
        try await sql.raw("PRAGMA cache_size = \(literal: -importCacheKiB)").run()
        try await sql.raw("PRAGMA temp_store = MEMORY").run()
        // Lets SQLite sort with a helper thread when it builds the deferred indexes.
        try await sql.raw("PRAGMA threads = 2").run()
        return ImportConnectionSettings(isSQLite: true, cacheSize: cache)
    }

    func restore(on connection: any Database) async throws {
        guard isSQLite, let sql = connection as? any SQLDatabase else { return }
        try await sql.raw("PRAGMA foreign_keys = ON").run()
        try await sql.raw("PRAGMA cache_size = \(literal: cacheSize)").run()
        try await sql.raw("PRAGMA temp_store = DEFAULT").run()
        try await sql.raw("PRAGMA threads = 0").run()
    }
}
