import Foundation
@testable import TandemCore
import Testing

/// Every parser of foreign input — the bundle's CSV, vCard, iCalendar, X12 867, NEMRA and CRM
/// CSV — fed thousands of inputs made from the fixtures by random mutations (flipped and inserted
/// bytes, the formats' own tokens, cut, repeated and spliced pieces) and plain random bytes. Each
/// must come back with rows or located problems: no crash, no hang, and output bounded by the
/// input. Deterministic: the same seed gives the same inputs, and a failure names the seed and the
/// round. `scripts/fuzz.sh` runs the same parsers under libFuzzer for as long as one likes.
@Suite struct ParserFuzzTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// SplitMix64: small, fast and the same on every platform.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Bytes that mean something to one of the formats.
    static let tokens: [[UInt8]] = [
        "\r\n", "\n", "\r", "\n ", "\r\n\t", ",", ";", ":", "\"", "\"\"", "=", "\\", "\\n", "~", "*", ">", "^", "|",
        "BEGIN:VCARD", "END:VCARD", "BEGIN:VEVENT", "END:VEVENT", "BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VTIMEZONE",
        "RRULE:FREQ=DAILY;COUNT=1000000", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "EXDATE:", "RECURRENCE-ID:", "DTSTART;TZID=X:",
        "ISA", "GS", "ST*867", "PTD", "QTY", "N1", "SE", "IEA", "REF", "DTM*", "9999-12-31", "0000-00-00", "99991231T235959Z",
        "-1", "1e308", "NaN", "18446744073709551616", "\u{0}", "\u{FEFF}", "é", "𝄞",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98]]

    static func mutate(_ input: [UInt8], other: [UInt8], random: inout Random) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0 where !bytes.isEmpty: bytes[position] ^= UInt8.random(in: 1...255, using: &random)
            case 1: bytes.insert(contentsOf: tokens.randomElement(using: &random)!, at: position)
            case 2 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...64, using: &random)))
            case 3 where !bytes.isEmpty:
                let piece = bytes[position..<min(bytes.count, position + Int.random(in: 1...256, using: &random))]
                for _ in 0..<Int.random(in: 1...16, using: &random) { bytes.insert(contentsOf: piece, at: position) }
            case 4: bytes = Array(bytes.prefix(position))
            case 5 where !other.isEmpty:
                let start = Int.random(in: 0..<other.count, using: &random)
                bytes.insert(contentsOf: other[start..<min(other.count, start + Int.random(in: 1...512, using: &random))], at: position)
            default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
            }
        }
        return Array(bytes.prefix(256 << 10))
    }

    /// Runs `parse` on the seeds, then on `rounds` mutated and random inputs. `parse` returns how many
    /// rows or records it produced.
    static func fuzz(_ name: String, seeds: [[UInt8]], rounds: Int, seed: UInt64, maxRows: (Int) -> Int,
                     _ parse: ([UInt8]) -> Int) {
        var random = Random(state: seed)
        var slowest = Duration.zero, slowestRound = -1
        let clock = ContinuousClock()
        for round in -seeds.count..<rounds {
            let input: [UInt8]
            if round < 0 {
                input = seeds[round + seeds.count]
            } else if round % 10 == 9 {
                input = (0..<Int.random(in: 0...4096, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                input = mutate(seeds.randomElement(using: &random)!, other: seeds.randomElement(using: &random)!, random: &random)
            }
            let start = clock.now
            let rows = parse(input)
            let elapsed = clock.now - start
            if elapsed > slowest { (slowest, slowestRound) = (elapsed, round) }
            #expect(rows <= maxRows(input.count), "\(name), seed \(seed), round \(round): \(rows) rows from \(input.count) bytes")
        }
        // A hang shows as a parse that never ends; this catches one that ends only after many
        // seconds (a debug build, sharing the cores with other tests, parses each in milliseconds).
        #expect(slowest < .seconds(30), "\(name), seed \(seed): round \(slowestRound) took \(slowest)")
    }

    static func file(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: fixtures.appendingPathComponent(path))) }

    static let index = WorkspaceIndex(
        people: [.init(key: "hanna", name: "Hanna Vogel", email: "hanna@voltwerk.example"), .init(key: "dirk", name: "Dirk Brandt", email: "dirk@acme.example")],
        organizations: [.init(key: "home", name: "Voltwerk", kind: .manufacturer), .init(key: "acme", name: "Acme", kind: .distributor)],
        branches: [.init(key: "acme-101", organizationKey: "acme", name: "Acme 101")], homeOrganizationKey: "home")

    /// Writes the input to a file and translates it as `format` does for `tandem import`.
    static func translate(_ format: ImportFormat, _ input: [UInt8], name: String, options: ImportOptions, folder: URL) -> Int {
        let url = folder.appendingPathComponent(name)
        try? Data(input).write(to: url)
        let translation = ForeignTranslation.translate(format, file: url, source: name, options: options, index: index, issueLimit: 50)
        return translation.tables.values.reduce(0) { $0 + $1.rows.count }
    }

    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static var options: ImportOptions {
        var options = ImportOptions(today: LocalDate("2026-11-28")!)
        options.from = LocalDate("2020-01-01")
        options.crmMapping = CRMMapping.parse(["records: contacts", "name: First Name + Last Name", "email: Email", "organization: Company Name"],
                                              source: "fuzz").mapping
        return options
    }

    @Test(arguments: [UInt64(1), 2])
    func vCards(seed: UInt64) throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        Self.fuzz("vCard", seeds: [try Self.file("foreign/contacts-3.vcf"), try Self.file("foreign/contacts-4.vcf")], rounds: 700, seed: seed,
                  maxRows: { $0 }) { Self.translate(.vcard, $0, name: "c.vcf", options: Self.options, folder: folder) }
    }

    @Test(arguments: [UInt64(1), 2])
    func iCalendar(seed: UInt64) throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Recurring events may give many occurrences from few bytes, up to the translator's limit.
        Self.fuzz("iCalendar", seeds: [try Self.file("foreign/calendar.ics")], rounds: 700, seed: seed,
                  maxRows: { _ in CalendarTranslator.fileLimit }) { Self.translate(.ical, $0, name: "c.ics", options: Self.options, folder: folder) }
    }

    @Test(arguments: [UInt64(1), 2])
    func x12AndNemra(seed: UInt64) throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = Self.options
        options.locations = Self.fixtures.appendingPathComponent("pos/locations.csv")
        options.products = Self.fixtures.appendingPathComponent("pos/products.csv")
        let x12 = [try Self.file("pos/acme-867.x12"), try Self.file("pos/acme-867-pipes.x12"), try Self.file("pos/acme-867-oneline.x12")]
        Self.fuzz("X12 867", seeds: x12, rounds: 700, seed: seed, maxRows: { $0 }) {
            Self.translate(.x12, $0, name: "r.x12", options: options, folder: folder)
        }
        Self.fuzz("NEMRA", seeds: [try Self.file("pos/acme-nemra.csv")], rounds: 400, seed: seed, maxRows: { $0 }) {
            Self.translate(.nemra, $0, name: "r.csv", options: options, folder: folder)
        }
    }

    @Test(arguments: [UInt64(1), 2])
    func crmExportsAndBundleFiles(seed: UInt64) throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        Self.fuzz("CRM CSV", seeds: [try Self.file("crm/hubspot-contacts.csv")], rounds: 400, seed: seed, maxRows: { $0 }) {
            Self.translate(.crmCSV, $0, name: "c.csv", options: Self.options, folder: folder)
        }
        // The bundle's own reader, row by row, as an import reads it.
        let seeds = [try Self.file("foreign/workspace/people.csv"), try Self.file("foreign/workspace/employments.csv"),
                     try Self.file("foreign/workspace/organizations.csv")]
        for file in [BundleFile.people, .employments, .interactions] {
            Self.fuzz("bundle \(file.fileName)", seeds: seeds, rounds: 250, seed: seed, maxRows: { $0 + 1 }) { input in
                let url = folder.appendingPathComponent(file.fileName)
                try? Data(input).write(to: url)
                var log = IssueLog(limit: 50)
                guard var reader = try? BundleRowReader(file: file, path: url.path, log: &log) else { return 0 }
                var rows = 0
                while var row = reader.next(log: &log) {
                    switch file {
                    case .interactions: _ = InteractionRecord.parse(&row)
                    default: _ = row.text("key")
                    }
                    rows += 1
                }
                return rows
            }
        }
    }
}
