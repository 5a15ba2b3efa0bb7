/// A problem found in a bundle, located as `file:line: column: message`.
public struct BundleIssue: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based physical line; 0 when the problem concerns the whole file or bundle.
    public var line: Int
    public var column: String?
    public var message: String

    public init(file: String, line: Int, column: String?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        if let column { return "\(place): \(column): \(message)" }
        return "\(place): \(message)"
    }
}

/// Collects a bounded number of issues and counts the rest, so a file of a million bad rows
/// reports usefully without exhausting memory.
public struct IssueLog: Sendable {
    public private(set) var issues: [BundleIssue] = []
    public private(set) var omitted = 0
    public let limit: Int

    public init(limit: Int = 200) { self.limit = max(limit, 1) }

    public var isEmpty: Bool { total == 0 }
    public var total: Int { issues.count + omitted }

    public mutating func add(_ issue: BundleIssue) {
        if issues.count < limit { issues.append(issue) } else { omitted += 1 }
    }

    public mutating func add(file: String, line: Int, column: String?, _ message: String) {
        add(BundleIssue(file: file, line: line, column: column, message: message))
    }

    /// Counts issues that were found but not kept elsewhere, such as in another log.
    public mutating func addOmitted(_ count: Int) { omitted += count }

    /// Puts the kept issues in bundle order: file by file as they are imported, then by line.
    public mutating func sortByPosition() {
        let order = Dictionary(uniqueKeysWithValues: BundleFile.allCases.enumerated().map { ($1.fileName, $0) })
        issues = issues.enumerated().sorted { a, b in
            (order[a.element.file] ?? -1, a.element.line, a.offset) < (order[b.element.file] ?? -1, b.element.line, b.offset)
        }.map(\.element)
    }

    /// Every kept issue on its own line, then how many more were not shown.
    public var report: String {
        var lines = issues.map(\.description)
        if omitted > 0 { lines.append("… and \(omitted) more problem\(omitted == 1 ? "" : "s") not shown") }
        return lines.joined(separator: "\n")
    }
}

/// An import that was refused: nothing was written.
public struct BundleRejected: Error, Sendable, CustomStringConvertible {
    public var errors: IssueLog
    public var warnings: [BundleIssue]

    public init(errors: IssueLog, warnings: [BundleIssue]) {
        self.errors = errors
        self.warnings = warnings
    }

    public var description: String {
        "import refused, nothing was changed (\(errors.total) problem\(errors.total == 1 ? "" : "s")):\n" + errors.report
    }
}
