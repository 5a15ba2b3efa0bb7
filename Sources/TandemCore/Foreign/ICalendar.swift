import Foundation

/// A wall-clock time: a day and the seconds since its midnight.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var date: LocalDate
    public var seconds: Int

    public init(date: LocalDate, seconds: Int) {
        self.date = date
        self.seconds = seconds
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { (lhs.date, lhs.seconds) < (rhs.date, rhs.seconds) }

    /// Seconds since 1970-01-01T00:00 on this clock.
    public var epochSeconds: Int { (date.dayNumber - LocalDate(year: 1970, month: 1, day: 1)!.dayNumber) * 86_400 + seconds }

    /// The wall-clock time `epochSeconds` after 1970-01-01T00:00, clamped to the years 1 to 9999.
    public init(epochSeconds: Int) {
        let day = Int((Double(epochSeconds) / 86_400).rounded(.down))
        if let date = LocalDate(dayNumber: LocalDate(year: 1970, month: 1, day: 1)!.dayNumber + day) {
            self.date = date
            self.seconds = epochSeconds - day * 86_400
        } else {
            self.date = day < 0 ? LocalDate(year: 1, month: 1, day: 1)! : LocalDate(year: 9999, month: 12, day: 31)!
            self.seconds = day < 0 ? 0 : 86_399
        }
    }

    public var description: String {
        "\(date)T\(LocalDate.pad(seconds / 3600, 2)):\(LocalDate.pad(seconds / 60 % 60, 2)):\(LocalDate.pad(seconds % 60, 2))"
    }
}

/// A DTSTART, DTEND, RECURRENCE-ID or EXDATE value.
public enum CalendarTime: Hashable, Sendable {
    /// VALUE=DATE: an all-day value.
    case day(LocalDate)
    /// A time in UTC (written with Z).
    case utc(LocalDateTime)
    /// A time on the clock of a TZID.
    case zoned(LocalDateTime, zone: String)
    /// A floating time: no zone given, read in the import's time zone.
    case floating(LocalDateTime)

    public var isDay: Bool { if case .day = self { true } else { false } }

    /// The wall-clock time of the value (midnight for a day).
    public var local: LocalDateTime {
        switch self {
        case .day(let date): LocalDateTime(date: date, seconds: 0)
        case .utc(let time), .zoned(let time, _), .floating(let time): time
        }
    }

    /// The same kind of value at another wall-clock time (an occurrence of a rule).
    func with(_ time: LocalDateTime) -> CalendarTime {
        switch self {
        case .day: .day(time.date)
        case .utc: .utc(time)
        case .zoned(_, let zone): .zoned(time, zone: zone)
        case .floating: .floating(time)
        }
    }
}

/// One VEVENT, as written.
public struct CalendarEvent: Sendable {
    public struct Attendee: Sendable, Equatable {
        public var email: String
        public var name: String?
        public var declined: Bool
        public var line: Int
    }

    public var line: Int
    public var uid: String
    public var recurrenceID: CalendarTime?
    public var start: CalendarTime
    public var end: CalendarTime?
    public var duration: Int?
    public var summary: String?
    public var categories: [String]
    public var status: String?
    public var organizer: Attendee?
    public var attendees: [Attendee]
    public var rule: RecurrenceRule?
    public var extraDates: [CalendarTime]
    public var exceptionDates: [CalendarTime]
    /// The line of each property, by name, for messages.
    public var lines: [String: Int]
}

/// A VTIMEZONE: its standard and daylight observances.
public struct CalendarZone: Sendable {
    public struct Observance: Sendable {
        var start: LocalDateTime
        var offsetFrom: Int
        var offsetTo: Int
        var rule: RecurrenceRule?
        var extraDates: [LocalDateTime]
    }

    public var id: String
    var observances: [Observance]
    /// Every onset of every observance up to the year 2200 (at most 1,000 per observance), sorted:
    /// computed once, so that an offset is a binary search.
    let transitions: [(onset: LocalDateTime, offset: Int)]
    let before: Int

    init(id: String, observances: [Observance]) {
        self.id = id
        self.observances = observances
        var transitions: [(onset: LocalDateTime, offset: Int)] = []
        let horizon = LocalDateTime(date: LocalDate(year: 2200, month: 1, day: 1)!, seconds: 0)
        for observance in observances {
            var onsets = observance.extraDates + [observance.start]
            // A rule with more onsets than that is not a time zone's: its own start and dates are kept.
            if let rule = observance.rule { onsets += rule.occurrences(from: observance.start, through: horizon, limit: 1000) ?? [] }
            transitions += onsets.map { ($0, observance.offsetTo) }
        }
        self.transitions = transitions.sorted { $0.onset < $1.onset }
        self.before = observances.min { $0.start < $1.start }?.offsetFrom ?? 0
    }

    /// The offset from UTC, in seconds, of a wall-clock time in this zone: that of the latest onset at or before it.
    func offset(at time: LocalDateTime) -> Int {
        var low = 0, high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle].onset <= time { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? before : transitions[low - 1].offset
    }
}

/// A calendar file: its events and time zones.
public struct CalendarFile: Sendable {
    public var events: [CalendarEvent]
    public var zones: [String: CalendarZone]

    /// Seconds from UTC of a wall-clock time in a TZID: the zone the file defines, else the
    /// system's zone of that name; nil when neither knows it.
    public func offset(at time: LocalDateTime, zone: String) -> Int? {
        if let system = TimeZone(identifier: zone) ?? WindowsZones.timeZone(zone) {
            return Self.systemOffset(at: time, in: system)
        }
        return zones[zone]?.offset(at: time)
    }

    static func systemOffset(at time: LocalDateTime, in zone: TimeZone) -> Int {
        // The offset at the instant the wall-clock time would be in UTC, corrected once by itself.
        let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(time.epochSeconds)))
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(time.epochSeconds - guess)))
    }
}

/// Reads iCalendar files (RFC 5545).
public enum ICalendarFormat {
    struct Component {
        var name: String
        var line: Int
        var properties: [ContentLine] = []
        var children: [Component] = []

        func first(_ name: String) -> ContentLine? { properties.first { $0.name == name } }
        func all(_ name: String) -> [ContentLine] { properties.filter { $0.name == name } }
    }

    /// Calendars nest VCALENDAR, VEVENT or VTIMEZONE, VALARM or STANDARD: a little room above that.
    static let maxDepth = 8

    public static func parse(_ data: Data) throws(ContentLineError) -> CalendarFile {
        var stack: [Component] = []
        var calendars: [Component] = []
        for property in try ContentLines.parse(data) {
            switch property.name {
            case "BEGIN":
                let name = property.text.trimmed.uppercased()
                if stack.isEmpty, name != "VCALENDAR" {
                    throw ContentLineError(line: property.line, message: "expected BEGIN:VCALENDAR, found BEGIN:\(name)")
                }
                guard stack.count < maxDepth else {
                    throw ContentLineError(line: property.line, message: "BEGIN:\(name) is nested more than \(maxDepth) components deep")
                }
                stack.append(Component(name: name, line: property.line))
            case "END":
                let name = property.text.trimmed.uppercased()
                guard let open = stack.popLast() else {
                    throw ContentLineError(line: property.line, message: "END:\(name) without a BEGIN:\(name) before it")
                }
                guard open.name == name else {
                    throw ContentLineError(line: property.line, message: "END:\(name) closes BEGIN:\(open.name) of line \(open.line): expected END:\(open.name)")
                }
                if stack.isEmpty { calendars.append(open) } else { stack[stack.count - 1].children.append(open) }
            default:
                guard !stack.isEmpty else {
                    throw ContentLineError(line: property.line, message: "expected BEGIN:VCALENDAR, found \(property.name)")
                }
                stack[stack.count - 1].properties.append(property)
            }
        }
        if let open = stack.last {
            throw ContentLineError(line: open.line, message: "BEGIN:\(open.name) has no END:\(open.name): the file is cut short")
        }
        guard !calendars.isEmpty else { throw ContentLineError(line: 1, message: "no BEGIN:VCALENDAR: the file holds no calendar") }
        var events: [CalendarEvent] = [], zones: [String: CalendarZone] = [:]
        for calendar in calendars {
            for child in calendar.children {
                switch child.name {
                case "VEVENT": events.append(try event(child))
                case "VTIMEZONE": let zone = try self.zone(child); zones[zone.id] = zone
                default: continue
                }
            }
        }
        return CalendarFile(events: events, zones: zones)
    }

    static func event(_ component: Component) throws(ContentLineError) -> CalendarEvent {
        var lines: [String: Int] = [:]
        for property in component.properties where lines[property.name] == nil { lines[property.name] = property.line }
        guard let uid = component.first("UID")?.text.trimmed, !uid.isEmpty else {
            throw ContentLineError(line: component.line, message: "the event has no UID: expected UID:… (every calendar program writes one)")
        }
        guard let startProperty = component.first("DTSTART") else {
            throw ContentLineError(line: component.line, message: "the event has no DTSTART")
        }
        let start = try time(startProperty)
        let end = try component.first("DTEND").map { p throws(ContentLineError) in try time(p) }
        let duration = try component.first("DURATION").map { p throws(ContentLineError) in try self.duration(p) }
        var rule: RecurrenceRule?
        if let property = component.first("RRULE") {
            do { rule = try RecurrenceRule(property.text) } catch { throw ContentLineError(line: property.line, message: "RRULE: \(error.message)") }
        }
        var extra: [CalendarTime] = [], exceptions: [CalendarTime] = []
        for property in component.all("RDATE") where property.parameter("VALUE")?.uppercased() != "PERIOD" {
            extra += try times(property)
        }
        for property in component.all("EXDATE") { exceptions += try times(property) }
        func attendee(_ property: ContentLine) -> CalendarEvent.Attendee? {
            let address = property.text.trimmed
            let email = address.lowercased().hasPrefix("mailto:") ? String(address.dropFirst(7)) : address
            guard email.contains("@") else { return nil }
            return .init(email: email.trimmed, name: property.parameter("CN"),
                         declined: property.parameter("PARTSTAT")?.uppercased() == "DECLINED", line: property.line)
        }
        return CalendarEvent(line: component.line, uid: uid,
                             recurrenceID: try component.first("RECURRENCE-ID").map { p throws(ContentLineError) in try time(p) },
                             start: start, end: end, duration: duration,
                             summary: component.first("SUMMARY")?.text.trimmed.nonEmpty,
                             categories: component.all("CATEGORIES").flatMap(\.list).map(\.trimmed).filter { !$0.isEmpty },
                             status: component.first("STATUS")?.text.trimmed.uppercased(),
                             organizer: component.first("ORGANIZER").flatMap(attendee),
                             attendees: component.all("ATTENDEE").compactMap(attendee),
                             rule: rule, extraDates: extra, exceptionDates: exceptions, lines: lines)
    }

    static func zone(_ component: Component) throws(ContentLineError) -> CalendarZone {
        guard let id = component.first("TZID")?.text.trimmed, !id.isEmpty else {
            throw ContentLineError(line: component.line, message: "VTIMEZONE has no TZID")
        }
        var observances: [CalendarZone.Observance] = []
        for child in component.children where child.name == "STANDARD" || child.name == "DAYLIGHT" {
            guard let start = child.first("DTSTART"), let from = child.first("TZOFFSETFROM"), let to = child.first("TZOFFSETTO") else {
                throw ContentLineError(line: child.line, message: "\(child.name) needs DTSTART, TZOFFSETFROM and TZOFFSETTO")
            }
            var rule: RecurrenceRule?
            if let property = child.first("RRULE") {
                do { rule = try RecurrenceRule(property.text) } catch { throw ContentLineError(line: property.line, message: "RRULE: \(error.message)") }
            }
            var extra: [LocalDateTime] = []
            for property in child.all("RDATE") { extra += try times(property).map(\.local) }
            observances.append(.init(start: try time(start).local, offsetFrom: try offset(from), offsetTo: try offset(to), rule: rule,
                                     extraDates: extra))
        }
        guard !observances.isEmpty else {
            throw ContentLineError(line: component.line, message: "VTIMEZONE \(id) has neither STANDARD nor DAYLIGHT")
        }
        return CalendarZone(id: id, observances: observances)
    }

    /// `+0100`, `-0530`, `+013000`.
    static func offset(_ property: ContentLine) throws(ContentLineError) -> Int {
        let text = property.text.trimmed
        let digits = text.dropFirst()
        guard let sign = text.first, sign == "+" || sign == "-", digits.count == 4 || digits.count == 6,
              digits.allSatisfy(\.isASCII), let value = Int(digits),
              value / (digits.count == 4 ? 100 : 10_000) < 24 else {
            throw ContentLineError(line: property.line, message: "\(property.name): \"\(text)\" is not an offset such as +0100")
        }
        let hours = digits.count == 4 ? value / 100 : value / 10_000
        let minutes = digits.count == 4 ? value % 100 : value / 100 % 100
        let seconds = digits.count == 4 ? 0 : value % 100
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds)
    }

    static func times(_ property: ContentLine) throws(ContentLineError) -> [CalendarTime] {
        try property.value.split(separator: ",").map { part throws(ContentLineError) in
            try time(String(part), property: property)
        }
    }

    static func time(_ property: ContentLine) throws(ContentLineError) -> CalendarTime {
        try time(property.value, property: property)
    }

    /// `20260303`, `20260303T100000`, `20260303T100000Z`, with the property's TZID.
    static func time(_ raw: String, property: ContentLine) throws(ContentLineError) -> CalendarTime {
        let text = raw.trimmed
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count, bytes[range].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        let fail = ContentLineError(line: property.line, message: "\(property.name): \"\(text)\" is not a date (20260303) or a date and time (20260303T100000, with Z for UTC)")
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let date = LocalDate(year: year, month: month, day: day) else { throw fail }
        if bytes.count == 8 { return .day(date) }
        guard bytes.count == 15 || bytes.count == 16, bytes[8] == UInt8(ascii: "T"),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
              hour < 24, minute < 60, second < 61 else { throw fail }
        let time = LocalDateTime(date: date, seconds: hour * 3600 + minute * 60 + min(second, 59))
        if bytes.count == 16 {
            guard bytes[15] == UInt8(ascii: "Z") else { throw fail }
            return .utc(time)
        }
        if let zone = property.parameter("TZID") { return .zoned(time, zone: zone.hasPrefix("/") ? String(zone.dropFirst()) : zone) }
        return .floating(time)
    }

    /// `PT1H30M`, `P1D`, `-PT15M`, `P2W`: seconds.
    static func duration(_ property: ContentLine) throws(ContentLineError) -> Int {
        let text = property.text.trimmed.uppercased()
        var rest = Substring(text)
        var sign = 1
        if rest.first == "+" || rest.first == "-" { sign = rest.first == "-" ? -1 : 1; rest = rest.dropFirst() }
        let fail = ContentLineError(line: property.line, message: "DURATION: \"\(text)\" is not a duration such as PT1H30M or P1D")
        guard rest.first == "P" else { throw fail }
        rest = rest.dropFirst()
        var total = 0, digits = "", inTime = false, any = false
        for character in rest {
            if character.isASCII, character.isNumber { digits.append(character); continue }
            if character == "T" { inTime = true; continue }
            guard let value = Int(digits), value < 1_000_000 else { throw fail }
            digits = ""
            any = true
            switch (character, inTime) {
            case ("W", false): total += value * 604_800
            case ("D", false): total += value * 86_400
            case ("H", true): total += value * 3600
            case ("M", true): total += value * 60
            case ("S", true): total += value
            default: throw fail
            }
        }
        guard any, digits.isEmpty else { throw fail }
        return sign * total
    }
}

/// Windows time zone names, as Outlook and Exchange write them in TZID, for the commonest zones.
enum WindowsZones {
    static func timeZone(_ name: String) -> TimeZone? {
        names[name].flatMap(TimeZone.init(identifier:))
    }

    static let names: [String: String] = [
        "W. Europe Standard Time": "Europe/Berlin", "Romance Standard Time": "Europe/Paris",
        "Central Europe Standard Time": "Europe/Budapest", "Central European Standard Time": "Europe/Warsaw",
        "GMT Standard Time": "Europe/London", "Greenwich Standard Time": "Atlantic/Reykjavik",
        "E. Europe Standard Time": "Europe/Chisinau", "FLE Standard Time": "Europe/Kiev", "GTB Standard Time": "Europe/Bucharest",
        "Russian Standard Time": "Europe/Moscow", "Turkey Standard Time": "Europe/Istanbul",
        "Eastern Standard Time": "America/New_York", "Central Standard Time": "America/Chicago",
        "Mountain Standard Time": "America/Denver", "US Mountain Standard Time": "America/Phoenix",
        "Pacific Standard Time": "America/Los_Angeles", "Alaskan Standard Time": "America/Anchorage",
        "Hawaiian Standard Time": "Pacific/Honolulu", "Atlantic Standard Time": "America/Halifax",
        "Central Standard Time (Mexico)": "America/Mexico_City", "E. South America Standard Time": "America/Sao_Paulo",
        "India Standard Time": "Asia/Kolkata", "China Standard Time": "Asia/Shanghai", "Tokyo Standard Time": "Asia/Tokyo",
        "Korea Standard Time": "Asia/Seoul", "Singapore Standard Time": "Asia/Singapore", "Arabian Standard Time": "Asia/Dubai",
        "AUS Eastern Standard Time": "Australia/Sydney", "New Zealand Standard Time": "Pacific/Auckland",
        "South Africa Standard Time": "Africa/Johannesburg", "UTC": "UTC", "Coordinated Universal Time": "UTC",
    ]
}
