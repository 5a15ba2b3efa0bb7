import Foundation

/// One line of a point-of-sale report, whatever its format: a product sold (or returned) by a
/// distributor's location on a day.
public struct POSLine: Sendable, Equatable {
    /// Where the line is in its file: a line number, and for X12 the segment that starts it.
    public var line: Int
    public var place: String?
    /// The distributor's id of the selling location (its branch).
    public var location: String
    public var date: LocalDate
    public var catalogNumber: String?
    public var upc: String?
    /// Negative for a return.
    public var quantity: Double
    /// What the distributor paid (cost of goods), and what its customer paid (resale), extended.
    public var extendedCost: Double?
    public var extendedResale: Double?
    /// A transfer between the distributor's own locations: not a sale.
    public var isTransfer: Bool

    public init(line: Int, place: String? = nil, location: String, date: LocalDate, catalogNumber: String? = nil, upc: String? = nil,
                quantity: Double, extendedCost: Double? = nil, extendedResale: Double? = nil, isTransfer: Bool = false) {
        self.line = line
        self.place = place
        self.location = location
        self.date = date
        self.catalogNumber = catalogNumber
        self.upc = upc
        self.quantity = quantity
        self.extendedCost = extendedCost
        self.extendedResale = extendedResale
        self.isTransfer = isTransfer
    }
}

/// A point-of-sale report read from its file: its lines, and the period it says it covers.
public struct POSReport: Sendable {
    public var lines: [POSLine]
    public var periodStart: LocalDate?
    public var periodEnd: LocalDate?
    public var currency: String?
}

/// How a point-of-sale report's locations and products map onto Tandem's branches and product lines.
public struct POSMapping: Sendable {
    /// Location id → branch key (a locations file: `location,branch_key`).
    public var branches: [String: String] = [:]
    /// Product → product line: an exact UPC, or the longest catalog-number prefix (a products file: `product,product_line`).
    public var productLines: [String: String] = [:]
    /// The manufacturer the sales are of (default: the home organization).
    public var manufacturer: String?
    public var currency: String?

    public init() {}

    /// Reads a two-column mapping file (a header row, then `from,to` rows); problems at their lines.
    public static func readPairs(_ url: URL, from: String, to: String) -> (pairs: [String: String], problems: [BundleIssue]) {
        let name = url.lastPathComponent
        var pairs: [String: String] = [:], problems: [BundleIssue] = []
        guard var reader = try? CSVReader(path: url.path) else {
            return ([:], [BundleIssue(file: name, line: 0, column: nil, message: "cannot be read")])
        }
        var header: [String]?
        var seen: [String: Int] = [:]
        while true {
            let record: CSVRecord?
            do { record = try reader.next() } catch {
                problems.append(BundleIssue(file: name, line: error.line, column: nil, message: error.description))
                break
            }
            guard let record else { break }
            guard let columns = header else {
                header = record.fields.map { $0.trimmed.lowercased() }
                if !(header!.contains(from) && header!.contains(to)) {
                    problems.append(BundleIssue(file: name, line: record.line, column: nil, message: "expected a header row with the columns \(from) and \(to)"))
                    break
                }
                continue
            }
            let fromIndex = columns.firstIndex(of: from)!, toIndex = columns.firstIndex(of: to)!
            let key = fromIndex < record.fields.count ? record.fields[fromIndex].trimmed : ""
            let value = toIndex < record.fields.count ? record.fields[toIndex].trimmed : ""
            if key.isEmpty && value.isEmpty { continue }
            if key.isEmpty || key.allSatisfy({ " -./".contains($0) }) {
                problems.append(BundleIssue(file: name, line: record.line, column: from, message: "required value is missing"))
                continue
            }
            if value.isEmpty { problems.append(BundleIssue(file: name, line: record.line, column: to, message: "required value is missing")); continue }
            if let first = seen[key.uppercased()] {
                problems.append(BundleIssue(file: name, line: record.line, column: from, message: "\"\(key)\" is already mapped on line \(first)"))
                continue
            }
            seen[key.uppercased()] = record.line
            pairs[key] = value
        }
        if header == nil { problems.append(BundleIssue(file: name, line: 0, column: nil, message: "empty: expected a header row \(from),\(to)")) }
        return (pairs, problems)
    }
}

/// Turns a point-of-sale report into monthly sell-through sales rows (docs/importers.md): one row
/// per month (of the invoice date), branch and product line, with the sum of what customers paid
/// as sell-through and, where the report gives both, resale minus cost as the distributor's gross
/// profit. Transfers between the distributor's locations are left out; returns count negative.
/// Importing a report sets these months' figures for its branches and product lines, so importing
/// it again changes nothing.
public struct POSTranslator: Sendable {
    public var mapping: POSMapping

    public init(mapping: POSMapping) {
        self.mapping = mapping
    }

    struct Total {
        var line: Int
        var sellThrough = 0.0
        var grossProfit: Double? = 0
        var lines = 0
        var atCost = 0
    }

    public func translate(_ report: POSReport, source: String, index: WorkspaceIndex, issueLimit: Int = 200) -> Translation {
        var translation = Translation(source: source, issueLimit: issueLimit)
        guard let manufacturer = mapping.manufacturer ?? index.homeOrganizationKey else {
            translation.fail(line: 0, nil, "no manufacturer: the workspace has no home organization, so name one with --manufacturer")
            return translation
        }
        if let known = index.organization(key: manufacturer), let kind = known.kind, kind != .manufacturer {
            translation.fail(line: 0, nil, "\"\(manufacturer)\" is a \(kind.rawValue), not a manufacturer")
            return translation
        }
        var totals: [String: Total] = [:], order: [String] = []
        var unmapped: [String: (line: Int, count: Int)] = [:]
        var transfers = 0, unmappedProducts = 0
        let branchKeys = Set(index.branches.map(\.key))
        // Location ids compare without case and surrounding spaces; the longest catalog prefix wins.
        let branchesByLocation = Dictionary(mapping.branches.map { ($0.key.trimmed.uppercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        let prefixes = mapping.productLines.map { (prefix: Self.normalizedCatalog($0.key), line: $0.value) }
            .filter { !$0.prefix.isEmpty }.sorted { $0.prefix.count > $1.prefix.count }
        for line in report.lines {
            if line.isTransfer { transfers += 1; continue }
            let branch = branchesByLocation[line.location.trimmed.uppercased()] ?? (branchKeys.contains(line.location) ? line.location : nil)
            guard let branch else {
                unmapped[line.location] = (unmapped[line.location]?.line ?? line.line, (unmapped[line.location]?.count ?? 0) + 1)
                continue
            }
            var productLine = ""
            if !mapping.productLines.isEmpty {
                if let upc = line.upc, let mapped = mapping.productLines[upc] {
                    productLine = mapped
                } else if let catalog = line.catalogNumber.map(Self.normalizedCatalog),
                          let match = prefixes.first(where: { catalog.hasPrefix($0.prefix) }) {
                    productLine = match.line
                } else {
                    unmappedProducts += 1
                }
            }
            let month = YearMonth("\(LocalDate.pad(line.date.year, 4))-\(LocalDate.pad(line.date.month, 2))")!
            let identity = "\(month)\u{1F}\(branch)\u{1F}\(productLine)"
            var total = totals[identity] ?? { order.append(identity); return Total(line: line.line) }()
            total.lines += 1
            if let resale = line.extendedResale {
                total.sellThrough += resale
                if let cost = line.extendedCost { total.grossProfit = total.grossProfit.map { $0 + resale - cost } } else { total.grossProfit = nil }
            } else if let cost = line.extendedCost {
                total.sellThrough += cost
                total.atCost += 1
                total.grossProfit = nil
            }
            totals[identity] = total
        }
        for (location, seen) in unmapped.sorted(by: { $0.value.line < $1.value.line }) {
            translation.fail(line: seen.line, "location",
                             "location \"\(location)\" (\(seen.count) line\(seen.count == 1 ? "" : "s")) is not a branch: map it to a branch key in a locations file (location,branch_key)")
        }
        let currency = mapping.currency ?? report.currency
        for identity in order {
            guard let total = totals[identity] else { continue }
            let parts = identity.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            translation.add(.sales, ["period": parts[0], "manufacturer_key": manufacturer, "branch_key": parts[1], "product_line": parts[2],
                                     "sell_through_amount": Self.amount(total.sellThrough),
                                     "distributor_gross_profit": total.grossProfit.map(Self.amount), "currency": currency],
                            origin: RowOrigin(line: total.line))
            translation.plan.add(total.line, .set, "sales row",
                                 "\(parts[0]) at \(parts[1])" + (parts[2].isEmpty ? "" : " in \(parts[2])")
                                 + ": sell-through \(Self.amount(total.sellThrough)) from \(total.lines) line\(total.lines == 1 ? "" : "s")"
                                 + (total.atCost > 0 ? " (\(total.atCost) without resale, counted at cost)" : ""))
        }
        if transfers > 0 { translation.plan.notes.append("\(transfers) transfer line\(transfers == 1 ? " is" : "s are") between the distributor's own locations, not sales: left out") }
        if unmappedProducts > 0 { translation.plan.notes.append("\(unmappedProducts) line\(unmappedProducts == 1 ? "" : "s") match no product in the products file: counted without a product line") }
        if let start = report.periodStart, let end = report.periodEnd, start.day != 1 || end.adding(days: 1).day != 1 {
            translation.warn(line: 0, nil, "the report covers \(start) to \(end), not whole months: importing it sets these months' sell-through to its figures alone")
        }
        return translation
    }

    /// Upper-case, without spaces, dashes, dots and slashes: "LT2X4-40" and "lt 2x4.40" compare equal.
    static func normalizedCatalog(_ text: String) -> String {
        String(text.uppercased().unicodeScalars.filter { !" -./".unicodeScalars.contains($0) }.map(Character.init))
    }

    static func amount(_ value: Double) -> String {
        String(format: "%.2f", (value * 100).rounded() / 100)
    }
}
