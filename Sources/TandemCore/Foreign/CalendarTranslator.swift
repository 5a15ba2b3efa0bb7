import Foundation

/// Chooses an interaction's kind from an event's summary or categories: `category:Training=training`
/// (a category, ignoring case) or `summary:QBR=business_review` (words in the summary, ignoring case).
public struct KindRule: Sendable, Equatable, CustomStringConvertible {
    public enum Field: String, Sendable { case summary, category }

    public var field: Field
    public var pattern: String
    public var kind: InteractionKind

    public init(field: Field, pattern: String, kind: InteractionKind) {
        self.field = field
        self.pattern = pattern
        self.kind = kind
    }

    public static let syntax = "expected category:TEXT=KIND or summary:TEXT=KIND, e.g. summary:QBR=business_review"

    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), let equals = text.lastIndex(of: "="), colon < equals,
              let field = Field(rawValue: text[..<colon].trimmed.lowercased()),
              let kind = InteractionKind(rawValue: text[text.index(after: equals)...].trimmed.lowercased()) else { return nil }
        let pattern = text[text.index(after: colon)..<equals].trimmed
        guard !pattern.isEmpty else { return nil }
        self.init(field: field, pattern: pattern, kind: kind)
    }

    /// Rules from a file: one per line, blank lines and lines starting with # ignored.
    public static func parseFile(_ text: String, name: String) -> (rules: [KindRule], problems: [BundleIssue]) {
        var rules: [KindRule] = [], problems: [BundleIssue] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.trimmed
            guard !content.isEmpty, !content.hasPrefix("#") else { continue }
            if let rule = KindRule(content) { rules.append(rule) } else {
                problems.append(BundleIssue(file: name, line: number + 1, column: nil, message: "\"\(content)\": \(syntax); kinds: \(InteractionKind.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        return (rules, problems)
    }

    func matches(summary: String?, categories: [String]) -> Bool {
        switch field {
        case .category:
            return categories.contains { $0.caseInsensitiveCompare(pattern) == .orderedSame }
        case .summary:
            guard let summary else { return false }
            return (" " + Matching.words(summary).joined(separator: " ") + " ").contains(" " + Matching.words(pattern).joined(separator: " ") + " ")
        }
    }

    public var description: String { "\(field.rawValue):\(pattern)=\(kind.rawValue)" }
}

/// Turns calendar events into interactions (docs/importers.md).
///
/// Each occurrence of an event inside the window becomes one interaction keyed by the event's UID
/// and, for a recurring event, the occurrence's original start, so importing the calendar again
/// updates instead of adding. The organizer is the initiator; attendees who declined are left out;
/// attendees and organizers who are not people of the workspace are listed, and an event with
/// nobody Tandem knows is skipped and listed. Cancelled events and occurrences are skipped.
public struct CalendarTranslator: Sendable {
    /// The first and last day read; occurrences outside are left out (and counted).
    public var from: LocalDate?
    public var through: LocalDate
    public var defaultKind: InteractionKind = .meeting
    public var rules: [KindRule] = []
    /// The clock of floating times (no TZID, no Z).
    public var timeZone = TimeZone(identifier: "UTC")!

    public init(from: LocalDate? = nil, through: LocalDate) {
        self.from = from
        self.through = through
    }

    /// One occurrence: the event it comes from (the override, if any) and its original start.
    struct Occurrence {
        var event: CalendarEvent
        var start: CalendarTime
        var originalStart: CalendarTime?
    }

    /// The most occurrences one event, and one file, may give: a calendar of people's meetings has far fewer.
    static let occurrenceLimit = 100_000
    static let fileLimit = 500_000

    public func translate(_ calendar: CalendarFile, source: String, index: WorkspaceIndex, issueLimit: Int = 200) -> Translation {
        var translation = Translation(source: source, issueLimit: issueLimit)
        var masters: [String: CalendarEvent] = [:], order: [String] = []
        var overrides: [String: [CalendarEvent]] = [:]
        for event in calendar.events {
            if event.recurrenceID != nil {
                overrides[event.uid, default: []].append(event)
            } else if let first = masters[event.uid] {
                translation.plan.add(event.line, .skip, "event", "UID \(event.uid) is already used by the event on line \(first.line)")
            } else {
                masters[event.uid] = event
                order.append(event.uid)
            }
        }
        for uid in overrides.keys.sorted() where masters[uid] == nil { order.append(uid) }
        var unmatched: [String: (count: Int, line: Int)] = [:], unmatchedOrder: [String] = []
        var outside = 0
        var keys: [String: Int] = [:]
        for uid in order {
            let occurrences: [Occurrence]
            do {
                occurrences = try expand(masters[uid], overrides: overrides[uid] ?? [], calendar: calendar)
            } catch {
                translation.fail(line: error.line, nil, error.message)
                continue
            }
            if keys.count + occurrences.count > Self.fileLimit {
                translation.fail(line: 0, nil, "more than \(Self.fileLimit.formatted()) occurrences in the window: narrow it with --from and --to")
                break
            }
            for occurrence in occurrences {
                let event = occurrence.event
                let day: LocalDate
                do { day = try localDay(occurrence.start, calendar: calendar, line: event.lines["DTSTART"] ?? event.line) } catch {
                    translation.fail(line: error.line, "DTSTART", error.message)
                    continue
                }
                if day > through || from.map({ day < $0 }) == true { outside += 1; continue }
                let label = "\"\(event.summary ?? "(no summary)")\" on \(day)"
                if event.status == "CANCELLED" {
                    translation.plan.add(event.line, .skip, "event", "\(label) is cancelled")
                    continue
                }
                var people: [String] = []
                var initiator: String?
                var strangers: [String] = []
                if let organizer = event.organizer {
                    if let person = index.person(email: organizer.email) { initiator = person.key; people.append(person.key) }
                    else { strangers.append(organizer.email) }
                }
                for attendee in event.attendees where !attendee.declined {
                    if let person = index.person(email: attendee.email) {
                        if !people.contains(person.key) { people.append(person.key) }
                    } else if !strangers.contains(where: { Matching.email($0) == Matching.email(attendee.email) }) {
                        strangers.append(attendee.email)
                    }
                }
                for email in strangers {
                    let normalized = Matching.email(email)
                    if unmatched[normalized] == nil { unmatchedOrder.append(normalized) }
                    unmatched[normalized] = ((unmatched[normalized]?.count ?? 0) + 1, unmatched[normalized]?.line ?? event.line)
                }
                guard let first = people.first else {
                    let who = strangers.isEmpty ? "it has no organizer or attendees" : "nobody in it is a person of the workspace (\(strangers.joined(separator: ", ")))"
                    translation.plan.add(event.line, .skip, "event", "\(label): \(who)")
                    continue
                }
                let key: String
                do {
                    key = Self.key(uid: event.uid, occurrence: try occurrence.originalStart.map { original throws(ContentLineError) in
                        try occurrenceName(original, calendar: calendar, line: event.lines["RECURRENCE-ID"] ?? event.line)
                    })
                } catch {
                    translation.fail(line: error.line, "RECURRENCE-ID", error.message)
                    continue
                }
                if let line = keys[key] {
                    translation.plan.add(event.line, .skip, "event", "\(label): the same occurrence as the event on line \(line)")
                    continue
                }
                keys[key] = event.line
                let kind = rules.first { $0.matches(summary: event.summary, categories: event.categories) }?.kind ?? defaultKind
                let timestamp: String
                do { timestamp = try self.timestamp(occurrence.start, calendar: calendar, line: event.lines["DTSTART"] ?? event.line) } catch {
                    translation.fail(line: error.line, "DTSTART", error.message)
                    continue
                }
                let minutes = duration(event, calendar: calendar).map { $0 / 60 }.flatMap { (0...100_000).contains($0) ? $0 : nil }
                var origin = RowOrigin(line: event.line, columns: ["date": ("DTSTART", event.lines["DTSTART"] ?? event.line)])
                if let line = event.lines["SUMMARY"] { origin.columns["summary"] = ("SUMMARY", line) }
                if let line = event.lines["ORGANIZER"] { origin.columns["initiator_key"] = ("ORGANIZER", line) }
                if let line = event.lines["ATTENDEE"] { origin.columns["participant_keys"] = ("ATTENDEE", line) }
                translation.add(.interactions, ["key": key, "date": timestamp, "kind": kind.rawValue, "initiator_key": initiator ?? first,
                                                "participant_keys": people.joined(separator: ";"),
                                                "duration_minutes": minutes.map(String.init), "summary": event.summary],
                                origin: origin)
                var detail = "\(label) as \(kind.rawValue), \(people.count) \(people.count == 1 ? "person" : "people") (\(people.joined(separator: ", ")))"
                if initiator == nil {
                    detail += event.organizer.map { "; the organizer \($0.email) is not a person of the workspace, so \(first) is recorded as its initiator" }
                        ?? "; no organizer, so \(first) is recorded as its initiator"
                }
                if index.interactionKeys.contains(key) {
                    translation.plan.add(event.line, .update, "interaction", detail + " (imported before)")
                } else {
                    translation.plan.add(event.line, .create, "interaction", detail)
                }
            }
        }
        for email in unmatchedOrder {
            guard let seen = unmatched[email] else { continue }
            translation.plan.notes.append("\(email) is not a person of the workspace: in \(seen.count) event\(seen.count == 1 ? "" : "s"), first on line \(seen.line)")
        }
        if outside > 0 {
            let window = (from.map { "from \($0) " } ?? "") + "through \(through)"
            translation.plan.notes.append("\(outside) occurrence\(outside == 1 ? " is" : "s are") outside the window (\(window)) and left out")
        }
        return translation
    }

    /// The occurrences of one UID: the event's own, or its rule's, with exceptions removed and overrides applied.
    func expand(_ master: CalendarEvent?, overrides: [CalendarEvent], calendar: CalendarFile) throws(ContentLineError) -> [Occurrence] {
        var byOriginal: [Int: CalendarEvent] = [:]
        for event in overrides {
            guard let id = event.recurrenceID else { continue }
            byOriginal[try instant(id, calendar: calendar, line: event.lines["RECURRENCE-ID"] ?? event.line)] = event
        }
        guard let master else {
            return overrides.compactMap { event in event.recurrenceID.map { Occurrence(event: event, start: event.start, originalStart: $0) } }
        }
        guard master.rule != nil || !master.extraDates.isEmpty else {
            return [Occurrence(event: master, start: master.start, originalStart: nil)]
        }
        var starts = [master.start]
        if let rule = master.rule {
            var until: LocalDateTime?
            if let text = rule.until {
                let line = master.lines["RRULE"] ?? master.line
                let value = try ICalendarFormat.time(text, property: ContentLine(line: line, name: "RRULE UNTIL", value: text))
                // UNTIL in UTC is moved onto the event's clock; a date means the end of that day.
                if case .utc(let time) = value, !master.start.isDay, case .utc = master.start {
                    until = time
                } else if case .utc(let time) = value, !master.start.isDay {
                    let offset = try self.offset(master.start.with(time), calendar: calendar, line: line)
                    until = LocalDateTime(epochSeconds: time.epochSeconds + offset)
                } else if case .day(let date) = value {
                    until = LocalDateTime(date: date, seconds: 86_399)
                } else {
                    until = value.local
                }
            }
            let end = LocalDateTime(date: through, seconds: 86_399)
            let notBefore = from.map { LocalDateTime(date: $0, seconds: 0) }
            guard let expanded = rule.occurrences(from: master.start.local, through: end, until: until, notBefore: notBefore, limit: Self.occurrenceLimit) else {
                throw ContentLineError(line: master.lines["RRULE"] ?? master.line,
                                       message: "RRULE: more than \(Self.occurrenceLimit.formatted()) occurrences in the window: narrow it with --from and --to")
            }
            starts = expanded.map(master.start.with)
        }
        starts += master.extraDates
        let line = master.lines["EXDATE"] ?? master.line
        let excluded = Set(try master.exceptionDates.map { date throws(ContentLineError) in try instant(date, calendar: calendar, line: line) })
        var seen: Set<Int> = []
        var occurrences: [Occurrence] = []
        for start in starts {
            let moment = try instant(start, calendar: calendar, line: master.lines["DTSTART"] ?? master.line)
            guard !excluded.contains(moment), seen.insert(moment).inserted else { continue }
            if let override = byOriginal.removeValue(forKey: moment) {
                occurrences.append(Occurrence(event: override, start: override.start, originalStart: start))
            } else {
                occurrences.append(Occurrence(event: master, start: start, originalStart: start))
            }
        }
        // Overrides of occurrences the rule does not give (moved in from elsewhere) still happen.
        for event in byOriginal.values.sorted(by: { $0.line < $1.line }) {
            if let id = event.recurrenceID { occurrences.append(Occurrence(event: event, start: event.start, originalStart: id)) }
        }
        return occurrences
    }

    /// An occurrence's original start as its key names it: the day of an all-day event, the UTC
    /// time of a timed one (however its RECURRENCE-ID writes it), the clock time of a floating one.
    func occurrenceName(_ start: CalendarTime, calendar: CalendarFile, line: Int) throws(ContentLineError) -> String {
        switch start {
        case .day(let date): return date.description
        case .floating(let time): return time.description
        case .utc, .zoned: return LocalDateTime(epochSeconds: try instant(start, calendar: calendar, line: line)).description + "Z"
        }
    }

    /// An interaction key: the UID, and for an occurrence of a recurring event its original start.
    static func key(uid: String, occurrence: String?) -> String {
        var key = "ics:" + uid
        if let occurrence { key += "/" + occurrence }
        if FieldRules.key(key) == key { return key }
        // Too long, or not a valid key: a readable prefix and a hash of the whole.
        return String(key.replacingOccurrences(of: ";", with: "_").prefix(90)).trimmed + "~" + Matching.stableHash(key)
    }

    /// Seconds from UTC of a time on its clock.
    func offset(_ time: CalendarTime, calendar: CalendarFile, line: Int) throws(ContentLineError) -> Int {
        switch time {
        case .day, .utc: return 0
        case .floating(let local): return CalendarFile.systemOffset(at: local, in: timeZone)
        case .zoned(let local, let zone):
            guard let offset = calendar.offset(at: local, zone: zone) else {
                throw ContentLineError(line: line, message: "TZID \"\(zone)\" is not a time zone Tandem knows, and the file has no VTIMEZONE for it")
            }
            return offset
        }
    }

    /// Seconds since 1970 in UTC; a day counts from its midnight on the event's clock.
    func instant(_ time: CalendarTime, calendar: CalendarFile, line: Int) throws(ContentLineError) -> Int {
        time.local.epochSeconds - (try offset(time, calendar: calendar, line: line))
    }

    /// The day an occurrence starts on, on its own clock.
    func localDay(_ time: CalendarTime, calendar: CalendarFile, line: Int) throws(ContentLineError) -> LocalDate {
        _ = try offset(time, calendar: calendar, line: line)
        return time.local.date
    }

    /// A date for an all-day event; else a timestamp with the offset of its clock.
    func timestamp(_ time: CalendarTime, calendar: CalendarFile, line: Int) throws(ContentLineError) -> String {
        if case .day(let date) = time { return date.description }
        if case .utc(let local) = time { return local.description + "Z" }
        let offset = try self.offset(time, calendar: calendar, line: line)
        let sign = offset < 0 ? "-" : "+", magnitude = abs(offset)
        return time.local.description + sign + LocalDate.pad(magnitude / 3600, 2) + ":" + LocalDate.pad(magnitude / 60 % 60, 2)
    }

    /// Seconds from start to end (DTEND or DURATION); nil for all-day events and when neither is given.
    func duration(_ event: CalendarEvent, calendar: CalendarFile) -> Int? {
        if event.start.isDay { return nil }
        if let duration = event.duration { return duration }
        guard let end = event.end, !end.isDay,
              let startInstant = try? instant(event.start, calendar: calendar, line: event.line),
              let endInstant = try? instant(end, calendar: calendar, line: event.line) else { return nil }
        return endInstant - startInstant
    }
}
