import FluentKit
import Logging
import Metrics
import NIOCore
import SQLKit

/// How much of the connection pool is in use, for `/metrics`: every operation on the pooled
/// database (a query, a transaction, a borrowed connection) holds one connection, or waits for
/// one, from its start to its end. What runs inside a transaction or a borrowed connection uses
/// that connection and is not counted again.
///
/// The meters are looked up on each use, not kept: swift-metrics binds a meter to the backend of
/// the moment, and the server chooses its backend only when it starts.
public enum DatabasePoolMetrics {
    /// Operations holding a connection or waiting for one (a gauge).
    static var inUse: Meter { Meter(label: "tandem_db_connections_in_use") }
    /// The most connections the pool opens (a gauge): event loops × connections per loop.
    static var size: Meter { Meter(label: "tandem_db_connections_max") }
}

/// Wraps the configured driver so each database it makes counts its operations (`DatabasePoolMetrics`).
struct MeteredConfiguration: DatabaseConfiguration {
    var inner: any DatabaseConfiguration
    var connectionsPerEventLoop: Int
    /// How long a write waits for the workspace's write before it (`WriteGates`).
    var writePatience: TimeAmount

    var middleware: [any AnyModelMiddleware] {
        get { inner.middleware }
        set { inner.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        DatabasePoolMetrics.size.set(Double(connectionsPerEventLoop * Array(databases.eventLoopGroup.makeIterator()).count))
        return MeteredDriver(inner: inner.makeDriver(for: databases), writeGates: WriteGates(patience: writePatience))
    }
}

struct MeteredDriver: DatabaseDriver {
    let inner: any DatabaseDriver
    let writeGates: WriteGates

    func makeDatabase(with context: DatabaseContext) -> any Database {
        let database = inner.makeDatabase(with: context)
        guard let sql = database as? any SQLDatabase else { return database }
        return MeteredDatabase(inner: database, sql: sql, writeGates: writeGates)
    }

    func shutdown() { inner.shutdown() }
    func shutdownAsync() async { await inner.shutdownAsync() }
}

/// The pooled database, seen through Fluent and SQLKit as before, counting each operation.
struct MeteredDatabase: Database, SQLDatabase {
    let inner: any Database
    let sql: any SQLDatabase
    /// The pool's writers queue here, one per workspace at a time (`Database.writeTransaction`).
    let writeGates: WriteGates

    private func metered<T>(_ operation: () -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let inUse = DatabasePoolMetrics.inUse
        inUse.increment()
        return operation().always { _ in inUse.decrement() }
    }

    // Fluent
    var context: DatabaseContext { inner.context }
    var inTransaction: Bool { inner.inTransaction }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        metered { inner.execute(query: query, onOutput: onOutput) }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { metered { inner.execute(schema: schema) } }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { metered { inner.execute(enum: `enum`) } }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        metered { inner.transaction(closure) }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        metered { inner.withConnection(closure) }
    }

    // SQLKit
    var logger: Logger { sql.logger }
    var eventLoop: any EventLoop { sql.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { sql.version }
    var dialect: any SQLDialect { sql.dialect }
    var queryLogLevel: Logger.Level? { sql.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        metered { sql.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let inUse = DatabasePoolMetrics.inUse
        inUse.increment()
        defer { inUse.decrement() }
        try await sql.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let inUse = DatabasePoolMetrics.inUse
        inUse.increment()
        defer { inUse.decrement() }
        return try await sql.withSession(closure)
    }
}
