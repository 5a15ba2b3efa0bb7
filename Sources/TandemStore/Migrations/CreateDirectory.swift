import FluentKit

/// Workspaces: every other row belongs to exactly one.
struct CreateWorkspace: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("workspaces")
            .field(.id, .int64, .identifier(auto: true))
            .field("name", .string, .required)
            .field("created_at", .string, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("workspaces").delete()
    }
}

struct CreateTerritory: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("territories")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("parent_id", .int64, .references("territories", .id, onDelete: .setNull))
            .field("country", .string)
            .unique(on: "workspace_id", "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("territories").delete()
    }
}

struct CreateOrganization: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("organizations")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("key", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("country", .string)
            .field("currency", .string)
            .field("is_home", .bool, .required)
            .unique(on: "workspace_id", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("organizations").delete()
    }
}

struct CreateBranch: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("branches")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("key", .string, .required)
            .field("organization_id", .int64, .required, .references("organizations", .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("city", .string)
            .field("country", .string)
            .field("territory_id", .int64, .references("territories", .id, onDelete: .setNull))
            .unique(on: "workspace_id", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("branches").delete()
    }
}

struct CreatePerson: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("people")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("key", .string, .required)
            .field("name", .string, .required)
            .field("email", .string)
            .field("phone", .string)
            .field("country", .string)
            .unique(on: "workspace_id", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("people").delete()
    }
}

/// A person's jobs over time; two may overlap.
struct CreateEmployment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("employments")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("person_id", .int64, .required, .references("people", .id, onDelete: .cascade))
            .field("organization_id", .int64, .required, .references("organizations", .id, onDelete: .cascade))
            .field("branch_id", .int64, .references("branches", .id, onDelete: .setNull))
            .field("function", .string, .required)
            .field("title", .string)
            .field("start_date", .string, .required)
            .field("end_date", .string)
            .unique(on: "workspace_id", "person_id", "organization_id", "function", "start_date")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("employments").delete()
    }
}

/// A count of the workspace's write transactions, which caches compare (WorkspaceRepository.beginWrite).
struct UpdateWorkspacesAddRevision: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("workspaces").field("revision", .int64, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("workspaces").deleteField("revision").update()
    }
}

/// What each of the latest revisions of a workspace changed, for the read models of other
/// processes (`WorkspaceRepository.recordChange`): one row per revision that a read model can
/// fold in without reading the whole workspace again. A revision without a row is read again.
struct CreateWorkspaceChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("workspace_changes")
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("revision", .int64, .required)
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .unique(on: "workspace_id", "revision")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("workspace_changes").delete()
    }
}
