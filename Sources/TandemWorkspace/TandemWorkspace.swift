import FluentKit
import Foundation
import Logging
import NIOCore
import SQLKit
import Synchronization
import TandemCore
import TandemStore

/// One workspace as the faces (the server, its pages, the command line) use it: its database,
/// its write queue, its revision and its read model, and the use cases (`UseCases/`) that read
/// and change it. Every write of a use case runs through `write(_:)`, which takes the workspace's
/// write queue, so a write made here keeps the read model current before the next one starts;
/// the faces never reach the store beneath.
public final class TandemWorkspace: Sendable {
    /// How the workspace's database is opened.
    public struct Options: Sendable {
        /// How long a read or a write waits for a pooled connection before it fails.
        public var poolTimeout = DatabaseSetup.poolTimeout
        /// How long a write waits for the workspace's writes before it (an import, say); the
        /// pool's timeout when nil.
        public var writePatience: TimeAmount?
        /// PostgreSQL connections per event loop: more for a process that many tasks share at once.
        public var postgresConnectionsPerEventLoop = DatabaseSetup.postgresConnectionsPerEventLoop
        /// How far a read that allows it (`readRevision(atLeast:latest:)`) may lag the writes of
        /// others: the read model catches up at most once per a quarter of it, and a cached answer
        /// a change made stale is served for at most this long while it is computed again. Zero
        /// makes every read show every write committed before it.
        public var staleness: Duration = .seconds(1)

        public init() {}
    }

    public let id: Int64
    public let name: String
    let store: Store
    let readModel = ReadModel()
    /// How far a read that allows it may lag others' writes (`Options.staleness`).
    public let staleness: Duration
    private let closed = Mutex(false)
    /// Whether a catch-up of the read model runs behind the reads (`readRevision(atLeast:latest:)`).
    let catchingUp = Mutex(false)

    init(id: Int64, name: String, store: Store, staleness: Duration = .zero) {
        self.id = id
        self.name = name
        self.store = store
        self.staleness = staleness
    }

    /// Opens the database (running pending migrations) and the workspace named `name`, creating
    /// it when `creating` is set; otherwise throws `WorkspaceError.notFound` when there is none.
    public static func open(_ location: DatabaseLocation, name: String, creating: Bool = true,
                            options: Options = Options(),
                            logger: Logger = Logger(label: "tandem.workspace")) async throws -> TandemWorkspace {
        let store = try await Store.open(location, logger: logger,
                                         postgresConnectionsPerEventLoop: options.postgresConnectionsPerEventLoop,
                                         poolTimeout: options.poolTimeout, writePatience: options.writePatience)
        do {
            let workspaces = WorkspaceRepository(sql: try store.sql)
            let found = creating ? try await workspaces.findOrCreate(named: name) : try await workspaces.find(named: name)
            guard let id = found else {
                throw WorkspaceError.notFound(name)
            }
            return TandemWorkspace(id: id, name: name, store: store, staleness: options.staleness)
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// The names of every workspace of the database, sorted.
    public static func names(in location: DatabaseLocation,
                             logger: Logger = Logger(label: "tandem.workspace")) async throws -> [String] {
        let store = try await Store.open(location, logger: logger)
        do {
            let names = try await WorkspaceRepository(sql: try store.sql).names()
            await store.shutdown()
            return names
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Closes the database, after the last use case has returned; later calls do nothing.
    public func close() async {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if first { await store.shutdown() }
    }

    public var location: DatabaseLocation { store.location }

    var database: any Database { store.database }

    var sql: any SQLDatabase { get throws { try store.sql } }

    var directory: DirectoryRepository { get throws { try DirectoryRepository(database: database, workspaceID: id) } }

    var partnershipRecords: PartnershipRepository { get throws { try PartnershipRepository(database: database,
            workspaceID: id) } }

    var accountRecords: AccountRepository { get throws { try AccountRepository(database: database, workspaceID: id) } }

    /// Runs a use case's write in the workspace's write queue: one write at a time per workspace
    /// and process, in arrival order, each waiting at most the write patience (then
    /// `DatabaseBusy`). What `body` tells the read model it does before the queue moves on, so
    /// this process queues its own changes in the order it made them.
    func write<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await database.whileWriting(workspaceID: id, body)
    }

    /// Whether the database answers (the health check).
    public func databaseAnswers() async -> Bool {
        do {
            _ = try await sql.raw("SELECT 1 AS up").first()
            return true
        } catch {
            store.logger.error("health: the database does not answer: \(String(reflecting: error))")
            return false
        }
    }
}

extension DatabaseBusy {
    /// Whether `error` says the database was too busy to answer in time: the write queue, a
    /// connection pool's wait, SQLite's busy wait or PostgreSQL's lock timeout.
    public static func describes(_ error: any Error) -> Bool { recognizes(error) }

    /// What a log may say of such an error: its kind, never its query or values.
    public static func summary(of error: any Error) -> String { kind(of: error) }
}
