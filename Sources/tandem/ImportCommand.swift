import ArgumentParser
import Foundation
import TandemCore
import TandemWorkspace

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a bundle folder, contacts (.vcf), a calendar (.ics) or a point-of-sale report into a workspace: all or nothing.",
        discussion: """
            The kind of file is recognised: a folder is a bundle (FORMATS.md), a .vcf file vCards, an .ics file \
            iCalendar events, a file that starts with ISA an EDI X12 867 report. CSV exports of other kinds need --format. \
            Every problem is reported as file:line: column: message and nothing is written. Importing the same file \
            twice changes nothing the second time. docs/importers.md says how each kind of file is read.
            """
    )

    @OptionGroup var data: DataOptions

    @Option(help: "The kind of file (default: recognised from the file): \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ImportFormat?

    @Flag(help: "Check everything and show what would be created, changed and skipped, then change nothing.")
    var dryRun = false

    @Option(help: "Report at most this many problems (the rest are counted).")
    var maxErrors: Int = 200

    @Option(help: ArgumentHelp("Contacts: the kind of an organization first seen in a card's ORG.", valueName: "kind"))
    var organizationKind: OrganizationKind = .distributor

    @Option(name: .customLong("from"), help: ArgumentHelp("Calendars: leave out events before this day (YYYY-MM-DD).", valueName: "date"))
    var fromDate: LocalDate?

    @Option(name: .customLong("to"), help: ArgumentHelp("Calendars: leave out events after this day, and expand recurring events up to it (default: today).", valueName: "date"))
    var toDate: LocalDate?

    @Option(help: ArgumentHelp("Calendars: the kind of an event no rule matches.", valueName: "kind"))
    var defaultKind: InteractionKind = .meeting

    @Option(name: .customLong("kind-rule"), help: ArgumentHelp("Calendars: category:TEXT=KIND or summary:TEXT=KIND; may be repeated, the first match wins.", valueName: "rule"))
    var kindRules: [String] = []

    @Option(help: ArgumentHelp("Calendars: a file of kind rules, one per line (after any --kind-rule).", valueName: "file"))
    var rules: String?

    @Option(help: ArgumentHelp("Calendars: the time zone of times written without one (default UTC).", valueName: "zone"))
    var timeZone: String = "UTC"

    @Option(help: ArgumentHelp("Point of sale: a CSV file mapping the distributor's location ids to branch keys (columns location,branch_key).", valueName: "file"))
    var locations: String?

    @Option(help: ArgumentHelp("Point of sale: a CSV file mapping UPCs or catalog-number prefixes to product lines (columns product,product_line).", valueName: "file"))
    var products: String?

    @Option(help: ArgumentHelp("Point of sale: the manufacturer whose products were sold (default: the home organization).", valueName: "key"))
    var manufacturer: String?

    @Option(help: ArgumentHelp("Point of sale: the currency of the amounts (default: the report's, else the organization's).", valueName: "code"))
    var currency: String?

    @Option(help: ArgumentHelp("CRM export: a mapping file (records: contacts|companies|activities, then field: Column lines).", valueName: "file"))
    var mapping: String?

    @Option(name: .customLong("records"), help: ArgumentHelp("CRM export: what its rows are (contacts, companies, activities), with --map.", valueName: "records"))
    var records: String?

    @Option(name: .customLong("map"), help: ArgumentHelp("CRM export: field=Column (e.g. email=\"E-mail Address\"); may be repeated, after --mapping.", valueName: "field=column"))
    var maps: [String] = []

    @Argument(help: "The bundle folder or the file.")
    var path: String

    func validate() throws {
        guard maxErrors >= 1 else { throw ValidationError("--max-errors must be at least 1") }
        for rule in kindRules where KindRule(rule) == nil {
            throw ValidationError("--kind-rule \"\(rule)\": \(KindRule.syntax); kinds: \(InteractionKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard TimeZone(identifier: timeZone) != nil else { throw ValidationError("--time-zone \"\(timeZone)\" is not a time zone such as Europe/Berlin") }
        if let fromDate, let toDate, fromDate > toDate { throw ValidationError("--from \(fromDate) is after --to \(toDate)") }
        if let currency, FieldRules.currency(currency) == nil { throw ValidationError("--currency \"\(currency)\": \(FieldRules.currencyMessage)") }
        for (flag, file) in [("--locations", locations), ("--products", products), ("--rules", rules), ("--mapping", mapping)] {
            if let file, !FileManager.default.isReadableFile(atPath: file) { throw ValidationError("\(flag) \(file): no such file") }
        }
    }

    /// The options of a foreign import, from the flags and the rules file.
    func importOptions() throws -> ImportOptions {
        var options = ImportOptions(today: LocalDate(Date(), in: TimeZone(identifier: "UTC")!))
        options.organizationKind = organizationKind
        options.from = fromDate
        options.through = toDate
        options.defaultKind = defaultKind
        options.kindRules = kindRules.compactMap(KindRule.init)
        options.timeZone = TimeZone(identifier: timeZone) ?? options.timeZone
        options.locations = locations.map { URL(fileURLWithPath: $0) }
        options.products = products.map { URL(fileURLWithPath: $0) }
        options.manufacturer = manufacturer
        options.currency = currency.flatMap(FieldRules.currency)
        if let rules {
            let text = try String(contentsOfFile: rules, encoding: .utf8)
            let parsed = KindRule.parseFile(text, name: rules)
            if !parsed.problems.isEmpty {
                var log = IssueLog()
                parsed.problems.forEach { log.add($0) }
                throw BundleRejected(errors: log, warnings: [])
            }
            options.kindRules += parsed.rules
        }
        if mapping != nil || records != nil || !maps.isEmpty {
            var lines = try mapping.map { try String(contentsOfFile: $0, encoding: .utf8).components(separatedBy: .newlines) } ?? []
            if let records { lines.append("records: \(records)") }
            lines += maps.map { $0.replacingOccurrences(of: "=", with: ": ", options: [], range: $0.range(of: "=")) }
            let parsed = CRMMapping.parse(lines, source: mapping ?? "--map")
            guard let crm = parsed.mapping else {
                var log = IssueLog()
                parsed.problems.forEach { log.add($0) }
                throw BundleRejected(errors: log, warnings: [])
            }
            options.crmMapping = crm
        }
        return options
    }

    func run() async throws {
        do {
            try await StopSignals.cancelling { try await importFile() }
        } catch let stopped as StopSignals.Stopped {
            printError("import stopped by \(stopped.name): rolled back, nothing was changed")
            throw ExitCode(stopped.exitCode)
        }
    }

    func importFile() async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            printError("\(path): no such file or folder")
            throw ExitCode(1)
        }
        let head = isDirectory.boolValue ? Data() : (FileHandle(forReadingAtPath: path).map { handle in
            defer { try? handle.close() }
            return (try? handle.read(upToCount: 512)) ?? Data()
        } ?? Data())
        guard let format = format ?? ImportFormat.detect(name: (path as NSString).lastPathComponent, isDirectory: isDirectory.boolValue, head: head) else {
            printError("\(path): not a kind of file Tandem recognises; name its kind with --format (\(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
            throw ExitCode(1)
        }
        let display = ProgressDisplay()
        do {
            let options = format == .bundle ? ImportOptions(today: TandemWorkspace.today) : try importOptions()
            var request = ImportRequest(format: format, source: URL(fileURLWithPath: path), sourceName: (path as NSString).lastPathComponent,
                                        options: options)
            request.dryRun = dryRun
            request.issueLimit = maxErrors
            request.progress = { display.show($0) }
            request.audit = .init(actor: commandLineActor, target: data.workspace, source: "\(path) (\(format.rawValue))")
            let outcome = try await TandemWorkspace.importFile(request, into: data.location, workspace: data.workspace, logger: commandLogger())
            for warning in outcome.warnings { printError("warning: \(warning)") }
            if let plan = outcome.plan { Self.show(plan, all: dryRun) }
            let summary = outcome.summary
            if dryRun {
                let perFile = summary.rows.filter { $0.count > 0 }.map { "\($0.file) \($0.count) (\(summary.created[$0.file] ?? 0) new)" }
                print("dry run: \(summary.totalRows) rows are good (\(perFile.joined(separator: ", "))); nothing was changed")
            } else {
                let perFile = summary.rows.filter { $0.count > 0 }.map { "\($0.file) \($0.count)" }.joined(separator: ", ")
                print("imported \(summary.totalRows) row\(summary.totalRows == 1 ? "" : "s") into workspace \"\(data.workspace)\" in \(String(format: "%.1f", summary.seconds)) s (\(perFile))")
            }
        } catch let rejected as BundleRejected {
            display.end()
            for warning in rejected.warnings { printError("warning: \(warning)") }
            printError(rejected.errors.report)
            printError("import refused: \(rejected.errors.total) problem\(rejected.errors.total == 1 ? "" : "s"); nothing was changed")
            throw ExitCode(1)
        } catch {
            display.end()
            throw error
        }
    }

    /// What the import does with each record: counts, then (in a dry run) every record, and always every note.
    static func show(_ plan: ImportPlan, all: Bool) {
        if all {
            for item in plan.items { print("  \(item)") }
        } else {
            for item in plan.items where item.action == .skip { print("  \(item)") }
        }
        for note in plan.notes { print("  note: \(note)") }
        print(plan.summary(dryRun: all))
    }
}

extension ImportFormat: ExpressibleByArgument {}
extension OrganizationKind: ExpressibleByArgument {}
extension InteractionKind: ExpressibleByArgument {}
extension LocalDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// Import progress on standard error: a bar redrawn in place on a terminal, else a line a second.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let terminal = isatty(STDERR_FILENO) != 0
    private var drawn = false

    func show(_ progress: ImportProgress) {
        lock.lock()
        defer { lock.unlock() }
        let rate = "\(Int(progress.rowsPerSecond).formatted()) rows/s"
        var bar = ""
        if let fraction = progress.fraction {
            let filled = Int((fraction * 30).rounded(.down))
            bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled) + "] "
                + String(format: "%3d%% ", Int((fraction * 100).rounded(.down)))
        }
        let line = "\(progress.file) \(bar)\(progress.rows.formatted()) rows, \(rate)"
        if terminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (progress.finished ? "\n" : "")).utf8))
            drawn = !progress.finished
        } else if !progress.finished || progress.rows >= 10_000 {
            printError(line + (progress.finished ? " done" : ""))
        }
    }

    /// Ends a bar left open by an import that stopped.
    func end() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a workspace out as a bundle folder, or its people as vCards.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case bundle, vcard }

    @OptionGroup var data: DataOptions

    @Option(help: "bundle (a folder of CSV files) or vcard (one .vcf file of every person, vCard 4.0).")
    var format: Format = .bundle

    @Option(help: ArgumentHelp("vcard: only the people working at this organization now.", valueName: "key"))
    var organization: String?

    @Argument(help: "The folder to write (created when missing; bundle files in it are replaced), or the .vcf file.")
    var directory: String

    func run() async throws {
        try await withWorkspace(data) { workspace in
            if format == .vcard {
                guard let cards = try await workspace.vCards(organization: organization) else {
                    throw StoreError.notFound(kind: "organization", key: organization ?? "")
                }
                try Data(cards.utf8).write(to: URL(fileURLWithPath: directory))
                let count = cards.components(separatedBy: "BEGIN:VCARD").count - 1
                print("exported \(count) \(count == 1 ? "person" : "people") of workspace \"\(data.workspace)\" to \(directory)")
                try await auditFromCommandLine(workspace, action: "export", detail: "\(count) vCards to \(directory)")
                return
            }
            let counts = try await workspace.exportBundle(to: URL(fileURLWithPath: directory))
            print("exported workspace \"\(data.workspace)\" to \(directory): " + counts.map { "\($0.file) \($0.count)" }.joined(separator: ", "))
            try await auditFromCommandLine(workspace, action: "export", detail: "\(counts.map(\.count).reduce(0, +)) rows to \(directory)")
        }
    }
}

struct Workspaces: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the workspaces of a database.")

    @Option(name: .long, help: ArgumentHelp("SQLite file or postgres:// URL.", valueName: "path-or-url"))
    var db: String?

    func run() async throws {
        try await TandemWorkspace.names(in: DatabaseLocation.resolve(explicit: db), logger: commandLogger()).forEach { print($0) }
    }
}
