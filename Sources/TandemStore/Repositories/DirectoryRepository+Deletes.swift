import FluentKit
import Foundation
import SQLKit
import TandemCore

extension DirectoryRepository {
    // MARK: - Deletes

    /// Who refers to a record, so that a delete never silently takes other records with it.
    static let dependents: [String: [(table: String, column: String, what: String)]] = [
        "territories": [("territories", "parent_id", "territories below it"), ("branches", "territory_id", "branches"),
                        ("partnership_territories", "territory_id", "partnerships")],
        "organizations": [("branches", "organization_id", "branches"), ("employments", "organization_id", "employments"),
                          ("partnerships", "counterpart_id", "partnerships"), ("commitments", "party_id", "commitments"),
                          ("risks", "party_id", "risks"), ("sales", "manufacturer_id", "sales rows")],
        "branches": [("employments", "branch_id", "employments"), ("sales", "branch_id", "sales rows")],
        "people": [("employments", "person_id", "employments"), ("interaction_participants", "person_id", "interactions"),
                   ("partnership_signatories", "person_id", "partnership signatures"), ("goal_owners", "person_id", "goals"),
                   ("contributions", "confirmed_by_id", "confirmed contributions"), ("review_attendees", "person_id", "business reviews")],
    ]

    /// Deletes a keyed record; refuses with a conflict naming what still refers to it.
    public func delete(_ table: String, kind: String, key: String, column: String = "key") async throws {
        try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try DirectoryRepository(database: db, workspaceID: workspaceID)
            try await WorkspaceRepository.beginWrite(repo.sql, workspaceID: repo.workspaceID)
            let id = try await repo.require(table, kind: kind, key: key, column: column)
            if table == "organizations", try await repo.homeKey() == key {
                throw StoreError.conflict("\"\(key)\" is the home organization: the workspace must always have one")
            }
            var uses: [String] = []
            for dependent in Self.dependents[table] ?? [] {
                let count = try await repo.sql.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM \(ident: dependent.table) WHERE \(ident: dependent.column) = \(bind: id) LIMIT 1000) x")
                    .first()?.decode(column: "n", as: Int64.self) ?? 0
                if count > 0 { uses.append("\(count >= 1000 ? "1000+" : String(count)) \(dependent.what)") }
            }
            guard uses.isEmpty else {
                throw StoreError.conflict("\(kind) \"\(key)\" is still referred to by \(uses.joined(separator: ", ")); remove or move those first")
            }
            try await repo.sql.delete(from: table).where("id", .equal, id).run()
        }
    }

    /// Deletes an employment, as a write of the workspace (a new revision, so that what servers
    /// computed or cached from the data is recomputed).
    public func deleteEmployment(id: Int64) async throws {
        try await database.writeTransaction(workspaceID: workspaceID) { db in
            let sql = try db.sql()
            try await WorkspaceRepository.beginWrite(sql, workspaceID: workspaceID)
            let deleted = try await sql.raw("DELETE FROM employments WHERE workspace_id = \(bind: workspaceID) AND id = \(bind: id) RETURNING id").all()
            if deleted.isEmpty { throw StoreError.notFound(kind: "employment", key: String(id)) }
        }
    }
}
