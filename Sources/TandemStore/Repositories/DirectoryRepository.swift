import FluentKit
import Foundation
import SQLKit
import TandemCore

/// Reads and writes the directory (territories, organizations, branches, people, employments) and
/// interactions of one workspace. Lists use SQLKit with keyset pagination; nothing here ever
/// reads or writes a row of another workspace.
public struct DirectoryRepository: Sendable {
    let database: any Database
    let sql: any SQLDatabase
    public let workspaceID: Int64

    public init(database: any Database, workspaceID: Int64) throws {
        self.database = database
        self.sql = try database.sql()
        self.workspaceID = workspaceID
    }

    // MARK: - Shared helpers

    /// Conditions joined by AND, always scoped to the workspace of the table aliased `t`.
    func scoped(_ conditions: [SQLQueryString]) -> SQLQueryString {
        ([SQLQueryString("t.workspace_id = \(bind: workspaceID)")] + conditions).joined(separator: " AND ")
    }

    /// The ids of a territory and every territory below it.
    func territorySubtree(_ code: String) -> SQLQueryString {
        """
        (WITH RECURSIVE sub(id) AS (SELECT id FROM territories WHERE workspace_id = \(bind: workspaceID) AND code = \(bind: code) \
        UNION ALL SELECT c.id FROM territories c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)
        """
    }

    func page<T>(_ rows: [any SQLRow], limit: Int, map: (any SQLRow) throws -> T, cursor: (any SQLRow) throws -> [String]) throws -> ListPage<T> {
        let items = try rows.prefix(limit).map(map)
        let next = rows.count > limit ? Cursor.encode(try cursor(rows[limit - 1])) : nil
        return ListPage(items: items, nextCursor: next)
    }

    func idOf(_ table: String, key: String, column: String = "key") async throws -> Int64? {
        try await sql.select().column("id").from(table).where("workspace_id", .equal, workspaceID)
            .where(SQLColumn(column), .equal, SQLBind(key)).first()?.decode(column: "id", as: Int64.self)
    }

    func require(_ table: String, kind: String, key: String, column: String = "key") async throws -> Int64 {
        guard let id = try await idOf(table, key: key, column: column) else { throw StoreError.notFound(kind: kind, key: key) }
        return id
    }

    static func clamp(_ limit: Int) -> Int { min(max(limit, 1), ListQuery.maxLimit) }
}
