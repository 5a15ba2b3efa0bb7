import Foundation

/// One property of a vCard (RFC 6350 §3.3) or iCalendar object (RFC 5545 §3.1), unfolded:
/// `[group.]NAME[;PARAM=value[,value]…]:value`.
public struct ContentLine: Sendable, Equatable {
    /// The physical line the property starts on, 1-based.
    public var line: Int
    /// The property name, upper-cased, without its vCard group (`item1.EMAIL` → `EMAIL`).
    public var name: String
    /// Parameter values by upper-cased parameter name, quotes removed.
    public var parameters: [String: [String]]
    /// The value as written: escapes are still in it (see `text`, `components`, `list`).
    public var value: String

    public init(line: Int, name: String, parameters: [String: [String]] = [:], value: String) {
        self.line = line
        self.name = name
        self.parameters = parameters
        self.value = value
    }

    public func parameter(_ name: String) -> String? { parameters[name]?.first }

    /// Whether a parameter (TYPE by default) lists `value`, ignoring case.
    public func has(_ value: String, in parameter: String = "TYPE") -> Bool {
        (parameters[parameter] ?? []).contains { $0.caseInsensitiveCompare(value) == .orderedSame }
    }

    /// The value as text, escapes resolved.
    public var text: String { ContentLines.unescape(value[...]) }

    /// The value split at unescaped `;` (structured values such as N, ORG and ADR), each part unescaped.
    public var components: [String] { ContentLines.split(value, at: ";") }

    /// The value split at unescaped `,` (lists such as CATEGORIES), each part unescaped.
    public var list: [String] { ContentLines.split(value, at: ",") }
}

/// A problem in the syntax of a vCard or iCalendar file.
public struct ContentLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// Reads the text format shared by vCard and iCalendar: UTF-8 (a byte-order mark is skipped),
/// CRLF or LF line ends, long lines folded by a line end followed by a space or a tab, and the
/// quoted-printable soft line breaks of vCard 2.1 exports.
public enum ContentLines {
    /// The longest unfolded property: a photo embedded in base64 is the usual large one.
    public static let maxLineBytes = 8 << 20

    public static func parse(_ data: Data) throws(ContentLineError) -> [ContentLine] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var physical: [(line: Int, bytes: ArraySlice<UInt8>)] = []
        var start = 0, number = 1, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                physical.append((number, bytes[start..<index]))
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                number += 1
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count { physical.append((number, bytes[start..<bytes.count])) }

        var lines: [ContentLine] = []
        var current: [UInt8] = [], currentLine = 0
        var quotedPrintableOpen = false
        /// Whether the property being read is quoted-printable: decided once its name and parameters are read.
        var quotedPrintable: Bool?
        func finish() throws(ContentLineError) {
            defer {
                current.removeAll(keepingCapacity: true)
                quotedPrintable = nil
            }
            guard !current.isEmpty else { return }
            guard let text = String(validating: current, as: UTF8.self) else {
                throw ContentLineError(line: currentLine, message: "not UTF-8 text: save the file as UTF-8")
            }
            lines.append(try property(text, line: currentLine))
        }
        for (line, content) in physical {
            if let first = content.first, first == 0x20 || first == 0x09, !current.isEmpty {
                current.append(contentsOf: content.dropFirst())
            } else if quotedPrintableOpen {
                current.append(contentsOf: content)
            } else {
                try finish()
                currentLine = line
                current.append(contentsOf: content)
            }
            // vCard 2.1: a quoted-printable value ending in "=" continues on the next line, unindented.
            if quotedPrintable == nil, let colon = current.firstIndex(of: UInt8(ascii: ":")) {
                quotedPrintable = String(decoding: current[..<colon], as: UTF8.self).uppercased().contains("QUOTED-PRINTABLE")
            }
            quotedPrintableOpen = current.last == UInt8(ascii: "=") && quotedPrintable == true
            if quotedPrintableOpen { current.removeLast() }
            guard current.count <= maxLineBytes else {
                throw ContentLineError(line: currentLine, message: "property longer than \(maxLineBytes >> 20) MB")
            }
        }
        try finish()
        return lines
    }

    /// Splits `NAME;PARAM=VALUE:value`.
    static func property(_ text: String, line: Int) throws(ContentLineError) -> ContentLine {
        var name = "", parameters: [String: [String]] = [:]
        var index = text.startIndex
        while index < text.endIndex, text[index] != ";", text[index] != ":" { index = text.index(after: index) }
        name = String(text[text.startIndex..<index]).uppercased()
        if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw ContentLineError(line: line, message: "expected a property such as NAME:value, found \"\(text.prefix(40))\"")
        }
        while index < text.endIndex, text[index] == ";" {
            index = text.index(after: index)
            let nameStart = index
            while index < text.endIndex, !"=;:".contains(text[index]) { index = text.index(after: index) }
            let parameter = String(text[nameStart..<index]).uppercased()
            guard index < text.endIndex, text[index] == "=" else {
                // vCard 2.1 writes bare types: TEL;WORK;VOICE:…
                if !parameter.isEmpty { parameters["TYPE", default: []].append(parameter) }
                continue
            }
            index = text.index(after: index)
            var values: [String] = []
            repeat {
                if index < text.endIndex, text[index] == "," { index = text.index(after: index) }
                if index < text.endIndex, text[index] == "\"" {
                    let open = index
                    index = text.index(after: index)
                    let valueStart = index
                    while index < text.endIndex, text[index] != "\"" { index = text.index(after: index) }
                    guard index < text.endIndex else {
                        throw ContentLineError(line: line, message: "parameter \(parameter): the quote opened at \"\(text[open...].prefix(20))\" is never closed")
                    }
                    values.append(String(text[valueStart..<index]))
                    index = text.index(after: index)
                } else {
                    let valueStart = index
                    while index < text.endIndex, !",;:".contains(text[index]) { index = text.index(after: index) }
                    values.append(String(text[valueStart..<index]))
                }
            } while index < text.endIndex && text[index] == ","
            // vCard 3.0 and iCalendar allow several values in one TYPE, comma-separated; 4.0 quotes them.
            parameters[parameter, default: []].append(contentsOf: values.flatMap { $0.split(separator: ",").map(String.init) })
        }
        guard index < text.endIndex, text[index] == ":" else {
            throw ContentLineError(line: line, message: "property \(name): expected \":\" before its value")
        }
        var value = String(text[text.index(after: index)...])
        if parameters["ENCODING"]?.contains(where: { $0.caseInsensitiveCompare("QUOTED-PRINTABLE") == .orderedSame }) == true {
            value = decodeQuotedPrintable(value, charset: parameters["CHARSET"]?.first)
        }
        return ContentLine(line: line, name: name, parameters: parameters, value: value)
    }

    /// Decodes `=XX` escapes, then reads the bytes in the property's CHARSET (UTF-8 unless it names
    /// Latin-1 or Windows-1252, as old phones and Outlook write).
    static func decodeQuotedPrintable(_ text: String, charset: String? = nil) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        switch charset?.uppercased() {
        case "ISO-8859-1", "ISO8859-1", "LATIN1", "LATIN-1":
            return String(data: Data(out), encoding: .isoLatin1) ?? String(decoding: out, as: UTF8.self)
        case "WINDOWS-1252", "CP1252":
            return String(data: Data(out), encoding: .windowsCP1252) ?? String(decoding: out, as: UTF8.self)
        default:
            return String(decoding: out, as: UTF8.self)
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Resolves `\\`, `\,`, `\;`, `\:` and `\n` (or `\N`); any other backslash stays as written.
    public static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                switch character {
                case "n", "N": out.append("\n")
                case "\\", ",", ";", ":": out.append(character)
                default: out.append("\\"); out.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        if escaped { out.append("\\") }
        return out
    }

    /// Splits at every `separator` not escaped by a backslash, then unescapes each part.
    public static func split(_ text: String, at separator: Character) -> [String] {
        var parts: [String] = []
        var start = text.startIndex, index = text.startIndex
        var escaped = false
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == separator {
                parts.append(unescape(text[start..<index]))
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(unescape(text[start...]))
        return parts
    }

    /// Escapes text for a property value (RFC 6350 §3.4).
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ",": out += "\\,"
            case ";": out += "\\;"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets without splitting a UTF-8 character, with CRLF ends.
    public static func fold(_ line: String) -> String {
        var out = "", octets = 0
        for character in line {
            let size = character.utf8.count
            if octets + size > 75 {
                out += "\r\n "
                octets = 1
            }
            out.append(character)
            octets += size
        }
        return out + "\r\n"
    }
}
