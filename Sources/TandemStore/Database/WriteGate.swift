import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOCore
import Synchronization
import TandemCore

/// Lets one write at a time per workspace through a connection pool; the others wait here, not
/// on a connection. A workspace's writes queue anyway (on its row in `WorkspaceRepository.beginWrite`,
/// and on SQLite on the file): waiting on a pooled connection instead would let a burst of writes,
/// or writes during an import, take every connection and leave reads none.
final class WriteGates: Sendable {
    private let gates = Mutex<[Int64: WriteGate]>([:])
    /// How long a write waits for the one before it before `DatabaseBusy`.
    let patience: TimeAmount

    init(patience: TimeAmount) {
        self.patience = patience
    }

    func gate(for workspaceID: Int64) -> WriteGate {
        gates.withLock { gates in
            if let gate = gates[workspaceID] { return gate }
            let gate = WriteGate()
            gates[workspaceID] = gate
            return gate
        }
    }
}

/// One holder at a time, the others served in arrival order, each waiting at most a given time.
final class WriteGate: Sendable {
    private struct State {
        var held = false
        var next: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private struct Waiter {
        let id: UInt64
        let resume: CheckedContinuation<Bool, Never>
        /// Ends the wait after the patience; cancelled when the gate comes first.
        var timer: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// How many wait for the gate now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Whether a write holds the gate now.
    var isHeld: Bool { state.withLock { $0.held } }

    /// The gates the running task holds: a write inside another of the same workspace goes on
    /// without waiting for itself. A task started while they are held inherits them, so work that
    /// outlives the write (an import left running) must not start inside it.
    @TaskLocal static var held: Set<ObjectIdentifier> = []

    /// Runs `body` holding the gate; throws `DatabaseBusy` when the gate is not free within `patience`.
    func run<T>(patience: TimeAmount, _ body: () async throws -> T) async throws -> T {
        let id = ObjectIdentifier(self)
        if Self.held.contains(id) { return try await body() }
        guard await acquire(patience: patience) else { throw DatabaseBusy() }
        defer { release() }
        return try await Self.$held.withValue(Self.held.union([id])) { try await body() }
    }

    private func acquire(patience: TimeAmount) async -> Bool {
        let id: UInt64? = state.withLock { state in
            if !state.held {
                state.held = true
                return nil
            }
            state.next += 1
            return state.next
        }
        guard let id else { return true }
        return await withCheckedContinuation { continuation in
            let queued = state.withLock { state in
                if !state.held {
                    state.held = true
                    return false
                }
                state.waiters.append(Waiter(id: id, resume: continuation))
                return true
            }
            guard queued else { return continuation.resume(returning: true) }
            let timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, patience.nanoseconds)))
                let expired = self.state.withLock { state in
                    state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0).resume }
                }
                expired?.resume(returning: false)
            }
            let served = state.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return true }
                state.waiters[index].timer = timer
                return false
            }
            if served { timer.cancel() }
        }
    }

    private func release() {
        let next = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.held = false
                return nil as Waiter?
            }
            return state.waiters.removeFirst()
        }
        next?.timer?.cancel()
        next?.resume.resume(returning: true)
    }
}

extension DatabaseBusy {
    /// Whether `error` says the database was too busy to answer in time: this gate, a connection
    /// pool's wait, SQLite's busy wait or PostgreSQL's lock timeout.
    public static func recognizes(_ error: any Error) -> Bool {
        switch error {
        case is DatabaseBusy, ConnectionPoolTimeoutError.connectionRequestTimeout:
            return true
        case let sqlite as SQLiteError:
            return [.busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked].contains(sqlite.reason)
        case let postgres as PSQLError:
            return postgres.serverInfo?[.sqlState] == "55P03"  // lock_not_available
        case let direct as DirectSQLiteError:
            return direct.isBusy
        default:
            return false
        }
    }

    /// What a log may say of such an error: its kind, not its query or values (a PostgreSQL
    /// error's full text holds the statement's bound values).
    public static func kind(of error: any Error) -> String {
        switch error {
        case let sqlite as SQLiteError: "SQLite \(sqlite.reason)"
        case let postgres as PSQLError: "PostgreSQL \(postgres.serverInfo?[.sqlState] ?? "error")"
        case let direct as DirectSQLiteError: "SQLite result code \(direct.code ?? 0)"
        default: String(describing: type(of: error))
        }
    }
}

extension Database {
    /// A transaction that writes to `workspaceID`: on a pooled database it first waits for the
    /// workspace's write before it (`WriteGates`), so it holds a connection only while it runs.
    /// Inside a transaction already, it is just a transaction.
    public func writeTransaction<T: Sendable>(workspaceID: Int64, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await whileWriting(workspaceID: workspaceID) {
            // Fluent runs the body in a task of its own, started from an event loop: it gets the
            // held gates from here.
            let held = WriteGate.held
            return try await self.transaction { database in try await WriteGate.$held.withValue(held) { try await body(database) } }
        }
    }

    /// Runs `body`, which writes to `workspaceID`, holding the workspace's write gate when this is
    /// a pooled database; `patience` (the pool's when nil) bounds the wait for it.
    public func whileWriting<T>(workspaceID: Int64, patience: TimeAmount? = nil, _ body: () async throws -> T) async throws -> T {
        guard let gates = (self as? MeteredDatabase)?.writeGates else { return try await body() }
        return try await gates.gate(for: workspaceID).run(patience: patience ?? gates.patience, body)
    }

    /// Runs `body`, a write nobody waits for (a session's last-seen time, say), when the
    /// workspace's write gate is free now; skips it otherwise, and when it fails.
    public func ifNotBusy(workspaceID: Int64, _ body: () async throws -> Void) async {
        try? await whileWriting(workspaceID: workspaceID, patience: .zero, body)
    }
}
