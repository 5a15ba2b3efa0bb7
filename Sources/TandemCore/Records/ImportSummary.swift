/// What an import did.
public struct ImportSummary: Sendable {
    /// Data rows read per file name, in import order.
    public var rows: [(file: String, count: Int)]
    public var warnings: [BundleIssue]
    public var seconds: Double
    /// A dry run only: rows each file would add (the rest update or repeat rows already there).
    public var created: [String: Int] = [:]
    /// True when nothing was written: the import was a dry run, rolled back at its end.
    public var dryRun = false

    public var totalRows: Int { rows.reduce(0) { $0 + $1.count } }

    public init(rows: [(file: String, count: Int)], warnings: [BundleIssue], seconds: Double, created: [String: Int] = [:], dryRun: Bool = false) {
        self.rows = rows
        self.warnings = warnings
        self.seconds = seconds
        self.created = created
        self.dryRun = dryRun
    }
}

/// What an import of a foreign file did, or (in a dry run) would do.
public struct ForeignImportSummary: Sendable {
    public var plan: ImportPlan
    public var bundle: ImportSummary
    public var warnings: [BundleIssue]

    public init(plan: ImportPlan, bundle: ImportSummary, warnings: [BundleIssue]) {
        self.plan = plan
        self.bundle = bundle
        self.warnings = warnings
    }
}
