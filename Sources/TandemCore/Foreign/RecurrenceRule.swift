/// An RRULE (RFC 5545 §3.3.10) with the parts calendar programs write for meetings: FREQ
/// (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL, COUNT, UNTIL, BYDAY (with ordinals), BYMONTHDAY,
/// BYMONTH, BYSETPOS and WKST. Other parts are refused by name rather than misread.
public struct RecurrenceRule: Sendable, Equatable {
    public struct Problem: Error, Sendable {
        public var message: String
    }

    public enum Frequency: String, Sendable {
        case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY", yearly = "YEARLY"
    }

    public struct WeekdayRule: Sendable, Equatable {
        /// 0 = every such weekday of the period, 1 = the first, -1 = the last …
        var ordinal: Int
        /// 0 = Monday … 6 = Sunday.
        var weekday: Int
    }

    public var frequency: Frequency
    public var interval = 1
    public var count: Int?
    /// The raw UNTIL value: the caller puts it on the event's clock.
    public var until: String?
    var byDay: [WeekdayRule] = []
    var byMonthDay: [Int] = []
    var byMonth: [Int] = []
    var bySetPosition: [Int] = []
    var weekStart = 0

    static let weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    public init(_ text: String) throws(Problem) {
        var frequency: Frequency?
        for part in text.split(separator: ";") where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else { throw Problem(message: "\"\(part)\" is not NAME=value") }
            let name = pieces[0].uppercased(), value = pieces[1].uppercased()
            func integers(_ range: ClosedRange<Int>, zero: Bool = false) throws(Problem) -> [Int] {
                var out: [Int] = []
                for item in value.split(separator: ",") {
                    guard let number = Int(item), range.contains(number), zero || number != 0 else {
                        throw Problem(message: "\(name)=\(value): expected numbers from \(range.lowerBound) to \(range.upperBound)")
                    }
                    out.append(number)
                }
                return out
            }
            switch name {
            case "FREQ":
                guard let known = Frequency(rawValue: value) else {
                    throw Problem(message: "FREQ=\(value) is not read: Tandem expands DAILY, WEEKLY, MONTHLY and YEARLY rules")
                }
                frequency = known
            case "INTERVAL": interval = try integers(1...10_000).first ?? 1
            case "COUNT": count = try integers(1...1_000_000).first
            case "UNTIL": until = value
            case "BYMONTHDAY": byMonthDay = try integers(-31...31)
            case "BYMONTH": byMonth = try integers(1...12)
            case "BYSETPOS": bySetPosition = try integers(-366...366)
            case "WKST":
                guard let day = Self.weekdays.firstIndex(of: value) else { throw Problem(message: "WKST=\(value): expected MO … SU") }
                weekStart = day
            case "BYDAY":
                for item in value.split(separator: ",") {
                    let code = String(item.suffix(2))
                    let ordinalText = item.dropLast(2)
                    guard let weekday = Self.weekdays.firstIndex(of: code),
                          let ordinal = ordinalText.isEmpty ? 0 : Int(ordinalText.hasPrefix("+") ? ordinalText.dropFirst() : ordinalText),
                          (-53...53).contains(ordinal) else {
                        throw Problem(message: "BYDAY=\(value): expected weekdays such as MO, 2TU or -1FR")
                    }
                    byDay.append(WeekdayRule(ordinal: ordinal, weekday: weekday))
                }
            case "BYYEARDAY", "BYWEEKNO", "BYHOUR", "BYMINUTE", "BYSECOND":
                throw Problem(message: "\(name) is not read: Tandem expands rules by day, weekday, month day and month")
            default:
                if name.hasPrefix("X-") { continue }
                throw Problem(message: "\(name) is not an RRULE part")
            }
        }
        guard let frequency else { throw Problem(message: "no FREQ: expected FREQ=DAILY, WEEKLY, MONTHLY or YEARLY") }
        if count != nil, until != nil { throw Problem(message: "COUNT and UNTIL together: a rule has one or the other") }
        self.frequency = frequency
    }

    /// The occurrences from `start` (DTSTART, always the first, counted by COUNT) on, up to and
    /// including `end` and `until` (all on the same clock), at most `limit` of them; those before
    /// `notBefore` are counted but not returned. Nil when there would be more than `limit`.
    public func occurrences(from start: LocalDateTime, through end: LocalDateTime, until: LocalDateTime? = nil,
                            notBefore: LocalDateTime? = nil, limit: Int) -> [LocalDateTime]? {
        var result: [LocalDateTime] = []
        guard start <= end, until.map({ start <= $0 }) ?? true else { return result }
        if notBefore.map({ start >= $0 }) ?? true { result.append(start) }
        var produced = 1, emptyPeriods = 0
        if let count, produced >= count { return result }
        for period in 0..<1_000_000 {
            let days = self.days(period: period, start: start.date)
            if days.isEmpty {
                emptyPeriods += 1
                if emptyPeriods > 2000 { break }
                continue
            }
            emptyPeriods = 0
            for day in days {
                let time = LocalDateTime(date: day, seconds: start.seconds)
                if time <= start { continue }
                if let until, time > until { return result }
                if time > end { return result }
                produced += 1
                if notBefore.map({ time >= $0 }) ?? true {
                    result.append(time)
                    if result.count > limit { return nil }
                }
                if let count, produced >= count { return result }
            }
        }
        return result
    }

    /// The days of one period (the `period`-th day, week, month or year after the start's), sorted.
    func days(period: Int, start: LocalDate) -> [LocalDate] {
        var days: [LocalDate]
        switch frequency {
        case .daily:
            let day = start.adding(days: period * interval)
            days = matchesFilters(day) ? [day] : []
        case .weekly:
            let weekOpen = start.adding(days: -((Self.weekday(start) - weekStart + 7) % 7) + period * interval * 7)
            let wanted = byDay.isEmpty ? [Self.weekday(start)] : byDay.map(\.weekday)
            days = (0..<7).map { weekOpen.adding(days: $0) }
                .filter { wanted.contains(Self.weekday($0)) && (byMonth.isEmpty || byMonth.contains($0.month)) }
        case .monthly:
            let index = start.year * 12 + (start.month - 1) + period * interval
            let year = index / 12, month = index % 12 + 1
            guard year <= 9999 else { return [] }
            days = byMonth.isEmpty || byMonth.contains(month) ? monthDays(year: year, month: month, start: start) : []
        case .yearly:
            let year = start.year + period * interval
            guard year <= 9999 else { return [] }
            if byMonth.isEmpty, byMonthDay.isEmpty, byDay.contains(where: { $0.ordinal != 0 }) {
                days = weekdaysOfYear(year)
            } else {
                let months = !byMonth.isEmpty ? byMonth.sorted() : (!byMonthDay.isEmpty || !byDay.isEmpty ? Array(1...12) : [start.month])
                days = months.flatMap { monthDays(year: year, month: $0, start: start) }
            }
        }
        days.sort()
        guard !bySetPosition.isEmpty, !days.isEmpty else { return days }
        return bySetPosition.compactMap { position in
            let index = position > 0 ? position - 1 : days.count + position
            return days.indices.contains(index) ? days[index] : nil
        }.sorted()
    }

    func matchesFilters(_ day: LocalDate) -> Bool {
        if !byMonth.isEmpty, !byMonth.contains(day.month) { return false }
        if !byMonthDay.isEmpty {
            let length = Self.daysIn(year: day.year, month: day.month)
            if !byMonthDay.contains(where: { ($0 > 0 ? $0 : length + 1 + $0) == day.day }) { return false }
        }
        if !byDay.isEmpty, !byDay.contains(where: { $0.weekday == Self.weekday(day) }) { return false }
        return true
    }

    func monthDays(year: Int, month: Int, start: LocalDate) -> [LocalDate] {
        let length = Self.daysIn(year: year, month: month)
        var chosen: Set<Int>?
        if !byMonthDay.isEmpty {
            chosen = Set(byMonthDay.map { $0 > 0 ? $0 : length + 1 + $0 }.filter { (1...length).contains($0) })
        }
        if !byDay.isEmpty {
            var matching: Set<Int> = []
            for rule in byDay {
                let all = (1...length).filter { Self.weekday(LocalDate(year: year, month: month, day: $0)!) == rule.weekday }
                if rule.ordinal == 0 { matching.formUnion(all) }
                else if rule.ordinal > 0, rule.ordinal <= all.count { matching.insert(all[rule.ordinal - 1]) }
                else if rule.ordinal < 0, -rule.ordinal <= all.count { matching.insert(all[all.count + rule.ordinal]) }
            }
            chosen = chosen.map { $0.intersection(matching) } ?? matching
        }
        let days = chosen.map(Array.init) ?? (start.day <= length ? [start.day] : [])
        return days.compactMap { LocalDate(year: year, month: month, day: $0) }
    }

    func weekdaysOfYear(_ year: Int) -> [LocalDate] {
        guard let first = LocalDate(year: year, month: 1, day: 1) else { return [] }
        let length = LocalDate(year: year + 1, month: 1, day: 1).map { $0.days(since: first) } ?? 365
        var out: Set<LocalDate> = []
        for rule in byDay {
            let all = (0..<length).map { first.adding(days: $0) }.filter { Self.weekday($0) == rule.weekday }
            if rule.ordinal == 0 { out.formUnion(all) }
            else if rule.ordinal > 0, rule.ordinal <= all.count { out.insert(all[rule.ordinal - 1]) }
            else if rule.ordinal < 0, -rule.ordinal <= all.count { out.insert(all[all.count + rule.ordinal]) }
        }
        return Array(out)
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    static func weekday(_ day: LocalDate) -> Int {
        let offset = day.dayNumber - LocalDate(year: 1970, month: 1, day: 1)!.dayNumber
        return ((offset + 3) % 7 + 7) % 7
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
