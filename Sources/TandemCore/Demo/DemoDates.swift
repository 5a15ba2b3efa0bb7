import Foundation

/// Day numbers (days since 1970-01-01) on the civil calendar, free of time zones and Foundation
/// calendars so that every platform produces the same dates.
enum DemoDay {
    /// First day of the five years of history.
    static let historyStart: Int32 = number(2021, 7, 1)
    /// The fixed as-of date of every demo bundle.
    static let asOf: Int32 = number(2026, 6, 30)
    /// Months of history, July 2021 through June 2026.
    static let months = 60
    /// Written in an employment's `end_date` for jobs that are still held.
    static let open = Int32.max

    static func number(_ year: Int, _ month: Int, _ day: Int) -> Int32 {
        Int32(LocalDate.dayNumber(year: year, month: month, day: day))
    }

    static func civil(_ day: Int32) -> (year: Int, month: Int, day: Int) {
        LocalDate.civil(dayNumber: Int(day))
    }

    /// 0 = Sunday … 6 = Saturday.
    static func weekday(_ day: Int32) -> Int { Int((Int64(day) % 7 + 11) % 7) }

    static func nthSunday(_ year: Int, _ month: Int, _ n: Int) -> Int32 {
        let first = number(year, month, 1)
        return first + Int32((7 - weekday(first)) % 7 + 7 * (n - 1))
    }

    static func lastSunday(_ year: Int, _ month: Int) -> Int32 {
        let last = (month == 12 ? number(year + 1, 1, 1) : number(year, month + 1, 1)) - 1
        return last - Int32(weekday(last))
    }

    /// Month index since July 2021: 0 ..< 60 inside the history.
    static func monthIndex(_ day: Int32) -> Int {
        let c = civil(day)
        return (c.year - 2021) * 12 + c.month - 7
    }

    static func monthStart(_ index: Int) -> Int32 {
        let total = 2021 * 12 + 6 + index
        return number(total / 12, total % 12 + 1, 1)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Daylight saving rules, enough to give realistic offsets to timestamps.
enum DemoDST: Sendable {
    case none, europe, northAmerica, australia

    func shift(on day: Int32) -> Int {
        let year = DemoDay.civil(day).year
        switch self {
        case .none:
            return 0
        case .europe:
            return day >= DemoDay.lastSunday(year, 3) && day < DemoDay.lastSunday(year, 10) ? 60 : 0
        case .northAmerica:
            return day >= DemoDay.nthSunday(year, 3, 2) && day < DemoDay.nthSunday(year, 11, 1) ? 60 : 0
        case .australia:
            return day >= DemoDay.nthSunday(year, 10, 1) || day < DemoDay.nthSunday(year, 4, 1) ? 60 : 0
        }
    }
}

/// Formats dates, periods and timestamps, caching the date strings the generator writes millions of times.
final class DemoCalendar {
    private let base: Int32 = DemoDay.number(1990, 1, 1)
    private let dates: [String]
    private let periods: [String]

    init() {
        let end = DemoDay.number(2032, 1, 1)
        var dates: [String] = []
        dates.reserveCapacity(Int(end - base))
        var day = base
        while day < end {
            dates.append(DemoCalendar.format(day))
            day += 1
        }
        self.dates = dates
        periods = (0..<DemoDay.months).map { index in
            let c = DemoDay.civil(DemoDay.monthStart(index))
            return "\(c.year)-\(DemoDay.pad(c.month, 2))"
        }
    }

    private static func format(_ day: Int32) -> String {
        let c = DemoDay.civil(day)
        return "\(DemoDay.pad(c.year, 4))-\(DemoDay.pad(c.month, 2))-\(DemoDay.pad(c.day, 2))"
    }

    func date(_ day: Int32) -> String {
        let index = Int(day) - Int(base)
        return index >= 0 && index < dates.count ? dates[index] : DemoCalendar.format(day)
    }

    /// `YYYY-MM` of a month index.
    func period(_ monthIndex: Int) -> String { periods[monthIndex] }

    /// A local wall-clock time on `day`, written with its offset, or in UTC (`Z`) when asked and the
    /// UTC time falls on the same calendar day.
    func timestamp(day: Int32, minutes: Int, offset: Int, utc: Bool) -> String {
        let utcMinutes = minutes - offset
        if utc, utcMinutes >= 0, utcMinutes < 24 * 60 {
            return date(day) + "T" + DemoCalendar.clock(utcMinutes) + "Z"
        }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        return date(day) + "T" + DemoCalendar.clock(minutes) + sign
            + DemoDay.pad(magnitude / 60, 2) + ":" + DemoDay.pad(magnitude % 60, 2)
    }

    private static func clock(_ minutes: Int) -> String {
        DemoDay.pad(minutes / 60, 2) + ":" + DemoDay.pad(minutes % 60, 2) + ":00"
    }
}

/// Money and other decimal amounts: always two decimals, `.` separator, never an exponent.
enum DemoMoney {
    static func format(cents: Int64) -> String {
        let negative = cents < 0
        let magnitude = negative ? -cents : cents
        let units = magnitude / 100
        let rest = Int(magnitude % 100)
        return (negative ? "-" : "") + String(units) + "." + (rest < 10 ? "0" : "") + String(rest)
    }

    static func format(_ value: Double) -> String { format(cents: cents(value)) }

    static func cents(_ value: Double) -> Int64 { Int64((value * 100).rounded()) }

    /// Rounds to whole units for currencies without minor units (JPY, KRW).
    static func cents(_ value: Double, zeroDecimal: Bool) -> Int64 {
        zeroDecimal ? Int64(value.rounded()) * 100 : cents(value)
    }
}
