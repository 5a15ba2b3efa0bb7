import FluentKit

/// Monthly sell-in and sell-through per manufacturer, distributor branch and product line.
struct CreateSale: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sales")
            .field(.id, .int64, .identifier(auto: true))
            .field("workspace_id", .int64, .required, .references("workspaces", .id, onDelete: .cascade))
            .field("period", .string, .required)
            .field("manufacturer_id", .int64, .required, .references("organizations", .id, onDelete: .cascade))
            .field("branch_id", .int64, .required, .references("branches", .id, onDelete: .cascade))
            .field("product_line", .string, .required)
            .field("sell_in_amount", .double)
            .field("sell_through_amount", .double)
            .field("manufacturer_gross_profit", .double)
            .field("distributor_gross_profit", .double)
            .field("currency", .string)
            .unique(on: "workspace_id", "period", "manufacturer_id", "branch_id", "product_line")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sales").delete()
    }
}
