import Foundation
import TandemCore

/// Opaque keyset cursors: the sort values of the last row of a page.
enum Cursor {
    static func encode(_ parts: [String]) -> String {
        Data(parts.joined(separator: "\u{1F}").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String, parts count: Int) throws -> [String] {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            throw StoreError.invalid([FieldIssue(field: "cursor", message: "not a cursor returned by this API")])
        }
        let parts = text.components(separatedBy: "\u{1F}")
        guard parts.count == count else {
            throw StoreError.invalid([FieldIssue(field: "cursor", message: "not a cursor returned by this API")])
        }
        return parts
    }

    static func id(_ cursor: String?) throws -> Int64 {
        guard let cursor else { return 0 }
        guard let id = Int64(try decode(cursor, parts: 1)[0]) else {
            throw StoreError.invalid([FieldIssue(field: "cursor", message: "not a cursor returned by this API")])
        }
        return id
    }
}
