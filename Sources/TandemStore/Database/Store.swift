import FluentKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import TandemCore

/// An open Tandem database outside a Vapor application (the CLI and the tests).
public final class Store: Sendable {
    public let databases: Databases
    public let logger: Logger
    public let location: DatabaseLocation

    private init(databases: Databases, location: DatabaseLocation, logger: Logger) {
        self.databases = databases
        self.location = location
        self.logger = logger
    }

    /// Opens the database, applies connection settings and runs pending migrations.
    /// `postgresConnectionsPerEventLoop` and `poolTimeout`: more for a store many tasks share at
    /// once on a busy machine (the tests'); `writePatience`: see `WriteGates`.
    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "tandem.store"),
                            postgresConnectionsPerEventLoop: Int = DatabaseSetup.postgresConnectionsPerEventLoop,
                            poolTimeout: TimeAmount = DatabaseSetup.poolTimeout, writePatience: TimeAmount? = nil) async throws -> Store {
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        try DatabaseSetup.register(location, on: databases, postgresConnectionsPerEventLoop: postgresConnectionsPerEventLoop,
                                   poolTimeout: poolTimeout, writePatience: writePatience)
        let store = Store(databases: databases, location: location, logger: logger)
        do {
            try await DatabaseSetup.prepareAllConnections(databases, logger: logger)
            try await store.migrate()
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        return store
    }

    /// The database registered but not opened: nothing is connected or migrated (for tests of a
    /// database that does not answer).
    static func registered(_ location: DatabaseLocation, logger: Logger = Logger(label: "tandem.store")) throws -> Store {
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        try DatabaseSetup.register(location, on: databases)
        return Store(databases: databases, location: location, logger: logger)
    }

    /// The database on some event loop.
    public var database: any Database {
        databases.database(DatabaseSetup.id, logger: logger, on: databases.eventLoopGroup.any())!
    }

    public var sql: any SQLDatabase { get throws { try database.sql() } }

    public func migrate() async throws {
        try await Self.migrate(databases, logger: logger)
    }

    /// Runs every pending migration on the registry's Tandem database. On PostgreSQL an advisory
    /// lock makes servers (or tests) that start together migrate one after the other.
    public static func migrate(_ databases: Databases, logger: Logger) async throws {
        let migrations = Migrations()
        migrations.add(TandemMigrations.all, to: DatabaseSetup.id)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger,
                                on: databases.eventLoopGroup.any())
        guard let database = databases.database(DatabaseSetup.id, logger: logger, on: databases.eventLoopGroup.any()),
              let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else {
            try await migrator.setupIfNeeded().flatMap { migrator.prepareBatch() }.get()
            return
        }
        try await sql.withSession { session in
            try await session.raw("SELECT pg_advisory_lock(\(literal: migrationLockID))").run()
            do {
                try await migrator.setupIfNeeded().flatMap { migrator.prepareBatch() }.get()
            } catch {
                try? await session.raw("SELECT pg_advisory_unlock(\(literal: migrationLockID))").run()
                throw error
            }
            try await session.raw("SELECT pg_advisory_unlock(\(literal: migrationLockID))").run()
        }
    }

    /// An arbitrary constant naming Tandem's migration lock.
    static let migrationLockID: Int64 = 7_261_346_101

    public func shutdown() async {
        await databases.shutdownAsync()
    }
}
