import FluentKit
import Foundation
import SQLKit

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

    /// Takes SQLite's write lock before the transaction reads anything, so a write transaction
    /// never works from a snapshot another connection has since changed (which SQLite would
    /// refuse at the first write with SQLITE_BUSY_SNAPSHOT). No-op on PostgreSQL.
    public static func beginWrite(_ sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("UPDATE workspaces SET name = name WHERE id = 0").run()
    }

    /// Every workspace name, sorted.
    public func names() async throws -> [String] {
        try await sql.select().column("name").from("workspaces").orderBy("name").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }
}

public enum WorkspaceError: Error, CustomStringConvertible {
    case invalidName(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .invalidName(let name): "\"\(name)\" is not a usable workspace name"
        case .notFound(let name): "no workspace named \"\(name)\""
        }
    }
}
