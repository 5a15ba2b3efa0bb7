import FluentKit
import Foundation
import SQLKit
import TandemCore

/// Finds and creates workspaces by name.
public struct WorkspaceRepository: Sendable {
    let sql: any SQLDatabase

    public init(_ database: any Database) throws {
        self.sql = try database.sql()
    }

    public init(sql: any SQLDatabase) {
        self.sql = sql
    }

    /// The workspace's id, or nil when no workspace has that name.
    public func find(named name: String) async throws -> Int64? {
        try await sql.select().column("id").from("workspaces").where("name", .equal, name)
            .first()?.decode(column: "id", as: Int64.self)
    }

    /// The workspace's id, creating the workspace when it does not exist yet.
    public func findOrCreate(named name: String) async throws -> Int64 {
        if let id = try await find(named: name) { return id }
        try await sql.insert(into: "workspaces").columns("name", "created_at")
            .values(SQLBind(name), SQLBind(ISO8601DateFormatter().string(from: Date())))
            .ignoringConflicts(with: ["name"])
            .run()
        guard let id = try await find(named: name) else { throw WorkspaceError.invalidName(name) }
        return id
    }

    /// Opens every write transaction: counts one more revision of the workspace, in the same
    /// transaction as the change, so that a server caching what it computed from the data (on
    /// this or another process) sees at once that it is stale. On SQLite this first write also
    /// takes the write lock before the transaction reads anything, so it never works from a
    /// snapshot another connection has since changed (SQLITE_BUSY_SNAPSHOT); on PostgreSQL the
    /// workspace's row lock orders the writers of one workspace.
    /// Returns the revision this transaction makes.
    @discardableResult
    public static func beginWrite(_ sql: any SQLDatabase, workspaceID: Int64) async throws -> Int64 {
        try await sql.raw("UPDATE workspaces SET revision = revision + 1 WHERE id = \(bind: workspaceID) RETURNING revision")
            .first()?.decode(column: "revision", as: Int64.self) ?? 0
    }

    /// Takes SQLite's write lock before a transaction reads anything, without a new revision (for
    /// writes no cache depends on): a transaction that reads first fails at once, instead of
    /// waiting, when another connection writes in between. No-op on PostgreSQL.
    public static func lockForWrite(_ sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("UPDATE workspaces SET name = name WHERE id = 0").run()
    }

    /// How many write transactions the workspace has seen (see `beginWrite`).
    public func revision(of workspaceID: Int64) async throws -> Int64 {
        try await sql.select().column("revision").from("workspaces").where("id", .equal, workspaceID)
            .first()?.decode(column: "revision", as: Int64.self) ?? 0
    }

    /// Every workspace name, sorted.
    public func names() async throws -> [String] {
        try await sql.select().column("name").from("workspaces").orderBy("name").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }
}
