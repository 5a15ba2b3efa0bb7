import Foundation

/// A calendar date without time zone, as written in the bundle (`2024-03-05`).
///
/// Held as its day number in four bytes: a workspace holds millions of dates, and comparing and
/// subtracting them (what the assessment does most) is then integer arithmetic.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    private let days: Int32

    public var year: Int { Self.civil(dayNumber: dayNumber).year }
    public var month: Int { Self.civil(dayNumber: dayNumber).month }
    public var day: Int { Self.civil(dayNumber: dayNumber).day }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        days = Int32(Self.dayNumber(year: year, month: month, day: day))
    }

    /// Parses exactly `YYYY-MM-DD` (without allocating: it runs for every date cell of an import).
    public init?(_ text: some StringProtocol) {
        var parts = (0, 0, 0)
        var position = 0
        for byte in text.utf8 {
            switch position {
            case 4, 7:
                guard byte == UInt8(ascii: "-") else { return nil }
            case 0..<10:
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                let digit = Int(byte - UInt8(ascii: "0"))
                if position < 4 { parts.0 = parts.0 * 10 + digit }
                else if position < 7 { parts.1 = parts.1 * 10 + digit }
                else { parts.2 = parts.2 * 10 + digit }
            default:
                return nil
            }
            position += 1
        }
        guard position == 10 else { return nil }
        self.init(year: parts.0, month: parts.1, day: parts.2)
    }

    public var description: String {
        let civil = Self.civil(dayNumber: dayNumber)
        return "\(Self.pad(civil.year, 4))-\(Self.pad(civil.month, 2))-\(Self.pad(civil.day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.days < rhs.days }

    /// Days since 1970-01-01 (negative before), for date arithmetic.
    public var dayNumber: Int { Int(days) }

    /// The date `dayNumber` days after 1970-01-01; nil outside years 1 to 9999.
    public init?(dayNumber: Int) {
        guard (Self.first...Self.last).contains(dayNumber) else { return nil }
        days = Int32(dayNumber)
    }

    /// The day numbers of 0001-01-01 and 9999-12-31, the calendar Tandem handles.
    private static let first = dayNumber(year: 1, month: 1, day: 1), last = dayNumber(year: 9999, month: 12, day: 31)

    /// The date of `date` in `timeZone`: for callers that choose a default as-of date (the
    /// assessment itself never reads the clock).
    public init(_ date: Date, in timeZone: TimeZone) {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: timeZone, from: date)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Howard Hinnant's civil_from_days, the inverse of `dayNumber(year:month:day:)`.
    static func civil(dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - (153 * shifted + 2) / 5 + 1)
    }

    /// The date `days` later (earlier when negative), clamped to the supported years.
    public func adding(days: Int) -> LocalDate {
        LocalDate(dayNumber: dayNumber + days) ?? (days < 0 ? LocalDate(year: 1, month: 1, day: 1)! : LocalDate(year: 9999, month: 12, day: 31)!)
    }

    /// Days from `earlier` to this date.
    public func days(since earlier: LocalDate) -> Int { dayNumber - earlier.dayNumber }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected a date like 2024-03-05, got \"\(text)\""))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    public static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// A calendar month (`2024-03`), the period of a sales row.
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              let y = LocalDate.number(bytes[0..<4]), let m = LocalDate.number(bytes[5..<7]),
              (1...9999).contains(y), (1...12).contains(m) else { return nil }
        year = y
        month = m
    }

    public var description: String { "\(LocalDate.pad(year, 4))-\(LocalDate.pad(month, 2))" }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}

/// When an interaction happened: a date, or a timestamp with its offset kept as written.
public struct InteractionTime: Hashable, Sendable, CustomStringConvertible {
    /// The calendar date in the timestamp's own offset.
    public var date: LocalDate
    /// The full ISO 8601 timestamp when one was given, normalised to `YYYY-MM-DDTHH:MM:SS±HH:MM` or `Z`.
    public var timestamp: String?

    public init(date: LocalDate, timestamp: String? = nil) {
        self.date = date
        self.timestamp = timestamp
    }

    /// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM|±HHMM)`.
    public init?(_ text: String) {
        if let date = LocalDate(text) {
            self.init(date: date)
            return
        }
        let bytes = Array(text.utf8)
        guard bytes.count >= 17, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
              let date = LocalDate(text.prefix(10)),
              let hour = LocalDate.number(bytes[11..<13]), bytes[13] == UInt8(ascii: ":"),
              let minute = LocalDate.number(bytes[14..<16]), hour < 24, minute < 60 else { return nil }
        var index = 16
        var second = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard index + 3 <= bytes.count, let s = LocalDate.number(bytes[(index + 1)..<(index + 3)]), s < 61 else { return nil }
            second = s
            index += 3
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let digitsStart = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                guard index > digitsStart else { return nil }
            }
        }
        guard index < bytes.count else { return nil }
        let zone: String
        if bytes[index] == UInt8(ascii: "Z"), index + 1 == bytes.count {
            zone = "Z"
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let rest = Array(bytes[(index + 1)...])
            let digits: [UInt8]
            if rest.count == 5, rest[2] == UInt8(ascii: ":") { digits = [rest[0], rest[1], rest[3], rest[4]] }
            else if rest.count == 4 { digits = rest }
            else if rest.count == 2 { digits = rest + [UInt8(ascii: "0"), UInt8(ascii: "0")] }
            else { return nil }
            guard let hh = LocalDate.number(digits[0..<2]), let mm = LocalDate.number(digits[2..<4]), hh < 24, mm < 60
            else { return nil }
            zone = "\(bytes[index] == UInt8(ascii: "+") ? "+" : "-")\(LocalDate.pad(hh, 2)):\(LocalDate.pad(mm, 2))"
        } else {
            return nil
        }
        self.init(date: date, timestamp: "\(date)T\(LocalDate.pad(hour, 2)):\(LocalDate.pad(minute, 2)):\(LocalDate.pad(second, 2))\(zone)")
    }

    /// The timestamp when there is one, else the date.
    public var description: String { timestamp ?? date.description }
}
