import SQLKit
import TandemCore

extension ImportRun {
    func loadSales(_ reader: inout BundleRowReader, path: String, _ meter: ProgressMeter) async throws -> Int {
        let writer = try await LargeFileWriter(run: self, table: "sales",
                                               columns: ["workspace_id", "period", "manufacturer_id", "branch_id", "product_line", "sell_in_amount",
                                                         "sell_through_amount", "manufacturer_gross_profit", "distributor_gross_profit", "currency"],
                                               conflict: ["workspace_id", "period", "manufacturer_id", "branch_id", "product_line"],
                                               identity: (["period", "manufacturer_id", "branch_id", "product_line"], { row in
            Self.saleIdentity(try row.text("period"), try row.int("manufacturer_id"), try row.int("branch_id"), try row.text("product_line"))
        }))
        let organizations = self.organizations, kinds = organizationKinds, branches = self.branches
        // Keys by id, for messages about repeated rows (a file pasted in twice has many).
        let keys = SaleKeys(organizations: Dictionary(organizations.map { ($1, $0) }, uniquingKeysWith: { first, _ in first }),
                            branches: Dictionary(branches.map { ($1, $0) }, uniquingKeysWith: { first, _ in first }))
        let rejectedOrganizations = rejected[.organizations], rejectedBranches = rejected[.branches], workspaceID = self.workspaceID
        let repeats = RowPipeline.RepeatRule(column: "period") {
            "duplicate sales row: \(Self.describeSale($0, keys: keys)) is already on line \($1)"
        }
        return try await streamInParallel(&reader, path: path, meter, repeats: repeats, prepare: { row -> PreparedRow? in
            guard let record = SaleRecord.parse(&row) else { return nil }
            let manufacturer = ImportRun.resolve(record.manufacturerKey, in: organizations, rejected: rejectedOrganizations, file: .organizations,
                                                 what: "organization", row: &row, column: "manufacturer_key")
            if let manufacturer, let known = kinds[manufacturer], let kind = known, kind != .manufacturer {
                row.fail("manufacturer_key", "\"\(record.manufacturerKey)\" is a \(kind.rawValue), not a manufacturer")
            }
            let branch = ImportRun.resolve(record.branchKey, in: branches, rejected: rejectedBranches, file: .branches,
                                           what: "branch", row: &row, column: "branch_key")
            guard row.isValid, let manufacturer, let branch else { return nil }
            let period = record.period.description
            return PreparedRow(identity: Self.saleIdentity(period, manufacturer, branch, record.productLine), line: row.line, values: [
                BulkValue(workspaceID), BulkValue(period), BulkValue(manufacturer), BulkValue(branch),
                BulkValue(record.productLine), BulkValue(record.sellIn), BulkValue(record.sellThrough),
                BulkValue(record.manufacturerGrossProfit), BulkValue(record.distributorGrossProfit), BulkValue(record.currency)])
        }, flush: { batch in
            for row in try await writer.write(batch).repeated {
                let sale = Self.describeSale(row.identity, keys: keys)
                log.add(file: "sales.csv", line: row.line, column: "period", "duplicate sales row: \(sale) appears earlier in this file")
            }
        })
    }

    /// Organization and branch keys by id.
    struct SaleKeys: Sendable {
        var organizations: [Int64: String]
        var branches: [Int64: String]
    }

    /// A sales row's identity in words, for a message: only rows with problems need it.
    static func describeSale(_ identity: String, keys: SaleKeys) -> String {
        let parts = identity.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let manufacturer = Int64(parts[1]), let branch = Int64(parts[2]) else { return identity }
        let manufacturerKey = keys.organizations[manufacturer] ?? parts[1]
        let branchKey = keys.branches[branch] ?? parts[2]
        return "\(parts[0]) for \"\(manufacturerKey)\" at \"\(branchKey)\"" + (parts[3].isEmpty ? "" : " in \"\(parts[3])\"")
    }

    static func saleIdentity(_ period: String, _ manufacturer: Int64, _ branch: Int64, _ productLine: String) -> String {
        "\(period)\u{1F}\(manufacturer)\u{1F}\(branch)\u{1F}\(productLine)"
    }
}
