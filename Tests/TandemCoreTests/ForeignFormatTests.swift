import Foundation
@testable import TandemCore
import Testing

/// The files in Tests/Fixtures/foreign, written by vobject and icalendar (see its README), and
/// what those libraries read back from them.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/foreign")

    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }

    static func expected() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data("expected.json")) as! [String: Any]
    }

    /// Seconds since 1970 of an ISO 8601 timestamp with Z or an offset.
    static func instant(_ text: String) -> Int? {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text).map { Int($0.timeIntervalSince1970) }
    }
}

@Suite struct ContentLineTests {
    @Test func unfoldsBeforeUnescapingAndSplitsStructuredValues() throws {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nNOTE:one\\\r\n ; two\\, three\r\nORG:Acme\\, Inc.;Sales\\; East\r\nEND:VCARD\r\n"
        let lines = try ContentLines.parse(Data(text.utf8))
        #expect(lines.map(\.name) == ["BEGIN", "VERSION", "FN", "NOTE", "ORG", "END"])
        #expect(lines[3].text == "one; two, three")
        #expect(lines[3].line == 4)
        #expect(lines[4].components == ["Acme, Inc.", "Sales; East"])
    }

    @Test func readsParametersQuotedBareAndListed() throws {
        let lines = try ContentLines.parse(Data("item1.EMAIL;TYPE=work,pref;X-NOTE=\"a:b;c\":ann@example.com\nTEL;WORK;VOICE:+1 555\n".utf8))
        #expect(lines[0].name == "EMAIL")
        #expect(lines[0].parameters["TYPE"] == ["work", "pref"])
        #expect(lines[0].parameter("X-NOTE") == "a:b;c")
        #expect(lines[0].text == "ann@example.com")
        #expect(lines[1].parameters["TYPE"] == ["WORK", "VOICE"])
    }

    @Test func decodesQuotedPrintableOfVCard21() throws {
        let text = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=\n=C3=BCrgen\nEND:VCARD\n"
        let cards = try VCardFormat.parse(Data(text.utf8))
        #expect(cards.map(\.name) == ["Jürgen Müller"])
    }

    @Test(arguments: [
        ("BEGIN:VCARD\nVERSION:3.0\nFN:Ann\n", 1, "the card that begins here has no END:VCARD: the file is cut short"),
        ("BEGIN:VCARD\nVERSION:3.0\nFN Ann\nEND:VCARD\n", 3, "expected a property such as NAME:value, found \"FN Ann\""),
        ("BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n", 1, "the card has no name: expected FN or N"),
        ("BEGIN:VCARD\nVERSION:5.0\nFN:A\nEND:VCARD\n", 2, "VERSION \"5.0\" is not a vCard version Tandem reads: expected 2.1, 3.0 or 4.0"),
        ("FN:Ann\n", 1, "expected BEGIN:VCARD, found FN: a vCard file holds only cards"),
        ("BEGIN:VCARD\nBEGIN:VCARD\n", 2, "BEGIN:VCARD inside the card that begins on line 1: expected END:VCARD first"),
        ("BEGIN:VCARD\nVERSION:3.0\nFN;CN=\"open:Ann\nEND:VCARD\n", 3, "parameter CN: the quote opened at \"\"open:Ann\" is never closed"),
    ])
    func refusesMalformedCardsWithTheirLine(_ text: String, line: Int, message: String) {
        #expect(throws: ContentLineError(line: line, message: message)) { try VCardFormat.parse(Data(text.utf8)) }
    }

    @Test func refusesTextThatIsNotUTF8() {
        var data = Data("BEGIN:VCARD\nVERSION:3.0\nFN:M".utf8)
        data.append(0xFC)
        data.append(contentsOf: Array("ller\nEND:VCARD\n".utf8))
        #expect(throws: ContentLineError(line: 3, message: "not UTF-8 text: save the file as UTF-8")) { try VCardFormat.parse(data) }
    }
}

@Suite struct VCardFixtureTests {
    @Test(arguments: ["contacts-3.vcf", "contacts-4.vcf"])
    func readsWhatVobjectWrote(_ name: String) throws {
        let cards = try VCardFormat.parse(try Fixtures.data(name))
        let expected = ((try Fixtures.expected()["vcards"] as! [String: Any])[name] as! [String: Any])["cards"] as! [[String: Any]]
        #expect(cards.count == expected.count)
        for (card, want) in zip(cards, expected) {
            #expect(card.name == want["fn"] as? String)
            #expect(Set(card.emails) == Set(want["emails"] as! [String]))
            #expect(card.organization == (want["org"] as? [String] ?? []))
            #expect(card.title == want["title"] as? String)
            #expect(Set(card.phones) == Set((want["tels"] as! [String]).map { $0.hasPrefix("tel:") ? String($0.dropFirst(4)) : $0 }))
            #expect(card.kind == (want["kind"] as? String ?? "individual"))
        }
        // The preferred address comes first.
        if name == "contacts-3.vcf" { #expect(cards[0].emails.first == "Dirk@ACME.example") }
    }

    @Test func writesCardsThatReadBack() throws {
        let text = VCardFormat.write(uid: "p-1", name: "Jürgen Weiß-Langername", email: "j@example.com", phone: "+49 30 1",
                                     organization: "Acme, Inc.; Süd", title: String(repeating: "Großhandel ", count: 12), country: "DE")
        #expect(text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        let card = try #require(try VCardFormat.parse(Data(text.utf8)).first)
        #expect(card.name == "Jürgen Weiß-Langername")
        #expect(card.emails == ["j@example.com"])
        #expect(card.organization == ["Acme, Inc.; Süd"])
        #expect(card.title == String(repeating: "Großhandel ", count: 12).trimmed)
        #expect(card.country == "DE")
        #expect(card.uid == "p-1")
    }
}

@Suite struct RecurrenceRuleTests {
    func days(_ rule: String, from start: String, through end: String = "2030-12-31", limit: Int = 10) throws -> [String] {
        let first = LocalDateTime(date: LocalDate(start)!, seconds: 36_000)
        let all = try RecurrenceRule(rule).occurrences(from: first, through: LocalDateTime(date: LocalDate(end)!, seconds: 86_399), limit: 100_000)
        return (all ?? []).prefix(limit).map(\.date.description)
    }

    @Test func expandsTheRulesCalendarsWrite() throws {
        #expect(try days("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", from: "2026-01-30", limit: 4)
                == ["2026-01-30", "2026-02-27", "2026-03-31", "2026-04-30"])
        #expect(try days("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=4", from: "2026-01-05") == ["2026-01-05", "2026-01-07", "2026-01-19", "2026-01-21"])
        #expect(try days("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3", from: "2026-01-31") == ["2026-01-31", "2026-03-31", "2026-05-31"])
        #expect(try days("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", from: "2024-10-27", limit: 3) == ["2024-10-27", "2025-10-26", "2026-10-25"])
        #expect(try days("FREQ=MONTHLY;BYDAY=2TU", from: "2026-01-13", limit: 3) == ["2026-01-13", "2026-02-10", "2026-03-10"])
        #expect(try days("FREQ=DAILY;INTERVAL=3", from: "2026-02-27", through: "2026-03-08") == ["2026-02-27", "2026-03-02", "2026-03-05", "2026-03-08"])
        #expect(try days("FREQ=YEARLY", from: "2024-02-29", limit: 2) == ["2024-02-29", "2028-02-29"])
        let until = LocalDateTime(date: LocalDate("2026-01-19")!, seconds: 36_000)
        #expect(try RecurrenceRule("FREQ=WEEKLY").occurrences(from: LocalDateTime(date: LocalDate("2026-01-05")!, seconds: 36_000),
                                                              through: LocalDateTime(date: LocalDate("2027-01-01")!, seconds: 0),
                                                              until: until, limit: 10)?.count == 3)
        // DTSTART is the first occurrence, and counts, even when the rule would not give it (RFC 5545 §3.8.5.3).
        #expect(try days("FREQ=WEEKLY;BYDAY=MO;COUNT=3", from: "2026-01-07") == ["2026-01-07", "2026-01-12", "2026-01-19"])
        // Occurrences before a day are counted, not returned; more than the limit is nil, not a silent cut.
        let rule = try RecurrenceRule("FREQ=DAILY;COUNT=10")
        let start = LocalDateTime(date: LocalDate("2026-01-01")!, seconds: 0), far = LocalDateTime(date: LocalDate("2027-01-01")!, seconds: 0)
        #expect(rule.occurrences(from: start, through: far, notBefore: LocalDateTime(date: LocalDate("2026-01-08")!, seconds: 0), limit: 10)?.count == 3)
        #expect(try RecurrenceRule("FREQ=DAILY").occurrences(from: start, through: far, limit: 100) == nil)
        // Huge intervals and rules that never match end, without a trap.
        #expect(try RecurrenceRule("FREQ=DAILY;INTERVAL=10000;BYMONTH=2;BYMONTHDAY=30").occurrences(from: start, through: far, limit: 10)?.count == 1)
        #expect(try RecurrenceRule("FREQ=WEEKLY;INTERVAL=10000").occurrences(from: start, through: LocalDateTime(date: LocalDate("9999-12-31")!, seconds: 0), limit: 100)?.count == 42)
    }

    @Test(arguments: [
        ("FREQ=HOURLY", "FREQ=HOURLY is not read: Tandem expands DAILY, WEEKLY, MONTHLY and YEARLY rules"),
        ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO is not read: Tandem expands rules by day, weekday, month day and month"),
        ("FREQ=DAILY;COUNT=2;UNTIL=20260101", "COUNT and UNTIL together: a rule has one or the other"),
        ("INTERVAL=2", "no FREQ: expected FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY=XX: expected weekdays such as MO, 2TU or -1FR"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0: expected numbers from -31 to 31"),
    ])
    func refusesRulesItCannotExpandByName(_ text: String, message: String) {
        #expect(throws: Error.self) { try RecurrenceRule(text) }
        do { _ = try RecurrenceRule(text) } catch { #expect(error.message == message) }
    }
}

@Suite struct CalendarFixtureTests {
    /// Everyone in the calendar is a person, so only cancelled events and the one without people are left out.
    static func everyoneIndex(_ calendar: CalendarFile) -> WorkspaceIndex {
        var emails: [String] = []
        for event in calendar.events {
            for email in ([event.organizer].compactMap { $0 } + event.attendees).map({ Matching.email($0.email) }) where !emails.contains(email) {
                emails.append(email)
            }
        }
        return WorkspaceIndex(people: emails.enumerated().map { .init(key: "p\($0.offset)", name: $0.element, email: $0.element) })
    }

    @Test func expandsOccurrencesLikeRecurringIcalEvents() throws {
        let calendar = try ICalendarFormat.parse(try Fixtures.data("calendar.ics"))
        let translation = CalendarTranslator(from: LocalDate("2026-01-01"), through: LocalDate("2026-12-31")!)
            .translate(calendar, source: "calendar.ics", index: Self.everyoneIndex(calendar))
        #expect(translation.errors.isEmpty)
        let table = try #require(translation.tables[.interactions])
        let keyColumn = table.header.firstIndex(of: "key")!, dateColumn = table.header.firstIndex(of: "date")!
        var ours: [String] = []
        for row in table.rows {
            let key = row[keyColumn]!, date = row[dateColumn]!
            let uid = String(key.dropFirst(4).prefix { $0 != "/" })
            ours.append(uid + " " + (date.count == 10 ? date : String(Fixtures.instant(date)!)))
        }
        let expected = (try Fixtures.expected()["calendar"] as! [String: Any])["occurrences"] as! [[String: Any]]
        let wanted = expected.filter { ($0["status"] as? String) != "CANCELLED" && ($0["organizer"] as? String != nil || !($0["attendees"] as! [String]).isEmpty) }
            .map { occurrence -> String in
                let start = occurrence["start"] as! String
                let value = occurrence["all_day"] as! Bool ? start : String(Fixtures.instant((occurrence["floating"] as! Bool) ? start + "Z" : start)!)
                return (occurrence["uid"] as! String) + " " + value
            }
        #expect(expected.count == 65)
        #expect(ours.sorted() == wanted.sorted())
        // The weekly series keeps 10:00 in Berlin across the change to summer time.
        #expect(table.rows.contains { $0[dateColumn] == "2026-03-03T10:00:00+01:00" })
        #expect(table.rows.contains { $0[dateColumn] == "2026-03-31T10:00:00+02:00" })
        let skipped = translation.plan.items.filter { $0.action == .skip }.map(\.detail)
        #expect(skipped.count == 2)
        #expect(skipped.contains { $0.hasSuffix("is cancelled") })
    }

    @Test func readsZonesTheSystemDoesNotKnowFromTheirVTimezone() throws {
        let text = """
            BEGIN:VCALENDAR\r
            BEGIN:VTIMEZONE\r
            TZID:Custom Central\r
            BEGIN:STANDARD\r
            DTSTART:16011028T030000\r
            RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r
            TZOFFSETFROM:+0200\r
            TZOFFSETTO:+0100\r
            END:STANDARD\r
            BEGIN:DAYLIGHT\r
            DTSTART:16010325T020000\r
            RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r
            TZOFFSETFROM:+0100\r
            TZOFFSETTO:+0200\r
            END:DAYLIGHT\r
            END:VTIMEZONE\r
            END:VCALENDAR\r

            """
        let calendar = try ICalendarFormat.parse(Data(text.utf8))
        let winter = LocalDateTime(date: LocalDate("2026-01-15")!, seconds: 36_000)
        let summer = LocalDateTime(date: LocalDate("2026-07-15")!, seconds: 36_000)
        #expect(calendar.offset(at: winter, zone: "Custom Central") == 3600)
        #expect(calendar.offset(at: summer, zone: "Custom Central") == 7200)
        #expect(calendar.offset(at: summer, zone: "W. Europe Standard Time") == 7200)
        #expect(calendar.offset(at: summer, zone: "Nowhere/Special") == nil)
    }

    @Test(arguments: [
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:2026-03-01\nEND:VEVENT\nEND:VCALENDAR\n", 4,
         "DTSTART: \"2026-03-01\" is not a date (20260303) or a date and time (20260303T100000, with Z for UTC)"),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260301\nEND:VEVENT\nEND:VCALENDAR\n", 2,
         "the event has no UID: expected UID:… (every calendar program writes one)"),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260301\nEND:VCALENDAR\n", 5, "END:VCALENDAR closes BEGIN:VEVENT of line 2: expected END:VEVENT"),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n", 2, "BEGIN:VEVENT has no END:VEVENT: the file is cut short"),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260301T100000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\nEND:VCALENDAR\n", 5,
         "RRULE: FREQ=SECONDLY is not read: Tandem expands DAILY, WEEKLY, MONTHLY and YEARLY rules"),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260301T100000Z\nDURATION:1H\nEND:VEVENT\nEND:VCALENDAR\n", 5,
         "DURATION: \"1H\" is not a duration such as PT1H30M or P1D"),
        ("BEGIN:VCARD\nEND:VCARD\n", 1, "expected BEGIN:VCALENDAR, found BEGIN:VCARD"),
    ])
    func refusesMalformedCalendarsWithTheirLine(_ text: String, line: Int, message: String) {
        #expect(throws: ContentLineError(line: line, message: message)) { try ICalendarFormat.parse(Data(text.utf8)) }
    }

    @Test func kindRulesReadCategoriesAndSummaryWords() throws {
        #expect(KindRule("summary:QBR=business_review") == KindRule(field: .summary, pattern: "QBR", kind: .businessReview))
        #expect(KindRule("category: Training = training")?.kind == .training)
        #expect(KindRule("title:QBR=meeting") == nil)
        #expect(KindRule("summary:QBR=lunch") == nil)
        let rule = try #require(KindRule("summary:call=call"))
        #expect(rule.matches(summary: "Call with Dirk", categories: []))
        #expect(!rule.matches(summary: "Callisto launch", categories: []))
        let file = KindRule.parseFile("# rules\ncategory:Event=event\n\nsummary=oops\n", name: "rules.txt")
        #expect(file.rules.count == 1)
        #expect(file.problems.map(\.line) == [4])
    }
}

@Suite struct PointOfSaleFormatTests {
    static let folder = Fixtures.folder.deletingLastPathComponent().appendingPathComponent("pos")

    @Test(arguments: ["acme-867.x12", "acme-867-pipes.x12", "acme-867-oneline.x12"])
    func readsAnX12ReportWhateverItsSeparators(_ name: String) throws {
        let report = try X12Format.productTransferReport(try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        #expect(report.lines.count == 6)
        #expect(report.currency == "USD")
        #expect(report.periodStart == LocalDate("2024-04-01") && report.periodEnd == LocalDate("2024-05-31"))
        let first = try #require(report.lines.first)
        #expect(first.location == "101" && first.date == LocalDate("2024-04-12") && first.catalogNumber == "LT2X4-40-840")
        #expect(first.upc == "012345678905" && first.quantity == 24)
        #expect(first.extendedCost == 444 && first.extendedResale == 666)
        #expect(report.lines[2].quantity == -2)
        #expect(report.lines.filter(\.isTransfer).count == 1)
        #expect(report.lines.last?.location == "205" && report.lines.last?.date == LocalDate("2024-05-02"))
    }

    static let envelope = "ISA*00*          *00*          *ZZ*ACMEELEC       *ZZ*VOLTLINE       *240503*0930*U*00401*000000123*0*P*>~\n"

    @Test(arguments: [
        ("GS*IN*A*B*20240503*0930*1*X*004010~\n", 2, 2, "GS01", "\"IN\" is not PT: Tandem reads product transfer and resale reports (867)"),
        ("GS*PT*A*B*20240503*0930*1*X*004010~\nST*810*0001~\n", 3, 3, "ST01", "transaction set 810 is not an 867 product transfer and resale report"),
        ("GS*PT*A*B*20240503*0930*1*X*004010~\nST*867*0001~\nPTD*SS~\nN1*DB*X*92*101~\nQTY*39*ten*EA~\n", 6, 6, "QTY02", "\"ten\" is not a quantity"),
        ("GS*PT*A*B*20240503*0930*1*X*004010~\nST*867*0001~\nPTD*SS~\nN1*DB*X*92*101~\nQTY*39*1*EA~\nDTM*003*20241340~\n", 7, 7, "DTM02",
         "\"20241340\" is not a date CCYYMMDD such as 20240412"),
        ("GS*PT*A*B*20240503*0930*1*X*004010~\nST*867*0001~\nBPT*00*R*20240503~\nSE*9*0001~\n", 5, 5, "SE01", "says 9 segments, the transaction set has 3 (ST to SE)"),
        ("GS*PT*A*B*20240503*0930*1*X*004010~\nST*867*0001~\nBPT*00*R*20240503~\nSE*3*0002~\n", 5, 5, "SE02", "control number 0002 differs from ST02 0001"),
        ("GS*PT*A*B*20240503*0930*1*X*004010~\nST*867*0001~\nPTD*SS~\nQTY*39*1*EA~\nDTM*003*20240412~\nSE*5*0001~\n", 5, 5, "QTY",
         "no location: expected an N1 segment with N101 DB, SE, WH or BR and the location id in N104 in this PTD"),
        ("GS*PT*A*B*20240503*0930*1*X*004010~\nGE*0*1~\nIEA*1*000000999~\n", 4, 4, "IEA02", "control number 000000999 differs from ISA13 000000123"),
        ("GS*PT*A*B*20240503*0930*1*X*004010~\nGE*0*1~\n", 1, 1, "ISA", "the interchange has no IEA: the file is cut short"),
    ])
    func refusesMalformedReportsAtTheirSegment(_ body: String, line: Int, segment: Int, place: String, message: String) {
        #expect(throws: X12Error(line: line, segment: segment, place: place, message: message)) {
            try X12Format.productTransferReport(Data((Self.envelope + body).utf8))
        }
    }

    @Test func refusesAnISAOfTheWrongLength() {
        #expect(throws: X12Error.self) { try X12Format.segments(Data("ISA*00*short*P*>~GS*PT~".utf8)) }
        #expect(throws: X12Error.self) { try X12Format.segments(Data("UNA:+.? 'UNB+UNOC:3'".utf8)) }
    }

    @Test func readsTheNemraLayoutAsASpreadsheetWritesIt() throws {
        let read = NemraFormat.read(Self.folder.appendingPathComponent("acme-nemra.csv"), name: "acme-nemra.csv")
        #expect(read.problems.isEmpty)
        #expect(read.report.lines.count == 6)
        let returned = read.report.lines[2]
        #expect(returned.quantity == -2 && returned.extendedCost == -37 && returned.extendedResale == -55.5 && returned.line == 6)
        #expect(read.report.lines[4].isTransfer && read.report.lines[4].extendedResale == nil)
        #expect(NemraFormat.number("$1,234.50") == 1234.5 && NemraFormat.number("(12.00)") == -12 && NemraFormat.number("7.5-") == -7.5)
        #expect(NemraFormat.number("12 units") == nil)
        #expect(NemraFormat.date("4/2/24") == LocalDate("2024-04-02") && NemraFormat.date("20240402") == LocalDate("2024-04-02"))
        #expect(NemraFormat.date("02-Apr-2024") == LocalDate("2024-04-02") && NemraFormat.date("45384") == LocalDate("2024-04-02"))
        #expect(NemraFormat.date("13/45/2024") == nil)
    }

    @Test func reportsEveryBadRowOfANemraFileWithItsColumn() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nemra-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("Branch,Invoice Date,Qty,Ext Cost\n101,04/12/2024,3,$9.00\n,04/31/2024,x,\n".utf8).write(to: url)
        let read = NemraFormat.read(url, name: "pos.csv")
        #expect(read.problems.map(\.description) == [
            "pos.csv:3: Branch: required value is missing",
            "pos.csv:3: Invoice Date: \"04/31/2024\" is not a date: expected MM/DD/YYYY, YYYY-MM-DD or YYYYMMDD",
            "pos.csv:3: Qty: \"x\" is not a number",
        ])
        try Data("Customer,Amount\nA,1\n".utf8).write(to: url)
        #expect(NemraFormat.read(url, name: "pos.csv").problems.map(\.message)
                == ["no header row: expected columns for the branch, the invoice date and the quantity"])
    }
}

/// Inputs found by review: each once crashed, hung, or gave a wrong answer.
@Suite struct ForeignEdgeCaseTests {
    static func calendar(_ body: String) throws -> CalendarFile {
        try ICalendarFormat.parse(Data(("BEGIN:VCALENDAR\r\n" + body + "END:VCALENDAR\r\n").utf8))
    }

    static let people = WorkspaceIndex(people: [.init(key: "hanna", name: "Hanna", email: "hanna@x.example"), .init(key: "dirk", name: "Dirk", email: "dirk@y.example")],
                                       homeOrganizationKey: "home")

    @Test func anUntilAtTheEndOfTimeInAFarZoneDoesNotTrap() throws {
        let file = try Self.calendar("BEGIN:VEVENT\r\nUID:u\r\nDTSTART;TZID=Pacific/Kiritimati:20260101T090000\r\nRRULE:FREQ=WEEKLY;UNTIL=99991231T235959Z\r\n"
                                     + "ORGANIZER:mailto:hanna@x.example\r\nATTENDEE:mailto:dirk@y.example\r\nEND:VEVENT\r\n")
        let translation = CalendarTranslator(through: LocalDate("2026-02-01")!).translate(file, source: "c.ics", index: Self.people)
        #expect(translation.errors.isEmpty && translation.tables[.interactions]?.rows.count == 5)
    }

    @Test func deepNestingIsRefusedWithItsLine() {
        let text = "BEGIN:VCALENDAR\n" + String(repeating: "BEGIN:X\n", count: 20)
        #expect(throws: ContentLineError(line: 9, message: "BEGIN:X is nested more than 8 components deep")) { try ICalendarFormat.parse(Data(text.utf8)) }
    }

    @Test func anOccurrenceHasOneKeyHoweverItsRecurrenceIDIsWritten() throws {
        let series = "BEGIN:VEVENT\r\nUID:s\r\nDTSTART;TZID=Europe/Berlin:20260303T100000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
            + "ORGANIZER:mailto:hanna@x.example\r\nATTENDEE:mailto:dirk@y.example\r\nEND:VEVENT\r\n"
        // The update alone, as Outlook sends it: the moved occurrence, its RECURRENCE-ID in UTC.
        let update = "BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID:20260310T090000Z\r\nDTSTART;TZID=W. Europe Standard Time:20260310T140000\r\n"
            + "ORGANIZER:mailto:hanna@x.example\r\nATTENDEE:mailto:dirk@y.example\r\nEND:VEVENT\r\n"
        func keys(_ body: String) throws -> [String] {
            let translation = CalendarTranslator(through: LocalDate("2026-12-31")!).translate(try Self.calendar(body), source: "c.ics", index: Self.people)
            return translation.tables[.interactions]?.rows.map { $0[0]! } ?? []
        }
        let all = try keys(series)
        #expect(all == ["ics:s/2026-03-03T09:00:00Z", "ics:s/2026-03-10T09:00:00Z", "ics:s/2026-03-17T09:00:00Z"])
        #expect(try keys(update) == [all[1]])
        #expect(try keys(series + update) == all)
    }

    @Test func aSeriesWithTooManyOccurrencesIsRefusedNotCut() throws {
        let file = try Self.calendar("BEGIN:VEVENT\r\nUID:d\r\nDTSTART:17000101T090000Z\r\nRRULE:FREQ=DAILY\r\nORGANIZER:mailto:hanna@x.example\r\nEND:VEVENT\r\n")
        let refused = CalendarTranslator(through: LocalDate("2026-01-01")!).translate(file, source: "c.ics", index: Self.people)
        #expect(refused.errors.issues.map(\.description) == ["c.ics:5: RRULE: more than 100,000 occurrences in the window: narrow it with --from and --to"])
        let narrowed = CalendarTranslator(from: LocalDate("2025-12-01"), through: LocalDate("2026-01-01")!).translate(file, source: "c.ics", index: Self.people)
        #expect(narrowed.errors.isEmpty && narrowed.tables[.interactions]?.rows.count == 32)
    }

    @Test func quotedPrintableIsReadInItsCharset() throws {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen\r\nEND:VCARD\r\n"
        #expect(try VCardFormat.parse(Data(text.utf8)).map(\.name) == ["Jürgen Müller"])
    }

    @Test func whiteSpaceBetweenSegmentsIsSkippedQuickly() throws {
        let isa = "ISA*00*          *00*          *ZZ*ACMEELEC       *ZZ*VOLTLINE       *240503*0930*U*00401*000000123*0*P*>~"
        let text = isa + String(repeating: " \r\n", count: 300_000) + "GS*PT*A*B*20240503*0930*1*X*004010~GE*0*1~IEA*1*000000123~"
        let segments = try X12Format.segments(Data(text.utf8))
        #expect(segments.map(\.id) == ["ISA", "GS", "GE", "IEA"])
        #expect(segments[1].line == 300_001)
    }

    @Test func returnsCountAgainstTheMonthWhateverTheSignOfTheirAmounts() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nemra-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("Branch,Invoice Date,Qty,Ext Cost,Ext Price,Type\n101,04/12/2024,2,60.00,100.00,R\n101,04/12/2024,5,150,250,S\n".utf8).write(to: url)
        let read = NemraFormat.read(url, name: "pos.csv")
        #expect(read.report.lines.map(\.extendedResale) == [-100, 250] && read.report.lines.map(\.quantity) == [-2, 5])
        let index = WorkspaceIndex(organizations: [.init(key: "home", name: "Home", kind: .manufacturer)], branches: [.init(key: "101", organizationKey: "d", name: "B")],
                                   homeOrganizationKey: "home")
        let translation = POSTranslator(mapping: POSMapping()).translate(read.report, source: "pos.csv", index: index)
        let table = try #require(translation.tables[.sales])
        #expect(table.rows.first?[table.header.firstIndex(of: "sell_through_amount")!] == "150.00")
        #expect(table.rows.first?[table.header.firstIndex(of: "distributor_gross_profit")!] == "60.00")
    }

    @Test func organizationsAreMatchedByTheirExactNameBeforeLegalFormsAreIgnored() {
        let index = WorkspaceIndex(organizations: [.init(key: "home", name: "Acme Lighting Inc", kind: .manufacturer),
                                                   .init(key: "dist", name: "Acme Lighting GmbH", kind: .distributor),
                                                   .init(key: "nord", name: "Nordlicht Elektro GmbH", kind: .distributor)], homeOrganizationKey: "home")
        #expect(index.organization(named: "ACME Lighting GmbH")?.key == "dist")
        #expect(index.organization(named: "Acme Lighting") == nil)
        #expect(index.organization(named: "Nordlicht Elektro")?.key == "nord")
        let card = VCard(line: 1, endLine: 4, version: "4.0", name: "Ann", organization: ["Acme Lighting"])
        let translation = VCardTranslator(today: LocalDate("2026-11-27")!).translate([card], source: "c.vcf", index: index)
        #expect(translation.warnings.first?.message.hasPrefix("\"Acme Lighting\" could be any of home, dist") == true)
    }

    @Test func aCardTandemWroteFindsItsPersonByKey() {
        let index = WorkspaceIndex(people: [.init(key: "anna-1", name: "Anna Weber"), .init(key: "anna-2", name: "Anna Weber")], homeOrganizationKey: "home")
        let card = VCard(line: 1, endLine: 5, version: "4.0", name: "Anna Weber", uid: "tandem:anna-2")
        let translation = VCardTranslator(today: LocalDate("2026-11-27")!).translate([card], source: "c.vcf", index: index)
        #expect(translation.plan.items.map(\.description) == ["line 1: unchanged person: \"Anna Weber\" (anna-2), matched by its Tandem key"])
    }
}
