import Foundation

/// A problem in an X12 interchange, at a segment (counted from ISA, which is 1) and the line it starts on.
public struct X12Error: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var segment: Int
    public var place: String
    public var message: String

    public var description: String { "line \(line): segment \(segment) \(place): \(message)" }
}

/// One segment: its id and elements (element 1 first), where it is.
public struct X12Segment: Sendable {
    public var number: Int
    public var line: Int
    public var id: String
    public var elements: [String]

    /// Element `n` (1-based), nil when absent or empty.
    public subscript(_ n: Int) -> String? {
        n >= 1 && n <= elements.count && !elements[n - 1].isEmpty ? elements[n - 1] : nil
    }
}

/// Reads EDI X12 interchanges: the separators come from the ISA segment (element separator at
/// its 4th character, component separator at its 106th, and the segment terminator after it), so
/// any delimiters a sender chooses are read; line breaks between segments are ignored.
public enum X12Format {
    /// The longest segment read: an 867's are well under a kilobyte.
    static let maxSegmentBytes = 1 << 16

    /// Every segment of the interchange, in order.
    public static func segments(_ data: Data) throws(X12Error) -> [X12Segment] {
        var segments: [X12Segment] = []
        try forEachSegment(data) { segments.append($0) }
        return segments
    }

    /// Reads the segments one at a time, so that memory does not grow with the file's.
    public static func forEachSegment(_ data: Data, _ body: (X12Segment) throws(X12Error) -> Void) throws(X12Error) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var start = 0
        while start < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[start]) { start += 1 }
        guard bytes.count - start >= 106, bytes[start..<(start + 3)].elementsEqual("ISA".utf8) else {
            throw X12Error(line: 1, segment: 1, place: "ISA", message: "an X12 interchange starts with an ISA segment of 106 characters")
        }
        let element = bytes[start + 3], component = bytes[start + 104], terminator = bytes[start + 105]
        let isa = Array(bytes[start..<(start + 105)])
        guard isa.count(where: { $0 == element }) == 16 else {
            throw X12Error(line: 1, segment: 1, place: "ISA",
                           message: "expected 16 elements of fixed width separated by \"\(Character(Unicode.Scalar(element)))\": the ISA segment is not 106 characters long")
        }
        guard element != component, element != terminator, component != terminator,
              ![UInt8(ascii: " ")].contains(terminator) || terminator == 0x0A else {
            throw X12Error(line: 1, segment: 1, place: "ISA16", message: "the element separator, component separator and segment terminator must differ")
        }
        var count = 0
        var line = 1 + bytes[..<start].count(where: { $0 == 0x0A })
        // The segment being read: its bytes from its first that is not a line break or space.
        var current: [UInt8] = [], currentLine = line
        func finish() throws(X12Error) {
            defer { current.removeAll(keepingCapacity: true) }
            while let last = current.last, last == 0x0D || last == 0x0A { current.removeLast() }
            guard !current.isEmpty else { return }
            guard current.count <= maxSegmentBytes else {
                throw X12Error(line: currentLine, segment: count + 1, place: "", message: "a segment longer than \(maxSegmentBytes) bytes")
            }
            guard let text = String(validating: current, as: UTF8.self) else {
                throw X12Error(line: currentLine, segment: count + 1, place: "", message: "not UTF-8 or ASCII text")
            }
            let parts = text.split(separator: Character(Unicode.Scalar(element)), omittingEmptySubsequences: false).map(String.init)
            let id = parts[0].trimmingCharacters(in: .whitespaces)
            guard (2...3).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
                throw X12Error(line: currentLine, segment: count + 1, place: "",
                               message: "\"\(text.prefix(20))\" does not start with a segment id such as PTD or QTY")
            }
            count += 1
            try body(X12Segment(number: count, line: currentLine, id: id, elements: Array(parts.dropFirst())))
        }
        for byte in bytes[start...] {
            if byte == terminator {
                try finish()
                if byte == 0x0A { line += 1 }
                continue
            }
            if current.isEmpty {
                // Line breaks after a terminator (or as one) are not part of the next segment.
                if byte == 0x0D || byte == 0x0A || byte == 0x20 {
                    if byte == 0x0A { line += 1 }
                    continue
                }
                currentLine = line
            }
            current.append(byte)
            if byte == 0x0A { line += 1 }
        }
        try finish()
    }

    /// The point-of-sale lines of an 867 Product Transfer and Resale Report, with the envelope checked.
    public static func productTransferReport(_ data: Data) throws(X12Error) -> POSReport {
        func fail(_ segment: X12Segment, _ place: String, _ message: String) -> X12Error {
            X12Error(line: segment.line, segment: segment.number, place: place, message: message)
        }
        var lines: [POSLine] = []
        var periodStart: LocalDate?, periodEnd: LocalDate?, reportDate: LocalDate?, currency: String?
        var interchange: X12Segment?, group: X12Segment?, transaction: X12Segment?
        var groups = 0, transactions = 0, transactionStart = 0
        // Within a PTD: its type, location and date; within a QTY loop: the line being read.
        var transfer = false, returning = false, inDetail = false, location: String?, ptdDate: LocalDate?, headingLocation: String?, distributor: String?
        var open: (line: POSLine, segment: X12Segment, cost: Double?, resale: Double?, amount: Double?, dated: Bool)?
        func close() throws(X12Error) {
            guard let item = open else { return }
            open = nil
            var line = item.line
            guard let at = location ?? headingLocation ?? distributor else {
                throw fail(item.segment, "QTY", "no location: expected an N1 segment with N101 DB, SE, WH or BR and the location id in N104 in this PTD")
            }
            line.location = at
            line.isTransfer = transfer
            guard item.dated || ptdDate != nil || periodEnd != nil || reportDate != nil else {
                throw fail(item.segment, "QTY", "no date: expected DTM*003 (invoice date) after it, or a report period DTM*091")
            }
            if !item.dated { line.date = ptdDate ?? periodEnd ?? reportDate! }
            line.extendedCost = item.cost.map { $0 * line.quantity }
            // A return's amount counts against the month, whatever its sign in AMT.
            line.extendedResale = item.amount.map { line.quantity < 0 ? -abs($0) : $0 } ?? item.resale.map { $0 * line.quantity }
            lines.append(line)
        }
        try forEachSegment(data) { (segment: X12Segment) throws(X12Error) in
            switch segment.id {
            case "ISA":
                interchange = segment
            case "IEA":
                try close()
                guard let isa = interchange else { throw fail(segment, "IEA", "IEA without an ISA before it") }
                if Int(segment[2] ?? "") != Int(isa[13]?.trimmed ?? "") {
                    throw fail(segment, "IEA02", "control number \(segment[2] ?? "(none)") differs from ISA13 \(isa[13] ?? "(none)")")
                }
                if Int(segment[1] ?? "") != groups { throw fail(segment, "IEA01", "says \(segment[1] ?? "(none)") groups, the interchange has \(groups)") }
                interchange = nil
                groups = 0
            case "GS":
                guard segment[1] == "PT" else {
                    throw fail(segment, "GS01", "\"\(segment[1] ?? "")\" is not PT: Tandem reads product transfer and resale reports (867)")
                }
                group = segment
                groups += 1
            case "GE":
                guard let gs = group else { throw fail(segment, "GE", "GE without a GS before it") }
                if segment[2] != gs[6] { throw fail(segment, "GE02", "control number \(segment[2] ?? "(none)") differs from GS06 \(gs[6] ?? "(none)")") }
                if Int(segment[1] ?? "") != transactions { throw fail(segment, "GE01", "says \(segment[1] ?? "(none)") transaction sets, the group has \(transactions)") }
                group = nil
                transactions = 0
            case "ST":
                guard segment[1] == "867" else {
                    throw fail(segment, "ST01", "transaction set \(segment[1] ?? "(none)") is not an 867 product transfer and resale report")
                }
                transaction = segment
                transactions += 1
                transactionStart = segment.number
                location = nil; headingLocation = nil; distributor = nil; ptdDate = nil; transfer = false; returning = false; inDetail = false
            case "SE":
                try close()
                guard let st = transaction else { throw fail(segment, "SE", "SE without an ST before it") }
                let count = segment.number - transactionStart + 1
                if Int(segment[1] ?? "") != count { throw fail(segment, "SE01", "says \(segment[1] ?? "(none)") segments, the transaction set has \(count) (ST to SE)") }
                if segment[2] != st[2] { throw fail(segment, "SE02", "control number \(segment[2] ?? "(none)") differs from ST02 \(st[2] ?? "(none)")") }
                transaction = nil
            case "BPT":
                reportDate = try segment[3].map { text throws(X12Error) in try date(text, segment, "BPT03") }
            case "CUR":
                currency = segment[2].flatMap(FieldRules.currency)
            case "DTM":
                guard let qualifier = segment[1], let text = segment[2] else { throw fail(segment, "DTM", "expected a qualifier and a date") }
                let value = try date(text, segment, "DTM02")
                if open != nil {
                    if qualifier == "003" || (qualifier == "011" && open?.dated == false) { open?.line.date = value; open?.dated = true }
                } else if inDetail {
                    if qualifier == "003" || qualifier == "011" { ptdDate = value }
                } else if qualifier == "090" {
                    periodStart = value
                } else if qualifier == "091" {
                    periodEnd = value
                }
            case "PTD":
                try close()
                let type = segment[1] ?? ""
                transfer = ["TD", "BJ", "TF"].contains(type)
                returning = ["BN", "RV", "RU", "RT"].contains(type)
                inDetail = true
                location = nil
                ptdDate = nil
            case "N1":
                // The selling location: an N1 inside a PTD, else one in the heading, else the distributor itself.
                guard let id = segment[4]?.trimmed, !id.isEmpty, let code = segment[1] else { return }
                if inDetail {
                    guard Self.locationCodes.contains(code) else { return }
                    try close()
                    location = id
                } else if Self.locationCodes.contains(code) {
                    headingLocation = id
                } else if code == "DS" {
                    distributor = id
                }
            case "QTY":
                try close()
                guard let text = segment[2], let quantity = number(text) else {
                    throw fail(segment, "QTY02", "\"\(segment[2] ?? "")\" is not a quantity")
                }
                let returned = segment[1] == "61" || returning
                open = (POSLine(line: segment.line, place: "segment \(segment.number)", location: "", date: LocalDate(year: 1970, month: 1, day: 1)!,
                                quantity: returned ? -abs(quantity) : quantity), segment, nil, nil, nil, false)
            case "LIN":
                guard open != nil else { return }
                var index = 2
                while index + 1 <= segment.elements.count {
                    let qualifier = segment[index], value = segment[index + 1]?.trimmed
                    switch qualifier {
                    case "VP", "MG", "VN": if open?.line.catalogNumber == nil { open?.line.catalogNumber = value }
                    case "UP", "EN", "UK": if open?.line.upc == nil { open?.line.upc = value }
                    default: break
                    }
                    index += 2
                }
            case "UIT":
                guard open != nil else { return }
                guard let text = segment[2], let price = number(text) else {
                    throw fail(segment, "UIT02", "\"\(segment[2] ?? "")\" is not a unit price")
                }
                switch segment[3] {
                case "RS", "RES", "SP": open?.resale = price
                default: if open?.cost == nil { open?.cost = price } else { open?.resale = price }
                }
            case "AMT":
                guard open != nil, let text = segment[2] else { return }
                guard let value = number(text) else { throw fail(segment, "AMT02", "\"\(text)\" is not an amount") }
                if segment[1] == "TT" || segment[1] == "RS" { open?.amount = value }
            default:
                return
            }
        }
        if let isa = interchange {
            throw X12Error(line: isa.line, segment: isa.number, place: "ISA", message: "the interchange has no IEA: the file is cut short")
        }
        return POSReport(lines: lines, periodStart: periodStart, periodEnd: periodEnd, currency: currency)
    }

    /// N101 codes of a distributor's location: branch, selling location, warehouse, ship-from.
    static let locationCodes: Set<String> = ["DB", "SE", "WH", "BR", "SF"]

    /// CCYYMMDD (and YYMMDD).
    static func date(_ text: String, _ segment: X12Segment, _ place: String) throws(X12Error) -> LocalDate {
        let digits = text.trimmed
        if digits.count == 8, let year = Int(digits.prefix(4)), let month = Int(digits.dropFirst(4).prefix(2)), let day = Int(digits.suffix(2)),
           let date = LocalDate(year: year, month: month, day: day) {
            return date
        }
        throw X12Error(line: segment.line, segment: segment.number, place: place, message: "\"\(text)\" is not a date CCYYMMDD such as 20240412")
    }

    static func number(_ text: String) -> Double? {
        let trimmed = text.trimmed
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }) else { return nil }
        return Double(trimmed).flatMap { $0.isFinite && abs($0) < 1e12 ? $0 : nil }
    }
}
