import FluentKit
import SQLKit

/// Indexes for every foreign key and for the API's filters and sorts.
struct CreateIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("territories_parent", "territories", ["parent_id"]),
        ("branches_organization", "branches", ["organization_id"]),
        ("branches_territory", "branches", ["territory_id"]),
        ("employments_person", "employments", ["person_id"]),
        ("employments_organization", "employments", ["organization_id", "function"]),
        ("employments_branch", "employments", ["branch_id"]),
        ("interactions_date", "interactions", ["workspace_id", "occurred_on", "id"]),
        ("interactions_initiator", "interactions", ["initiator_id"]),
        ("participants_person", "interaction_participants", ["person_id", "interaction_id"]),
        ("partnerships_counterpart", "partnerships", ["counterpart_id"]),
        ("goals_partnership", "goals", ["partnership_id"]),
        ("commitments_partnership", "commitments", ["partnership_id"]),
        ("contributions_commitment", "contributions", ["commitment_id"]),
        ("risks_partnership", "risks", ["partnership_id"]),
        ("sales_branch", "sales", ["branch_id", "period"]),
        ("sales_manufacturer", "sales", ["manufacturer_id"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var builder = sql.create(index: index.name).on(index.table)
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            try await sql.drop(index: index.name).run()
        }
    }
}

/// The initiator is always the first participant, so `participants_person` already finds a
/// person's interactions; a second index on `initiator_id` only slowed every insert and import.
struct DropInitiatorIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql().drop(index: "interactions_initiator").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().create(index: "interactions_initiator").on("interactions").column("initiator_id").run()
    }
}

/// Every migration, in order. Append only.
public enum TandemMigrations {
    public static let all: [any Migration] = [
        CreateWorkspace(), CreateTerritory(), CreateOrganization(), CreateBranch(), CreatePerson(),
        CreateEmployment(), CreateInteraction(), CreatePartnership(), CreateSale(), CreateIndexes(), DropInitiatorIndex(),
        CreatePartnershipRecords(), UniquePartnershipEvents(), CreateAccounts(), CreateSignInThrottle(),
        UpdateWorkspacesAddRevision(), CreateWorkspaceChanges(),
    ]
}
