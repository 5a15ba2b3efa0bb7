import SQLKit
import TandemCore

extension ImportRun {
    func loadSales(_ reader: inout BundleRowReader, path: String, _ meter: ProgressMeter) async throws -> Int {
        var watch = try await InsertionWatch(table: "sales", sql: sql)
        var described: [String: String] = [:]
        return try await streamInParallel(&reader, path: path, meter, parse: SaleRecord.parse, check: { row, record -> PreparedRow? in
            let manufacturer = resolve(record.manufacturerKey, in: organizations, file: .organizations, what: "organization",
                                       row: &row, column: "manufacturer_key")
            if let manufacturer, let known = organizationKinds[manufacturer], let kind = known, kind != .manufacturer {
                row.fail("manufacturer_key", "\"\(record.manufacturerKey)\" is a \(kind.rawValue), not a manufacturer")
            }
            let branch = resolve(record.branchKey, in: branches, file: .branches, what: "branch", row: &row, column: "branch_key")
            guard row.isValid, let manufacturer, let branch else { return nil }
            let identity = Self.saleIdentity(record.period.description, manufacturer, branch, record.productLine)
            described[identity] = "\(record.period) for \"\(record.manufacturerKey)\" at \"\(record.branchKey)\"" + (record.productLine.isEmpty ? "" : " in \"\(record.productLine)\"")
            return PreparedRow(identity: identity, line: row.line, values: [BulkValue(workspaceID), BulkValue(record.period.description), BulkValue(manufacturer), BulkValue(branch),
                    BulkValue(record.productLine), BulkValue(record.sellIn), BulkValue(record.sellThrough),
                    BulkValue(record.manufacturerGrossProfit), BulkValue(record.distributorGrossProfit), BulkValue(record.currency)])
        }, flush: { batch in
            let unique = dropRepeats(batch, file: "sales.csv", column: "period") { "duplicate sales row: \(described[$0] ?? $0) is already on line \($1)" }
            let rows = try await upsert("sales",
                             columns: ["workspace_id", "period", "manufacturer_id", "branch_id", "product_line", "sell_in_amount",
                                       "sell_through_amount", "manufacturer_gross_profit", "distributor_gross_profit", "currency"],
                             conflict: ["workspace_id", "period", "manufacturer_id", "branch_id", "product_line"], rows: unique.map(\.values),
                             returning: ["id", "period", "manufacturer_id", "branch_id", "product_line"])
            let returned = try rows.map { row in
                (id: try row.int("id"),
                 identity: Self.saleIdentity(try row.text("period"), try row.int("manufacturer_id"), try row.int("branch_id"), try row.text("product_line")))
            }
            reportRepeats(watch.repeated(returned), in: unique, file: "sales.csv", column: "period") {
                "duplicate sales row: \(described[$0] ?? $0) appears earlier in this file"
            }
            described.removeAll(keepingCapacity: true)
        })
    }

    static func saleIdentity(_ period: String, _ manufacturer: Int64, _ branch: Int64, _ productLine: String) -> String {
        "\(period)\u{1F}\(manufacturer)\u{1F}\(branch)\u{1F}\(productLine)"
    }
}
