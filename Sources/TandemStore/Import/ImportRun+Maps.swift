import SQLKit
import TandemCore

/// The key → id maps every reference is resolved against: loaded from the workspace before the
/// first file, so a bundle may refer to what the workspace already holds, and reloaded after each
/// file that adds keys.
extension ImportRun {
    func loadExistingKeys() async throws {
        try await reloadTerritories()
        try await reloadOrganizations()
        try await reloadBranches()
        try await reloadPeople()
        try await reloadPartnerships()
        try await reloadGoals()
        try await reloadCommitments()
    }

    func reloadTerritories() async throws {
        territories = try await keyMap("territories", keyColumn: "code")
    }

    func reloadOrganizations() async throws {
        organizations = [:]
        organizationKinds = [:]
        homeOrganizationID = nil
        var homes = 0
        for row in try await rows("SELECT key, id, kind, is_home FROM organizations WHERE workspace_id = \(bind: workspaceID)") {
            let id = try row.decode(column: "id", as: Int64.self)
            organizations[try row.decode(column: "key", as: String.self)] = id
            organizationKinds[id] = OrganizationKind(rawValue: try row.decode(column: "kind", as: String.self))
            if try row.decode(column: "is_home", as: Bool.self) {
                homes += 1
                homeOrganizationID = id
            }
        }
        if homes != 1 { homeOrganizationID = nil }
    }

    func reloadBranches() async throws {
        branches = [:]
        branchOrganization = [:]
        for row in try await rows("SELECT key, id, organization_id FROM branches WHERE workspace_id = \(bind: workspaceID)") {
            let id = try row.decode(column: "id", as: Int64.self)
            branches[try row.decode(column: "key", as: String.self)] = id
            branchOrganization[id] = try row.decode(column: "organization_id", as: Int64.self)
        }
    }

    func reloadPeople() async throws {
        people = try await keyMap("people")
    }

    func reloadPartnerships() async throws {
        partnerships = [:]
        partnershipCounterpart = [:]
        for row in try await rows("SELECT key, id, counterpart_id FROM partnerships WHERE workspace_id = \(bind: workspaceID)") {
            let id = try row.decode(column: "id", as: Int64.self)
            partnerships[try row.decode(column: "key", as: String.self)] = id
            partnershipCounterpart[id] = try row.decode(column: "counterpart_id", as: Int64.self)
        }
    }

    func reloadGoals() async throws {
        goals = try await keyMap("goals")
    }

    func reloadCommitments() async throws {
        commitments = [:]
        for row in try await rows("SELECT key, id FROM commitments WHERE workspace_id = \(bind: workspaceID)") {
            commitments[try row.decode(column: "key", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
    }

    private func rows(_ query: SQLQueryString) async throws -> [any SQLRow] {
        try await sql.raw(query).all()
    }
}
