import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import SQLKit
import TandemCore

/// Registers Tandem's database on a Fluent `Databases` registry: the one place SQLite or
/// PostgreSQL is chosen.
public enum DatabaseSetup {
    public static let id = DatabaseID(string: "tandem")

    /// PostgreSQL connections each event loop's pool may open: a server's default.
    public static let postgresConnectionsPerEventLoop = 4

    /// How long a request waits for a pooled connection, and (unless `writePatience` says
    /// otherwise) a write for the workspace's write before it (`WriteGates`), before it fails: a
    /// server's default. SQLite has one connection per event loop, so under a burst a request
    /// waits rather than failing after Fluent's default 10 seconds.
    public static let poolTimeout = TimeAmount.seconds(30)

    public static func register(_ location: DatabaseLocation, on databases: Databases,
                                postgresConnectionsPerEventLoop: Int = postgresConnectionsPerEventLoop,
                                poolTimeout: TimeAmount = poolTimeout, writePatience: TimeAmount? = nil) throws {
        switch location {
        case .sqlite(let path):
            let sqlite = DatabaseConfigurationFactory.sqlite(.file(path), connectionPoolTimeout: poolTimeout, sqlLogLevel: .trace)
            databases.use(MeteredConfiguration(inner: sqlite.make(), connectionsPerEventLoop: 1,
                                               writePatience: writePatience ?? poolTimeout), as: id, isDefault: true)
        case .postgres(let url):
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = ["public"]
            let postgres = DatabaseConfigurationFactory.postgres(configuration: configuration, maxConnectionsPerEventLoop: postgresConnectionsPerEventLoop,
                                                                 connectionPoolTimeout: poolTimeout, sqlLogLevel: .trace)
            databases.use(MeteredConfiguration(inner: postgres.make(), connectionsPerEventLoop: postgresConnectionsPerEventLoop,
                                               writePatience: writePatience ?? poolTimeout), as: id, isDefault: true)
        }
    }

    /// Per-connection SQLite settings: 16 KiB pages for a new file (fewer, fuller pages make
    /// bulk loads and scans cheaper; an existing file keeps its page size), write-ahead log, full
    /// fsync on commit, a bounded busy wait (instead of sqlite-nio's unbounded retry) and foreign
    /// keys. No-op on PostgreSQL.
    public static func prepareConnection(_ database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA page_size = 16384").run()
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        try await sql.raw("PRAGMA synchronous = FULL").run()
        try await sql.raw("PRAGMA busy_timeout = 10000").run()
        try await sql.raw("PRAGMA foreign_keys = ON").run()
    }

    /// Applies `prepareConnection` to the pooled connection of every event loop. SQLite pools hold one
    /// long-lived connection per event loop, so this covers every connection the server will use.
    public static func prepareAllConnections(_ databases: Databases, logger: Logger) async throws {
        for eventLoop in databases.eventLoopGroup.makeIterator() {
            guard let database = databases.database(id, logger: logger, on: eventLoop) else { continue }
            try await database.withConnection { connection in
                connection.eventLoop.makeFutureWithTask { try await prepareConnection(connection) }
            }.get()
        }
    }
}
