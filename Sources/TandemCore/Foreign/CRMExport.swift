import Foundation

/// Which columns of another CRM's CSV export hold what Tandem needs, given as a small file or
/// as flags (docs/importers.md):
///
///     records: contacts
///     name: First Name + Last Name
///     email: E-mail Address
///     organization: Company
///
/// A field may join several columns with `+` (their values separated by a space).
public struct CRMMapping: Sendable, Equatable {
    public enum Records: String, Sendable, CaseIterable {
        case contacts, companies, activities
    }

    public var records: Records
    /// Field → the columns it is made of.
    public var fields: [String: [String]]

    public static let known: [Records: [String]] = [
        .contacts: ["key", "name", "email", "phone", "country", "organization", "title"],
        .companies: ["key", "name", "kind", "country", "currency"],
        .activities: ["key", "date", "kind", "summary", "initiator", "participants", "duration_minutes"],
    ]

    static let required: [Records: [String]] = [.contacts: ["name"], .companies: ["name"], .activities: ["date"]]

    public init(records: Records, fields: [String: [String]]) {
        self.records = records
        self.fields = fields
    }

    /// Reads `field: Column` (or `field = Column`) lines; `records:` names the kind of export.
    public static func parse(_ lines: [String], source: String) -> (mapping: CRMMapping?, problems: [BundleIssue]) {
        var records: Records?, fields: [String: [String]] = [:], problems: [BundleIssue] = []
        var fieldLines: [String: Int] = [:]
        for (number, raw) in lines.enumerated() {
            let line = raw.trimmed
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard let separator = line.firstIndex(where: { $0 == ":" || $0 == "=" }) else {
                problems.append(BundleIssue(file: source, line: number + 1, column: nil, message: "\"\(line)\": expected field: Column Header"))
                continue
            }
            let field = line[..<separator].trimmed.lowercased().replacingOccurrences(of: "-", with: "_")
            let value = line[line.index(after: separator)...].trimmed
            if field == "records" {
                records = Records(rawValue: value.lowercased())
                if records == nil {
                    problems.append(BundleIssue(file: source, line: number + 1, column: "records", message: "\"\(value)\": expected contacts, companies or activities"))
                }
                continue
            }
            let columns = value.split(separator: "+").map(\.trimmed).filter { !$0.isEmpty }
            guard !columns.isEmpty else {
                problems.append(BundleIssue(file: source, line: number + 1, column: field, message: "no column named"))
                continue
            }
            fields[field] = columns
            fieldLines[field] = number + 1
        }
        guard let records else {
            if problems.isEmpty { problems.append(BundleIssue(file: source, line: 0, column: nil, message: "no records line: expected records: contacts, companies or activities")) }
            return (nil, problems)
        }
        let allowed = known[records] ?? []
        for (field, line) in fieldLines.sorted(by: { $0.value < $1.value }) where !allowed.contains(field) {
            problems.append(BundleIssue(file: source, line: line, column: field, message: "not a field of \(records.rawValue): expected \(allowed.joined(separator: ", "))"))
        }
        for field in required[records] ?? [] where fields[field] == nil {
            problems.append(BundleIssue(file: source, line: 0, column: field, message: "\(records.rawValue) need a \(field) column: add \(field): Column Header"))
        }
        if records == .activities, fields["initiator"] == nil, fields["participants"] == nil {
            problems.append(BundleIssue(file: source, line: 0, column: "initiator", message: "activities need an initiator or a participants column"))
        }
        return problems.isEmpty ? (CRMMapping(records: records, fields: fields), []) : (nil, problems)
    }
}

/// Reads another CRM's CSV export with a mapping and turns it into bundle rows: contacts as
/// people (matched like vCards), companies as organizations (matched by name), activities as
/// interactions (people matched by e-mail, else by name; keyed by the export's id, else by their content).
public struct CRMTranslator: Sendable {
    public var mapping: CRMMapping
    public var options: ImportOptions

    public init(mapping: CRMMapping, options: ImportOptions) {
        self.mapping = mapping
        self.options = options
    }

    public func translate(_ url: URL, source: String, index: WorkspaceIndex, issueLimit: Int = 200,
                          progress: (@Sendable (ImportProgress) -> Void)? = nil) -> Translation {
        let meter = ProgressMeter(file: "reading \(source)", url: url, report: progress)
        var failed = Translation(source: source, issueLimit: issueLimit)
        guard var reader = try? CSVReader(path: url.path) else {
            failed.fail(line: 0, nil, "cannot be read")
            return failed
        }
        var rows: [CSVRecord] = []
        var header: [String] = []
        do {
            while let record = try reader.next() {
                meter.tick(rows: record.line, bytes: reader.bytesRead)
                if header.isEmpty { header = record.fields.map(\.trimmed); continue }
                if record.fields.allSatisfy({ $0.trimmed.isEmpty }) { continue }
                rows.append(record)
            }
        } catch {
            failed.fail(line: error.line, nil, error.description)
            return failed
        }
        meter.finish(rows: rows.count, quietly: true)
        var columns: [String: [Int]] = [:]
        for (field, names) in mapping.fields {
            var indexes: [Int] = []
            for name in names {
                guard let index = header.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
                    failed.fail(line: 1, nil, "the mapping's \(field) column \"\(name)\" is not in the header (it has: \(header.joined(separator: ", ")))")
                    continue
                }
                indexes.append(index)
            }
            columns[field] = indexes
        }
        guard failed.errors.isEmpty else { return failed }
        let rowsRead = rows.map { record in Row(record: record, columns: columns, header: header) }
        switch mapping.records {
        case .contacts: return contacts(rowsRead, source: source, index: index, issueLimit: issueLimit)
        case .companies: return companies(rowsRead, source: source, index: index, issueLimit: issueLimit)
        case .activities: return activities(rowsRead, source: source, index: index, issueLimit: issueLimit)
        }
    }

    /// One data row, read through the mapping.
    struct Row {
        var record: CSVRecord
        var columns: [String: [Int]]
        var header: [String]

        var line: Int { record.line }

        func value(_ field: String) -> String? {
            guard let indexes = columns[field] else { return nil }
            let parts = indexes.compactMap { $0 < record.fields.count ? record.fields[$0].trimmed.nonEmpty : nil }
            return parts.isEmpty ? nil : parts.joined(separator: " ")
        }

        /// The header of the field's (first) column, for messages.
        func label(_ field: String) -> String { columns[field]?.first.map { header[$0] } ?? field }
    }

    func contacts(_ rows: [Row], source: String, index: WorkspaceIndex, issueLimit: Int) -> Translation {
        var cards: [VCard] = []
        var failed = Translation(source: source, issueLimit: issueLimit)
        for row in rows {
            guard let name = row.value("name") else {
                failed.fail(line: row.line, row.label("name"), "required value is missing")
                continue
            }
            var labels: [String: String] = [:]
            for (property, field) in [("FN", "name"), ("EMAIL", "email"), ("TEL", "phone"), ("ADR", "country"), ("ORG", "organization"), ("TITLE", "title")] {
                labels[property] = row.label(field)
            }
            var card = VCard(line: row.line, endLine: row.line, version: "csv", name: name,
                             emails: row.value("email").map { $0.split(whereSeparator: { $0 == ";" || $0 == "," }).map(\.trimmed) } ?? [],
                             phones: row.value("phone").map { [$0] } ?? [], organization: row.value("organization").map { [$0] } ?? [],
                             title: row.value("title"), country: row.value("country"),
                             lines: Dictionary(uniqueKeysWithValues: ["FN", "N", "EMAIL", "TEL", "ADR", "ORG", "TITLE"].map { ($0, row.line) }))
            card.labels = labels
            cards.append(card)
        }
        guard failed.errors.isEmpty else { return failed }
        return VCardTranslator(organizationKind: options.organizationKind, today: options.today)
            .translate(cards, source: source, index: index, issueLimit: issueLimit)
    }

    func companies(_ rows: [Row], source: String, index start: WorkspaceIndex, issueLimit: Int) -> Translation {
        var translation = Translation(source: source, issueLimit: issueLimit)
        var index = start
        for row in rows {
            guard let name = row.value("name") else {
                translation.fail(line: row.line, row.label("name"), "required value is missing")
                continue
            }
            if let known = index.organization(named: name) {
                translation.plan.add(row.line, .unchanged, "organization", "\"\(name)\" is already \(known.key)")
                continue
            }
            var kind = options.organizationKind
            if let text = row.value("kind") {
                guard let given = OrganizationKind(rawValue: Matching.words(text).joined(separator: "_")) else {
                    translation.fail(line: row.line, row.label("kind"), "\"\(text)\": expected \(OrganizationKind.allCases.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
                kind = given
            }
            let key = index.newOrganizationKey(row.value("key") ?? Matching.slug(name))
            index.add(.init(key: key, name: name, kind: kind))
            var origin = RowOrigin(line: row.line, columns: ["name": (row.label("name"), row.line)])
            for field in ["key", "country", "currency"] { origin.columns[field] = (row.label(field), row.line) }
            translation.add(.organizations, ["key": key, "name": name, "kind": kind.rawValue, "country": row.value("country").map { Countries.code($0) ?? $0 },
                                             "currency": row.value("currency")], origin: origin)
            translation.plan.add(row.line, .create, "organization", "\"\(name)\" as \(key) (\(kind.rawValue))")
        }
        return translation
    }

    func activities(_ rows: [Row], source: String, index: WorkspaceIndex, issueLimit: Int) -> Translation {
        var translation = Translation(source: source, issueLimit: issueLimit)
        var unmatched: [String: (count: Int, line: Int)] = [:], unmatchedOrder: [String] = []
        var keys: [String: Int] = [:]
        func person(_ text: String) -> String? {
            if text.contains("@") { return index.person(email: text)?.key }
            let named = index.people(named: text)
            return named.count == 1 ? named[0].key : nil
        }
        for row in rows {
            guard let dateText = row.value("date") else {
                translation.fail(line: row.line, row.label("date"), "required value is missing")
                continue
            }
            let date: String
            if let time = InteractionTime(dateText) { date = time.description }
            else if let day = NemraFormat.date(dateText) { date = day.description }
            else if let time = Self.spreadsheetTimestamp(dateText) { date = time }
            else {
                translation.fail(line: row.line, row.label("date"), "\"\(dateText)\" is not a date: expected YYYY-MM-DD, a timestamp with its offset, or MM/DD/YYYY")
                continue
            }
            var people: [String] = [], strangers: [String] = []
            var initiator: String?
            if let text = row.value("initiator") {
                if let key = person(text) { initiator = key; people.append(key) } else { strangers.append(text) }
            }
            for text in (row.value("participants") ?? "").split(whereSeparator: { $0 == ";" || $0 == "," }).map(\.trimmed) where !text.isEmpty {
                if let key = person(text) { if !people.contains(key) { people.append(key) } } else if !strangers.contains(text) { strangers.append(text) }
            }
            for stranger in strangers {
                let normalized = stranger.lowercased()
                if unmatched[normalized] == nil { unmatchedOrder.append(normalized) }
                unmatched[normalized] = ((unmatched[normalized]?.count ?? 0) + 1, unmatched[normalized]?.line ?? row.line)
            }
            let summary = row.value("summary")
            let label = "\"\(summary ?? "(no subject)")\" on \(date.prefix(10))"
            guard let first = people.first else {
                translation.plan.add(row.line, .skip, "activity", "\(label): nobody in it is a person of the workspace" + (strangers.isEmpty ? "" : " (\(strangers.joined(separator: ", ")))"))
                continue
            }
            var kind = options.defaultKind
            if let text = row.value("kind") {
                kind = Self.kind(named: text) ?? options.kindRules.first { $0.matches(summary: text, categories: [text]) }?.kind ?? options.defaultKind
            } else if let rule = options.kindRules.first(where: { $0.matches(summary: summary, categories: []) }) {
                kind = rule.kind
            }
            let key: String
            if let given = row.value("key") {
                key = "crm:" + given
            } else {
                // The row as written, not the people it resolves to: a person added later must not change the key.
                key = "crm:" + Matching.stableHash(["date", "summary", "initiator", "participants", "kind"].map { row.value($0) ?? "" }.joined(separator: "\u{1F}"))
            }
            if let line = keys[key] {
                translation.plan.add(row.line, .skip, "activity", "\(label): the same as the row on line \(line)")
                continue
            }
            keys[key] = row.line
            var origin = RowOrigin(line: row.line)
            for (bundle, field) in [("key", "key"), ("date", "date"), ("kind", "kind"), ("summary", "summary"), ("initiator_key", "initiator"),
                                    ("participant_keys", "participants"), ("duration_minutes", "duration_minutes")] {
                origin.columns[bundle] = (row.label(field), row.line)
            }
            translation.add(.interactions, ["key": key, "date": date, "kind": kind.rawValue, "initiator_key": initiator ?? first,
                                            "participant_keys": people.joined(separator: ";"), "duration_minutes": row.value("duration_minutes"),
                                            "summary": summary], origin: origin)
            translation.plan.add(row.line, .create, "interaction", "\(label) as \(kind.rawValue), \(people.count) \(people.count == 1 ? "person" : "people") (\(people.joined(separator: ", ")))")
        }
        for name in unmatchedOrder {
            guard let seen = unmatched[name] else { continue }
            translation.plan.notes.append("\(name) is not a person of the workspace: in \(seen.count) activit\(seen.count == 1 ? "y" : "ies"), first on line \(seen.line)")
        }
        return translation
    }

    /// An activity type as CRMs name them: "Call", "Phone call", "Meeting", "E-mail", "Visit" …
    static func kind(named text: String) -> InteractionKind? {
        let words = Matching.words(text)
        if let exact = InteractionKind(rawValue: words.joined(separator: "_")) { return exact }
        let joined = " " + words.joined(separator: " ") + " "
        for (phrase, kind) in [(" call ", InteractionKind.call), (" phone ", .call), (" meeting ", .meeting), (" email ", .email), (" e mail ", .email),
                               (" mail ", .email), (" visit ", .visit), (" demo ", .meeting), (" training ", .training), (" quote ", .quoteRequest)]
        where joined.contains(phrase) {
            return kind
        }
        return nil
    }

    /// `2024-03-05 14:30` (a spreadsheet's date and time, no zone): read as UTC.
    static func spreadsheetTimestamp(_ text: String) -> String? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let day = LocalDate(parts[0]) ?? NemraFormat.date(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":")
        guard clock.count >= 2, let hour = Int(clock[0]), let minute = Int(clock[1]), hour < 24, minute < 60 else { return nil }
        return "\(day)T\(LocalDate.pad(hour, 2)):\(LocalDate.pad(minute, 2)):00Z"
    }
}
