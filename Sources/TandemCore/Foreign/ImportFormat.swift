import Foundation

/// The kinds of file `tandem import` and the import page take.
public enum ImportFormat: String, CaseIterable, Sendable {
    case bundle, vcard, ical, x12, nemra, crmCSV = "crm-csv"

    /// Recognises a file by its name and first bytes: a folder is a bundle, `.vcf` a vCard file,
    /// `.ics` a calendar, a file starting with an ISA segment an X12 interchange. CSV files other
    /// than a bundle's need `--format`.
    public static func detect(name: String, isDirectory: Bool, head: Data) -> ImportFormat? {
        if isDirectory { return .bundle }
        var bytes = [UInt8](head.prefix(512))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let text = String(decoding: bytes.prefix(64), as: UTF8.self)
            .drop(while: { $0.isWhitespace }).uppercased()
        if text.hasPrefix("BEGIN:VCARD") { return .vcard }
        if text.hasPrefix("BEGIN:VCALENDAR") { return .ical }
        if text.hasPrefix("ISA") { return .x12 }
        let lower = name.lowercased()
        if lower.hasSuffix(".vcf") || lower.hasSuffix(".vcard") { return .vcard }
        if lower.hasSuffix(".ics") || lower.hasSuffix(".ical") || lower.hasSuffix(".ifb") { return .ical }
        if lower.hasSuffix(".x12") || lower.hasSuffix(".edi") || lower.hasSuffix(".867") { return .x12 }
        if let file = BundleFile.allCases.first(where: { $0.fileName == lower }) { _ = file; return .bundle }
        return nil
    }

    public var title: String {
        switch self {
        case .bundle: "bundle"
        case .vcard: "vCard contacts"
        case .ical: "iCalendar events"
        case .x12: "EDI X12 867 point-of-sale report"
        case .nemra: "NEMRA point-of-sale report"
        case .crmCSV: "CRM export"
        }
    }
}

/// The choices a foreign import takes, with their defaults (docs/importers.md).
public struct ImportOptions: Sendable {
    /// The day of the import: employments from contacts start on it, and calendars are read up to it.
    public var today: LocalDate
    /// The kind of an organization first seen in a contact's ORG.
    public var organizationKind: OrganizationKind = .distributor
    /// Calendars: the first day read (none: from the start), the last (none: today).
    public var from: LocalDate?
    public var through: LocalDate?
    public var defaultKind: InteractionKind = .meeting
    public var kindRules: [KindRule] = []
    /// Calendars: the clock of times written without a zone.
    public var timeZone = TimeZone(identifier: "UTC")!
    /// Point of sale: a locations file (location,branch_key), a products file (product,product_line),
    /// the manufacturer (default: the home organization) and the currency (default: the report's, else the organization's).
    public var locations: URL?
    public var products: URL?
    public var manufacturer: String?
    public var currency: String?
    /// Another CRM's export: which columns hold what.
    public var crmMapping: CRMMapping?

    public init(today: LocalDate) {
        self.today = today
    }
}

/// A foreign file turned into bundle rows, or every problem found in it.
public enum ForeignTranslation {
    public static func translate(_ format: ImportFormat, file: URL, source: String, options: ImportOptions,
                                 index: WorkspaceIndex, issueLimit: Int = 200, progress: (@Sendable (ImportProgress) -> Void)? = nil) -> Translation {
        var failed = Translation(source: source, issueLimit: issueLimit)
        guard index.homeOrganizationKey != nil || format == .bundle else {
            failed.fail(line: 0, nil, "the workspace has no home organization yet: import your own company first "
                        + "(an organizations.csv with is_home true, or POST /api/v1/organizations with \"is_home\": true)")
            return failed
        }
        do {
            switch format {
            case .vcard:
                let cards = try VCardFormat.parse(try Data(contentsOf: file))
                return VCardTranslator(organizationKind: options.organizationKind, today: options.today)
                    .translate(cards, source: source, index: index, issueLimit: issueLimit)
            case .ical:
                let calendar = try ICalendarFormat.parse(try Data(contentsOf: file))
                var translator = CalendarTranslator(from: options.from, through: options.through ?? options.today)
                translator.defaultKind = options.defaultKind
                translator.rules = options.kindRules
                translator.timeZone = options.timeZone
                return translator.translate(calendar, source: source, index: index, issueLimit: issueLimit)
            case .x12, .nemra:
                var mapping = POSMapping()
                mapping.manufacturer = options.manufacturer
                mapping.currency = options.currency
                var problems: [BundleIssue] = []
                if let url = options.locations {
                    let read = POSMapping.readPairs(url, from: "location", to: "branch_key")
                    mapping.branches = read.pairs
                    problems += read.problems
                }
                if let url = options.products {
                    let read = POSMapping.readPairs(url, from: "product", to: "product_line")
                    mapping.productLines = read.pairs
                    problems += read.problems
                }
                let report: POSReport
                if format == .x12 {
                    do {
                        report = try X12Format.productTransferReport(try Data(contentsOf: file))
                    } catch let error as X12Error {
                        failed.fail(line: error.line, "segment \(error.segment)" + (error.place.isEmpty ? "" : " \(error.place)"), error.message)
                        return failed
                    }
                } else {
                    let read = NemraFormat.read(file, name: source, progress: progress)
                    report = read.report
                    problems += read.problems
                }
                guard problems.isEmpty else {
                    problems.forEach { failed.errors.add($0) }
                    return failed
                }
                return POSTranslator(mapping: mapping).translate(report, source: source, index: index, issueLimit: issueLimit)
            case .crmCSV:
                guard let mapping = options.crmMapping else {
                    failed.fail(line: 0, nil, "a CRM export needs a mapping: which columns hold the name, e-mail, date … (--mapping FILE or --map field=Column)")
                    return failed
                }
                return CRMTranslator(mapping: mapping, options: options).translate(file, source: source, index: index, issueLimit: issueLimit, progress: progress)
            case .bundle:
                failed.fail(line: 0, nil, "a bundle is imported as it is, not translated")
            }
        } catch let error as ContentLineError {
            failed.fail(line: error.line, nil, error.message)
        } catch {
            failed.fail(line: 0, nil, "cannot be read: \(error.localizedDescription)")
        }
        return failed
    }
}
