import Foundation

/// The value rules shared by the bundle and the API, each returning the normalised value or nil.
public enum FieldRules {
    public static let maxKeyLength = 128

    /// The days a bundle's dates may fall on: a year like 0024 or 2924 is a typing error, and
    /// would throw the assessment's recency and the sales windows far off.
    public static let dates = LocalDate(year: 1900, month: 1, day: 1)!...LocalDate(year: 2100, month: 12, day: 31)!
    public static let datesMessage = "out of range: dates lie between 1900-01-01 and 2100-12-31"

    public static func key(_ value: String) -> String? {
        let trimmed = trimmingSpaces(value)
        return trimmed.isEmpty || !fitsKeyLength(trimmed) || trimmed.utf8.contains(UInt8(ascii: ";")) ? nil : trimmed
    }

    /// Whether a key is at most `maxKeyLength` characters, counting bytes first since most keys are ASCII.
    public static func fitsKeyLength(_ key: String) -> Bool {
        key.utf8.count <= maxKeyLength || key.count <= maxKeyLength
    }

    /// ISO 3166-1 alpha-2, upper-cased.
    public static func country(_ value: String) -> String? { letterCode(value, length: 2) }

    /// ISO 4217, upper-cased.
    public static func currency(_ value: String) -> String? { letterCode(value, length: 3) }

    /// Amounts by currency from entries like `EUR=75` (with `separator` between the two), each a
    /// number above 0 (or at least 0 unless `positive`) and below 10^13; the entries that are not, as written.
    public static func currencyAmounts(_ entries: [String], separator: Character, positive: Bool) -> (amounts: [String: Double], bad: [String]) {
        var amounts: [String: Double] = [:], bad: [String] = []
        for entry in entries {
            let parts = entry.split(separator: separator, maxSplits: 1).map(String.init)
            if parts.count == 2, let code = currency(parts[0]), let amount = Double(parts[1]), amount < 1e13, positive ? amount > 0 : amount >= 0 {
                amounts[code] = amount
            } else {
                bad.append(entry)
            }
        }
        return (amounts, bad)
    }

    /// `length` ASCII letters, upper-cased, surrounding spaces ignored.
    static func letterCode(_ value: String, length: Int) -> String? {
        let code = trimmingSpaces(value).utf8
        guard code.count == length else { return nil }
        var upper: [UInt8] = []
        upper.reserveCapacity(length)
        for byte in code {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): upper.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): upper.append(byte - 32)
            default: return nil
            }
        }
        return String(decoding: upper, as: UTF8.self)
    }

    /// The text without leading and trailing spaces and tabs; most values have none, and those
    /// come back without copying.
    public static func trimmingSpaces(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard isSpace(first) || isSpace(last) else { return text }
        var slice = Substring(text)
        while let character = slice.first, character == " " || character == "\t" { slice.removeFirst() }
        while let character = slice.last, character == " " || character == "\t" { slice.removeLast() }
        return String(slice)
    }

    /// White space as JSON Schema's `\s` and Unicode's White_Space count it, with the byte-order mark.
    public static let blank = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}"))

    public static func isBlank(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { blank.contains($0) }
    }

    public static let countryMessage = "expected an ISO 3166-1 alpha-2 country code such as DE or US"
    public static let currencyMessage = "expected an ISO 4217 currency code such as EUR or USD"
    public static let dateMessage = "expected a date YYYY-MM-DD, e.g. 2024-03-05"
    public static let keyMessage = "expected a key of 1 to 128 characters, without ';' and not starting or ending with white space"
}

