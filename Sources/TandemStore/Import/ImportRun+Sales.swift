import SQLKit
import TandemCore

extension ImportRun {
    func loadSales(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen = Set<String>()
        return try await stream(&reader, meter, parse: { row -> [any SQLExpression]? in
            guard let record = SaleRecord.parse(&row) else { return nil }
            let identity = "\(record.period)\u{1F}\(record.manufacturerKey)\u{1F}\(record.branchKey)\u{1F}\(record.productLine)"
            if !seen.insert(identity).inserted {
                row.fail("period", "duplicate sales row: \(record.period) for \"\(record.manufacturerKey)\" at \"\(record.branchKey)\"\(record.productLine.isEmpty ? "" : " in \"\(record.productLine)\"") appears earlier in this file")
            }
            let manufacturer = resolve(record.manufacturerKey, in: organizations, file: .organizations, what: "organization",
                                       row: &row, column: "manufacturer_key")
            if let manufacturer, let kind = organizationKinds[manufacturer], kind != .manufacturer {
                row.fail("manufacturer_key", "\"\(record.manufacturerKey)\" is a \(kind.rawValue), not a manufacturer")
            }
            let branch = resolve(record.branchKey, in: branches, file: .branches, what: "branch", row: &row, column: "branch_key")
            guard row.isValid, let manufacturer, let branch else { return nil }
            return [SQLBind(workspaceID), SQLBind(record.period.description), SQLBind(manufacturer), SQLBind(branch),
                    SQLBind(record.productLine), bind(record.sellIn), bind(record.sellThrough),
                    bind(record.manufacturerGrossProfit), bind(record.distributorGrossProfit), bind(record.currency)]
        }, flush: { batch in
            try await upsert("sales",
                             columns: ["workspace_id", "period", "manufacturer_id", "branch_id", "product_line", "sell_in_amount",
                                       "sell_through_amount", "manufacturer_gross_profit", "distributor_gross_profit", "currency"],
                             conflict: ["workspace_id", "period", "manufacturer_id", "branch_id", "product_line"], rows: batch)
        })
    }
}
