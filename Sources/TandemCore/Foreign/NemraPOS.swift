import Foundation

/// Reads a point-of-sale report in the NEMRA minimum reporting layout as a spreadsheet exports it
/// to CSV. Columns are found by their header, whatever the order and whichever of the usual
/// spellings ("Branch #", "Loc", "Invoice Date", "Ext Cost" …); title rows above the header are
/// skipped. Amounts may carry $, thousands separators, or be negative as (12.00) or 12.00-; unit
/// prices per hundred or thousand (price unit C or M) are divided accordingly.
public enum NemraFormat {
    enum Field: String, CaseIterable {
        case location, date, catalog, upc, quantity, priceUnit, unitCost, extendedCost, unitResale, extendedResale, type
    }

    /// Header spellings per field, compared without case, spaces and punctuation ("#" reads as "no").
    static let spellings: [Field: Set<String>] = [
        .location: ["branch", "branchno", "branchid", "branchcode", "br", "brno", "location", "loc", "locno", "locationid", "locationno",
                    "store", "storeno", "whse", "warehouse", "sellingbranch", "shipfrombranch", "distributorbranch"],
        .date: ["invoicedate", "invdate", "invoicedt", "shipdate", "dateshipped", "transdate", "transactiondate", "date", "saledate"],
        .catalog: ["catalogno", "catno", "catalog", "mfrpartno", "mfrcatno", "mfrcatalogno", "mpn", "partno", "vendorpartno", "itemno",
                   "productcode", "manufacturerpartno"],
        .upc: ["upc", "upccode", "upcno", "gtin", "ean", "barcode"],
        .quantity: ["qty", "qtyshipped", "shipqty", "shipped", "quantity", "units", "qtysold", "quantityshipped", "quantitysold"],
        .priceUnit: ["uom", "um", "priceper", "priceunit", "per"],
        .unitCost: ["unitcost", "cost", "costea", "eachcost", "intostockcost", "repcost", "spacost", "netcost", "costeach"],
        .extendedCost: ["extcost", "extendedcost", "totalcost", "extcogs", "cogs"],
        .unitResale: ["unitprice", "sellprice", "unitsell", "resale", "resaleprice", "netprice", "unitresale"],
        .extendedResale: ["extprice", "extendedprice", "extsell", "extresale", "sales", "salesamount", "extendedresale", "extendedsell"],
        .type: ["type", "transtype", "transactiontype", "ordertype", "shiptype", "directstock", "sdt"],
    ]

    static func normalize(_ header: String) -> String {
        let words = header.lowercased().replacingOccurrences(of: "#", with: " no ")
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .map { ["num", "number", "nbr"].contains($0) ? "no" : String($0) }
        return words.joined()
    }

    public static func read(_ url: URL, name: String, progress: (@Sendable (ImportProgress) -> Void)? = nil) -> (report: POSReport, problems: [BundleIssue]) {
        let meter = ProgressMeter(file: "reading \(name)", url: url, report: progress)
        var rowsRead = 0
        defer { meter.finish(rows: rowsRead, quietly: true) }
        var lines: [POSLine] = [], problems: [BundleIssue] = []
        func problem(_ line: Int, _ column: String?, _ message: String) {
            if problems.count < 1000 { problems.append(BundleIssue(file: name, line: line, column: column, message: message)) }
        }
        guard var reader = try? CSVReader(path: url.path) else {
            return (POSReport(lines: []), [BundleIssue(file: name, line: 0, column: nil, message: "cannot be read")])
        }
        var columns: [Field: (index: Int, header: String)]?
        var rowsBeforeHeader = 0
        while true {
            let record: CSVRecord?
            do { record = try reader.next() } catch {
                problem(error.line, nil, error.description)
                break
            }
            guard let record else { break }
            rowsRead = record.line
            meter.tick(rows: record.line, bytes: reader.bytesRead)
            guard let found = columns else {
                rowsBeforeHeader += 1
                var map: [Field: (Int, String)] = [:]
                for (index, cell) in record.fields.enumerated() {
                    let key = normalize(cell)
                    if let field = Field.allCases.first(where: { spellings[$0]!.contains(key) }), map[field] == nil { map[field] = (index, cell.trimmed) }
                }
                if map[.location] != nil, map[.date] != nil, map[.quantity] != nil {
                    columns = map
                    if map[.extendedCost] == nil, map[.unitCost] == nil, map[.extendedResale] == nil, map[.unitResale] == nil {
                        problem(record.line, nil, "no amount column: expected Ext Cost, Unit Cost, Ext Price or Unit Price")
                        break
                    }
                } else if rowsBeforeHeader >= 10 {
                    problem(1, nil, "no header row in the first 10 rows: expected columns for the branch (Branch #), the invoice date (Invoice Date) and the quantity (Qty Shipped)")
                    break
                }
                continue
            }
            if record.fields.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            func cell(_ field: Field) -> String? {
                guard let index = found[field]?.index, index < record.fields.count else { return nil }
                return record.fields[index].trimmed.nonEmpty
            }
            func header(_ field: Field) -> String { found[field]?.header ?? field.rawValue }
            var valid = true
            func amount(_ field: Field) -> Double? {
                guard let text = cell(field) else { return nil }
                guard let value = number(text) else {
                    problem(record.line, header(field), "\"\(text)\" is not a number")
                    valid = false
                    return nil
                }
                return value
            }
            let location = cell(.location)
            if location == nil { problem(record.line, header(.location), "required value is missing"); valid = false }
            var date: LocalDate?
            if let text = cell(.date) {
                date = self.date(text)
                if date == nil { problem(record.line, header(.date), "\"\(text)\" is not a date: expected MM/DD/YYYY, YYYY-MM-DD or YYYYMMDD"); valid = false }
            } else {
                problem(record.line, header(.date), "required value is missing")
                valid = false
            }
            var quantity = amount(.quantity)
            if quantity == nil, cell(.quantity) == nil { problem(record.line, header(.quantity), "required value is missing"); valid = false }
            let unitCost = amount(.unitCost), extendedCost = amount(.extendedCost)
            let unitResale = amount(.unitResale), extendedResale = amount(.extendedResale)
            var divisor = 1.0
            if let unit = cell(.priceUnit)?.uppercased() {
                switch unit {
                case "C": divisor = 100
                case "M": divisor = 1000
                default: break
                }
            }
            let type = cell(.type)?.lowercased() ?? ""
            let isTransfer = type == "t" || type.hasPrefix("transfer") || type == "pot"
            let isReturn = type == "r" || type.hasPrefix("return") || type.hasPrefix("credit")
            if isReturn, let value = quantity { quantity = -abs(value) }
            guard valid, let location, let date, let quantity else { continue }
            // A return counts against its month, whether its amounts are written negative or not.
            func signed(_ value: Double) -> Double { isReturn ? -abs(value) : value }
            let cost = extendedCost.map(signed) ?? unitCost.map { $0 * quantity / divisor }
            let resale = extendedResale.map(signed) ?? unitResale.map { $0 * quantity / divisor }
            if cost == nil, resale == nil {
                problem(record.line, nil, "no amount: expected a cost or a price on the row")
                continue
            }
            lines.append(POSLine(line: record.line, location: location, date: date, catalogNumber: cell(.catalog), upc: cell(.upc),
                                 quantity: quantity, extendedCost: cost, extendedResale: resale, isTransfer: isTransfer))
        }
        if columns == nil, problems.isEmpty {
            problems.append(BundleIssue(file: name, line: 0, column: nil, message: "no header row: expected columns for the branch, the invoice date and the quantity"))
        }
        return (POSReport(lines: lines), problems)
    }

    /// MM/DD/YYYY (US order), M/D/YY, YYYY-MM-DD, YYYYMMDD, DD-MMM-YY and spreadsheet serial numbers.
    static func date(_ text: String) -> LocalDate? {
        if let date = LocalDate(text) { return date }
        if text.count == 8, text.allSatisfy(\.isNumber), let year = Int(text.prefix(4)), let month = Int(text.dropFirst(4).prefix(2)),
           let day = Int(text.suffix(2)) {
            return LocalDate(year: year, month: month, day: day)
        }
        if let serial = Int(text), (20_000...80_000).contains(serial) {
            return LocalDate(year: 1899, month: 12, day: 30)!.adding(days: serial)
        }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
        guard parts.count == 3 else { return nil }
        func year(_ text: String) -> Int? {
            guard let value = Int(text) else { return nil }
            if text.count == 4 { return value }
            return text.count == 2 ? (value < 70 ? 2000 + value : 1900 + value) : nil
        }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        if let month = months.firstIndex(of: String(parts[1].lowercased().prefix(3))), let day = Int(parts[0]), let year = year(parts[2]) {
            return LocalDate(year: year, month: month + 1, day: day)
        }
        guard let month = Int(parts[0]), let day = Int(parts[1]), let year = year(parts[2]) else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// `1,234.50`, `$99`, `(12.00)` and `12.00-` (negative).
    static func number(_ text: String) -> Double? {
        var value = text.replacingOccurrences(of: "$", with: "").replacingOccurrences(of: ",", with: "").replacingOccurrences(of: " ", with: "")
        var negative = false
        if value.hasPrefix("("), value.hasSuffix(")") { negative = true; value = String(value.dropFirst().dropLast()) }
        if value.hasSuffix("-") { negative = true; value = String(value.dropLast()) }
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }),
              let number = Double(value), number.isFinite, abs(number) < 1e12 else { return nil }
        return negative ? -number : number
    }
}
