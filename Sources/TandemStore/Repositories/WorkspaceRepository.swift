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

    /// Records, in the transaction of the write that made `revision`, what it changed, so that
    /// the read model of another process can fold it in (`changes(of:after:through:)`) instead of
    /// reading the whole workspace again; a revision without a record is read again. Keeps the
    /// latest `WorkspaceChange.kept` revisions' records.
    public static func recordChange(_ sql: any SQLDatabase, workspaceID: Int64, revision: Int64,
                                    _ kind: WorkspaceChange.Kind, subject: String) async throws {
        try await sql.insert(into: "workspace_changes").columns("workspace_id", "revision", "kind", "subject")
            .values(SQLBind(workspaceID), SQLBind(revision), SQLBind(kind.rawValue), SQLBind(subject))
            .run()
        if revision % 256 == 0 {
            try await sql.delete(from: "workspace_changes").where("workspace_id", .equal, workspaceID)
                .where("revision", .lessThanOrEqual, revision - WorkspaceChange.kept).run()
        }
    }

    /// What the revisions after `after` up to `through` changed, in order; nil when one of them
    /// has no record (a change no read model folds in, one older than the records kept, or a
    /// restore), so the reader reads the workspace again.
    public func changes(of workspaceID: Int64, after: Int64, through: Int64) async throws -> [WorkspaceChange]? {
        guard through > after else { return [] }
        guard through - after <= WorkspaceChange.kept else { return nil }
        let rows = try await sql.select().column("revision").column("kind").column("subject").from("workspace_changes")
            .where("workspace_id", .equal, workspaceID).where("revision", .greaterThan, after)
            .where("revision", .lessThanOrEqual, through).orderBy("revision").all()
        var changes: [WorkspaceChange] = []
        for row in rows {
            let text = try row.decode(column: "kind", as: String.self)
            guard let kind = WorkspaceChange.Kind(rawValue: text) else { return nil }
            changes.append(WorkspaceChange(revision: try row.decode(column: "revision", as: Int64.self), kind: kind,
                                           subject: try row.decode(column: "subject", as: String.self)))
        }
        return changes.count == through - after ? changes : nil
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

/// What one revision of a workspace changed, as another process's read model reads it.
public struct WorkspaceChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A new interaction, `subject` its key.
        case interactionAdded = "interaction.added"
    }

    /// How many of the latest revisions' records are kept.
    public static let kept: Int64 = 4096

    public var revision: Int64
    public var kind: Kind
    public var subject: String
}
