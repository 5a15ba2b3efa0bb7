import FluentKit
import SQLKit

/// A partnership's lifecycle (each change of status, dated, with a note) and its business
/// reviews with their attendees and notes marked shared or internal.
struct CreatePartnershipRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("partnership_events")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("partnership_id", .int64, .required, .references("partnerships", .id, onDelete: .cascade))
            .field("date", .string, .required)
            .field("status", .string, .required)
            .field("note", .string)
            .create()
        try await database.sql().create(index: "partnership_events_partnership").on("partnership_events").column("partnership_id").run()
        try await database.schema("reviews")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("key", .string, .required)
            .field("partnership_id", .int64, .required, .references("partnerships", .id, onDelete: .cascade))
            .field("date", .string, .required)
            .field("visibility", .string, .required)
            .field("notes", .string)
            .unique(on: "workspace_id", "key")
            .create()
        try await database.sql().create(index: "reviews_partnership").on("reviews").column("partnership_id").run()
        try await database.schema("review_attendees")
            .field("review_id", .int64, .required, .references("reviews", .id, onDelete: .cascade))
            .field("person_id", .int64, .required, .references("people", .id, onDelete: .cascade))
            .field("position", .int64, .required)
            .compositeIdentifier(over: "review_id", "person_id")
            .create()
        try await database.sql().create(index: "review_attendees_person").on("review_attendees").column("person_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["review_attendees", "reviews", "partnership_events"] { try await database.schema(table).delete() }
    }
}

/// One change of status per partnership, day and status, so that a bundle of events imports
/// idempotently.
struct UniquePartnershipEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // Keep the latest of any same-day repeats recorded before the index existed.
        try await database.sql().raw("""
            DELETE FROM partnership_events WHERE id NOT IN (SELECT MAX(id) FROM partnership_events GROUP BY partnership_id, date, status)
            """).run()
        try await database.sql().create(index: "partnership_events_change").unique().on("partnership_events")
            .column("partnership_id").column("date").column("status").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().drop(index: "partnership_events_change").run()
    }
}
