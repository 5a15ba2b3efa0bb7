import FluentKit
import SQLKit

/// Users of a workspace with their role (and, for partner guests, their organization and the
/// partnerships they were invited to), API tokens and sign-in sessions (stored as hashes only),
/// and the audit trail.
struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("email", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("organization_id", .int64, .references("organizations", .id, onDelete: .restrict))
            .field("created_at", .string, .required)
            .field("disabled_at", .string)
            .unique(on: "workspace_id", "email")
            .create()
        try await database.schema("user_partnerships")
            .field("user_id", .int64, .required, .references("users", .id, onDelete: .cascade))
            .field("partnership_id", .int64, .required, .references("partnerships", .id, onDelete: .cascade))
            .compositeIdentifier(over: "user_id", "partnership_id")
            .create()
        try await database.schema("api_tokens")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("user_id", .int64, .required, .references("users", .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("label", .string)
            .field("created_at", .string, .required)
            .field("last_used_at", .string)
            .field("revoked_at", .string)
            .unique(on: "token_hash")
            .create()
        try await database.schema("sessions")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("user_id", .int64, .required, .references("users", .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("csrf_token", .string, .required)
            .field("created_at", .string, .required)
            .field("last_seen_at", .string, .required)
            .unique(on: "token_hash")
            .create()
        try await database.schema("audit_events")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("at", .string, .required)
            .field("user_id", .int64, .references("users", .id, onDelete: .setNull))
            .field("actor", .string)
            .field("action", .string, .required)
            .field("target", .string)
            .field("detail", .string)
            .field("address", .string)
            .create()
        try await database.sql().create(index: "audit_events_workspace_at").on("audit_events").column("workspace_id").column("at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["audit_events", "sessions", "api_tokens", "user_partnerships", "users"] { try await database.schema(table).delete() }
    }
}

/// Failed sign-ins per address and per account, in the database so that every `tandem serve`
/// on one PostgreSQL counts them together.
struct CreateSignInThrottle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sign_in_failures")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("subject", .string, .required)
            .field("failures", .int64, .required)
            .field("last_failure_at", .string, .required)
            .field("blocked_until", .string)
            .unique(on: "workspace_id", "subject")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sign_in_failures").delete()
    }
}
