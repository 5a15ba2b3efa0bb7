import Foundation

/// Reads a bundle file record by record, checking the header once and turning each cell into
/// a typed value or a located issue.
public struct BundleRowReader: ~Copyable {
    public let file: BundleFile
    private var csv: CSVReader
    private var index: [String: BundleRow.Slot] = [:]
    public private(set) var warnings: [BundleIssue] = []

    public var bytesRead: Int { csv.bytesRead }

    /// Opens the file and validates its header; a header problem is returned in `log` and the
    /// reader yields no rows.
    public init(file: BundleFile, path: String, log: inout IssueLog) throws {
        self.file = file
        self.csv = try CSVReader(path: path)
        let name = file.fileName
        let header: CSVRecord?
        do {
            header = try csv.next()
        } catch {
            log.add(file: name, line: error.line, column: "column \(error.field)", error.message)
            headerIsValid = false
            return
        }
        guard let header else {
            log.add(file: name, line: 1, column: nil, "the file is empty: expected a header row such as \(file.header.joined(separator: ","))")
            headerIsValid = false
            return
        }
        headerFields = header.fields.count
        let known = Dictionary(uniqueKeysWithValues: file.columns.map { ($0.name, $0) })
        var valid = true
        for (position, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if name.isEmpty { continue }
            if index[name] != nil {
                log.add(file: file.fileName, line: header.line, column: name, "column appears twice in the header")
                valid = false
            } else if let column = known[name] {
                index[name] = BundleRow.Slot(position: position, freeText: column.freeText)
            } else {
                warnings.append(BundleIssue(file: file.fileName, line: header.line, column: name,
                                            message: "unknown column ignored"))
            }
        }
        for column in file.columns where column.required && index[column.name] == nil {
            log.add(file: file.fileName, line: header.line, column: column.name, "required column is missing from the header")
            valid = false
        }
        headerIsValid = valid
    }

    private var headerIsValid = true
    private var headerFields = 0

    /// The next data row, or nil at the end. CSV syntax errors end the file: they are logged and nil is returned.
    public mutating func next(log: inout IssueLog) -> BundleRow? {
        guard headerIsValid else { return nil }
        do {
            guard let record = try csv.next() else { return nil }
            var row = BundleRow(file: file.fileName, record: record, index: index)
            if record.fields.count != headerFields {
                // A missing field would read as an empty one, which clears a stored value.
                row.fail(nil, "\(record.fields.count) field\(record.fields.count == 1 ? "" : "s") where the header has \(headerFields): every row needs one field per column")
            }
            return row
        } catch {
            log.add(file: file.fileName, line: error.line, column: columnName(at: error.field - 1) ?? "column \(error.field)", error.message)
            headerIsValid = false
            return nil
        }
    }

    /// Whether the header was valid, so that rows can be read.
    public var isReadable: Bool { headerIsValid }

    /// Whether the column exists in this file's header.
    public func has(_ column: String) -> Bool { index[column] != nil }

    private func columnName(at position: Int) -> String? {
        index.first { $0.value.position == position }?.key
    }
}

/// One data row with typed accessors; every accessor that fails records a located issue.
public struct BundleRow: Sendable {
    public let file: String
    public let line: Int
    private let fields: [String]
    /// Where a column sits in the record, and whether its spaces are kept.
    struct Slot: Sendable {
        var position: Int
        var freeText: Bool
    }

    private let index: [String: Slot]
    /// Issues found while reading this row.
    public private(set) var issues: [BundleIssue] = []

    init(file: String, record: CSVRecord, index: [String: Slot]) {
        self.file = file
        self.line = record.line
        self.fields = record.fields
        self.index = index
    }

    public var isValid: Bool { issues.isEmpty }

    public mutating func fail(_ column: String?, _ message: String) {
        issues.append(BundleIssue(file: file, line: line, column: column, message: message))
    }

    /// The cell's text, nil when empty or the column is absent.
    public func text(_ column: String) -> String? {
        guard let slot = index[column], slot.position < fields.count else { return nil }
        let raw = fields[slot.position]
        let value = slot.freeText ? raw : Self.trimmed(raw)
        return value.isEmpty ? nil : value
    }

    /// A required cell's text; logs "required value is missing" when empty.
    public mutating func required(_ column: String) -> String? {
        guard let value = text(column) else {
            fail(column, "required value is missing")
            return nil
        }
        return value
    }

    /// A key: at most 128 characters.
    public mutating func key(_ column: String, required isRequired: Bool = true) -> String? {
        guard let value = isRequired ? required(column) : text(column) else { return nil }
        guard FieldRules.fitsKeyLength(value) else {
            fail(column, "key is longer than 128 characters")
            return nil
        }
        guard !value.utf8.contains(UInt8(ascii: ";")) else {
            fail(column, "\"\(value)\": a key cannot contain ';', which separates keys in lists")
            return nil
        }
        return value
    }

    /// A `;`-separated list of keys, in order, without repeats.
    public mutating func keyList(_ column: String) -> [String] {
        guard let value = text(column) else { return [] }
        var keys: [String] = []
        var seen: Set<String>?
        for part in value.utf8.split(separator: UInt8(ascii: ";")) {
            let key = Self.trimmed(String(Substring(part)))
            if key.isEmpty { continue }
            if !FieldRules.fitsKeyLength(key) {
                fail(column, "key \"\(key.prefix(40))…\" is longer than 128 characters")
                continue
            }
            // Lists are usually short, where a linear search beats hashing every key.
            if keys.count < 16 {
                if !keys.contains(key) { keys.append(key) }
            } else {
                if seen == nil { seen = Set(keys) }
                if seen!.insert(key).inserted { keys.append(key) }
            }
        }
        return keys
    }

    /// A value of a closed vocabulary, matched case-insensitively.
    public mutating func choice<T: CaseIterable & RawRepresentable>(_ column: String, _ type: T.Type, required isRequired: Bool = true) -> T? where T.RawValue == String {
        guard let value = isRequired ? required(column) : text(column) else { return nil }
        guard let match = T(rawValue: value.lowercased()) else {
            fail(column, "\"\(value)\" is not one of \(T.spellings)")
            return nil
        }
        return match
    }

    public mutating func date(_ column: String, required isRequired: Bool = false) -> LocalDate? {
        guard let value = isRequired ? required(column) : text(column) else { return nil }
        guard let date = LocalDate(value) else {
            fail(column, "\"\(value)\" is not a date: expected YYYY-MM-DD, e.g. 2024-03-05")
            return nil
        }
        guard FieldRules.dates.contains(date) else {
            fail(column, "\(value) is \(FieldRules.datesMessage)")
            return nil
        }
        return date
    }

    /// A decimal number with `.` as separator, no exponent, no thousands separators.
    public mutating func decimal(_ column: String, required isRequired: Bool = false) -> Double? {
        guard let value = isRequired ? required(column) : text(column) else { return nil }
        guard let number = Self.parseDecimal(value) else {
            fail(column, Self.parseDecimal(value.replacingOccurrences(of: "-", with: "")) == nil && Double(value).map({ abs($0) >= Self.maxMagnitude }) == true
                 ? "\"\(value)\" is too large: amounts must be below 10000000000000"
                 : "\"\(value)\" is not a number: expected a decimal with '.' as separator, e.g. 1250.50")
            return nil
        }
        return number
    }

    public mutating func integer(_ column: String, range: ClosedRange<Int>) -> Int? {
        guard let value = text(column) else { return nil }
        guard let number = Int(value), range.contains(number) else {
            fail(column, "\"\(value)\" is not a whole number between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return number
    }

    public mutating func bool(_ column: String) -> Bool? {
        guard let value = text(column) else { return nil }
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default:
            fail(column, "\"\(value)\" is not `true` or `false`")
            return nil
        }
    }

    /// An ISO 3166-1 alpha-2 country code, upper-cased.
    public mutating func country(_ column: String) -> String? {
        guard let value = text(column) else { return nil }
        guard let code = FieldRules.country(value) else {
            fail(column, "\"\(value)\" is not an ISO 3166-1 alpha-2 country code such as DE or US")
            return nil
        }
        return code
    }

    /// An ISO 4217 currency code, upper-cased.
    public mutating func currency(_ column: String) -> String? {
        guard let value = text(column) else { return nil }
        guard let code = FieldRules.currency(value) else {
            fail(column, "\"\(value)\" is not an ISO 4217 currency code such as EUR or USD")
            return nil
        }
        return code
    }

    /// Text limited to `maxLength` characters.
    public mutating func limitedText(_ column: String, maxLength: Int, required isRequired: Bool = false) -> String? {
        guard let value = isRequired ? required(column) : text(column) else { return nil }
        guard value.utf8.count <= maxLength || value.count <= maxLength else {
            fail(column, "text is longer than \(maxLength) characters")
            return nil
        }
        return value
    }

    static func trimmed(_ text: String) -> String { FieldRules.trimmingSpaces(text) }

    /// Amounts are kept exactly to the cent below ten trillion.
    static let maxMagnitude = 1e13

    static func parseDecimal(_ text: String) -> Double? {
        var sawDigit = false
        var sawPoint = false
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."):
                if sawPoint { return nil }
                sawPoint = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                if offset != 0 { return nil }
            default: return nil
            }
        }
        guard sawDigit, let value = Double(text), value.isFinite, abs(value) < maxMagnitude else { return nil }
        return value
    }
}
