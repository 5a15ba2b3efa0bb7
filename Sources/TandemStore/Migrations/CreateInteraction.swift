import FluentKit
import SQLKit

/// Dealings between people and who took part in them.
struct CreateInteraction: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("interactions")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("key", .string, .required)
            .field("occurred_on", .string, .required)
            .field("occurred_at", .string)
            .field("kind", .string, .required)
            .field("initiator_id", .int64, .required, .references("people", .id, onDelete: .cascade))
            .field("duration_minutes", .int64)
            .field("summary", .string)
            .unique(on: "workspace_id", "key")
            .create()
        if let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" {
            // Without a rowid the primary key is the table: one B-tree to write per participant, not two.
            try await sql.raw("""
                CREATE TABLE "interaction_participants" (\
                "interaction_id" INTEGER NOT NULL REFERENCES "interactions" ("id") ON DELETE CASCADE, \
                "person_id" INTEGER NOT NULL REFERENCES "people" ("id") ON DELETE CASCADE, \
                PRIMARY KEY ("interaction_id", "person_id")) WITHOUT ROWID
                """).run()
        } else {
            try await database.schema("interaction_participants")
                .field("interaction_id", .int64, .required, .references("interactions", .id, onDelete: .cascade))
                .field("person_id", .int64, .required, .references("people", .id, onDelete: .cascade))
                .compositeIdentifier(over: "interaction_id", "person_id")
                .create()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("interaction_participants").delete()
        try await database.schema("interactions").delete()
    }
}
