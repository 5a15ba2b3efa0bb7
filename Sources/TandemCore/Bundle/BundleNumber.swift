import Foundation

/// How the bundle writes numbers: the shortest decimal that reads back to the same value, never
/// in exponent notation, with no trailing `.0`.
public enum BundleNumber {
    public static func format(_ value: Double) -> String {
        var text = value.description
        if text.utf8.contains(UInt8(ascii: "e")) {
            text = String(format: "%.12f", value)
            while text.hasSuffix("0") { text.removeLast() }
        }
        if text.hasSuffix(".0") { text.removeLast(2) }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
