import Foundation

/// Moments as the account tables and the audit trail store them: ISO 8601 in UTC, to the second,
/// so that they compare as text.
public enum UTCTimestamp {
    /// Now.
    public static func now() -> String { string(Date()) }

    /// Written by hand: every API request takes two, and Foundation's ISO 8601 formatter builds
    /// an ICU formatter each time, a sixth of a list request's time.
    public static func string(_ date: Date) -> String {
        let (days, seconds) = Int(date.timeIntervalSince1970.rounded(.down)).quotientAndRemainder(dividingBy: 86_400)
        let (day, second) = seconds < 0 ? (days - 1, seconds + 86_400) : (days, seconds)
        let (hour, minute) = (second / 3600, second % 3600 / 60)
        let date = LocalDate(dayNumber: day) ?? (day < 0 ? LocalDate(year: 1, month: 1, day: 1)! : LocalDate(year: 9999, month: 12, day: 31)!)
        return "\(date)T\(LocalDate.pad(hour, 2)):\(LocalDate.pad(minute, 2)):\(LocalDate.pad(second % 60, 2))Z"
    }
}
