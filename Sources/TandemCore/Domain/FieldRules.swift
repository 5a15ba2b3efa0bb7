import Foundation

/// The value rules shared by the bundle and the API, each returning the normalised value or nil.
public enum FieldRules {
    public static let maxKeyLength = 128

    public static func key(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.count > maxKeyLength || trimmed.contains(";") ? nil : trimmed
    }

    /// ISO 3166-1 alpha-2, upper-cased.
    public static func country(_ value: String) -> String? {
        let code = value.trimmingCharacters(in: .whitespaces).uppercased()
        return code.utf8.count == 2 && code.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) ? code : nil
    }

    /// ISO 4217, upper-cased.
    public static func currency(_ value: String) -> String? {
        let code = value.trimmingCharacters(in: .whitespaces).uppercased()
        return code.utf8.count == 3 && code.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) ? code : nil
    }

    public static let countryMessage = "expected an ISO 3166-1 alpha-2 country code such as DE or US"
    public static let currencyMessage = "expected an ISO 4217 currency code such as EUR or USD"
    public static let dateMessage = "expected a date YYYY-MM-DD, e.g. 2024-03-05"
    public static let keyMessage = "expected a key of 1 to 128 characters, without ';' and not starting or ending with a space"
}

