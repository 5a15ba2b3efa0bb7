import Foundation

/// What a workspace already holds that a foreign file's records are matched against.
public struct WorkspaceIndex: Sendable {
    public struct Person: Sendable {
        public var key: String
        public var name: String
        public var email: String?
        public var phone: String?
        public var country: String?

        public init(key: String, name: String, email: String? = nil, phone: String? = nil, country: String? = nil) {
            self.key = key
            self.name = name
            self.email = email
            self.phone = phone
            self.country = country
        }
    }

    public struct Organization: Sendable {
        public var key: String
        public var name: String
        public var kind: OrganizationKind?

        public init(key: String, name: String, kind: OrganizationKind?) {
            self.key = key
            self.name = name
            self.kind = kind
        }
    }

    public struct Branch: Sendable {
        public var key: String
        public var organizationKey: String
        public var name: String

        public init(key: String, organizationKey: String, name: String) {
            self.key = key
            self.organizationKey = organizationKey
            self.name = name
        }
    }

    public private(set) var people: [Person]
    public private(set) var organizations: [Organization]
    public private(set) var branches: [Branch]
    /// (person key, organization key) of every employment, and of those without an end date.
    public private(set) var employed: Set<Pair>
    public private(set) var employedNow: Set<Pair>
    public var homeOrganizationKey: String?
    /// Keys of interactions imported before from calendars (`ics:…`), to tell updates from new ones.
    public var interactionKeys: Set<String> = []

    public struct Pair: Hashable, Sendable {
        public var person: String
        public var organization: String

        public init(person: String, organization: String) {
            self.person = person
            self.organization = organization
        }
    }

    /// Lookups, by normalized e-mail, person name, organization name and branch name.
    var personByEmail: [String: Int] = [:]
    var personByKey: [String: Int] = [:]
    var peopleByName: [String: [Int]] = [:]
    var organizationByName: [String: [Int]] = [:]
    var organizationByExactName: [String: Int] = [:]
    var organizationByKey: [String: Int] = [:]
    var branchByName: [String: Int] = [:]
    /// Every key in use per table, so a new key never collides.
    var personKeys: Set<String> = []

    public init(people: [Person] = [], organizations: [Organization] = [], branches: [Branch] = [],
                employments: [(person: String, organization: String, current: Bool)] = [], homeOrganizationKey: String? = nil) {
        self.people = []
        self.organizations = []
        self.branches = []
        self.employed = []
        self.employedNow = []
        self.homeOrganizationKey = homeOrganizationKey
        people.forEach { add($0) }
        organizations.forEach { add($0) }
        branches.forEach { add($0) }
        for employment in employments { addEmployment(person: employment.person, organization: employment.organization, current: employment.current) }
    }

    mutating func add(_ person: Person) {
        people.append(person)
        personKeys.insert(person.key)
        personByKey[person.key] = people.count - 1
        if let email = person.email.map(Matching.email), personByEmail[email] == nil { personByEmail[email] = people.count - 1 }
        peopleByName[Matching.personName(person.name), default: []].append(people.count - 1)
    }

    mutating func add(_ organization: Organization) {
        organizations.append(organization)
        organizationByKey[organization.key] = organizations.count - 1
        organizationByName[Matching.organizationName(organization.name), default: []].append(organizations.count - 1)
        let exact = Matching.personName(organization.name)
        if organizationByExactName[exact] == nil { organizationByExactName[exact] = organizations.count - 1 }
    }

    mutating func add(_ branch: Branch) {
        branches.append(branch)
        branchByName[branch.organizationKey + "\u{1F}" + Matching.organizationName(branch.name)] = branches.count - 1
    }

    mutating func addEmployment(person: String, organization: String, current: Bool) {
        employed.insert(Pair(person: person, organization: organization))
        if current { employedNow.insert(Pair(person: person, organization: organization)) }
    }

    mutating func update(_ person: Person) {
        guard let index = personByKey[person.key] else { return add(person) }
        people[index] = person
        if let email = person.email.map(Matching.email), personByEmail[email] == nil { personByEmail[email] = index }
    }

    public func person(email: String) -> Person? { personByEmail[Matching.email(email)].map { people[$0] } }

    public func person(key: String) -> Person? { personByKey[key].map { people[$0] } }

    /// The organization of that name: the one whose name is the same (case, accents and punctuation
    /// ignored), else the only one whose name is the same when legal forms are ignored too.
    public func organization(named name: String) -> Organization? {
        if let exact = organizationByExactName[Matching.personName(name)] { return organizations[exact] }
        guard let similar = organizationByName[Matching.organizationName(name)], similar.count == 1 else { return nil }
        return organizations[similar[0]]
    }

    /// Organizations whose names are the same once legal forms are ignored.
    public func organizations(similarTo name: String) -> [Organization] {
        (organizationByName[Matching.organizationName(name)] ?? []).map { organizations[$0] }
    }

    public func organization(key: String) -> Organization? { organizationByKey[key].map { organizations[$0] } }

    public func branch(of organizationKey: String, named name: String) -> Branch? {
        branchByName[organizationKey + "\u{1F}" + Matching.organizationName(name)].map { branches[$0] }
    }

    /// People of that name employed (now or before) at the organization.
    public func people(named name: String, at organizationKey: String) -> [Person] {
        (peopleByName[Matching.personName(name)] ?? []).map { people[$0] }
            .filter { employed.contains(Pair(person: $0.key, organization: organizationKey)) }
    }

    public func people(named name: String) -> [Person] {
        (peopleByName[Matching.personName(name)] ?? []).map { people[$0] }
    }

    /// A key not yet used by a person, made from `base`.
    mutating func newPersonKey(_ base: String) -> String {
        let key = Matching.uniqueKey(base, taken: personKeys)
        personKeys.insert(key)
        return key
    }

    func newOrganizationKey(_ base: String) -> String {
        Matching.uniqueKey(base, taken: Set(organizationByKey.keys))
    }
}

/// How names, e-mail addresses and keys are compared and made.
public enum Matching {
    public static func email(_ text: String) -> String { text.trimmed.lowercased() }

    /// Case, accents, punctuation and repeated spaces ignored: "Jürgen  Weiß" matches "jurgen weiss".
    public static func personName(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// Like `personName`, and legal forms ignored: "Acme, Inc." matches "ACME Inc" and "Acme".
    public static func organizationName(_ text: String) -> String {
        let all = words(text)
        let kept = all.filter { !legalForms.contains($0) }
        return (kept.isEmpty ? all : kept).joined(separator: " ")
    }

    public static let legalForms: Set<String> = ["inc", "incorporated", "llc", "ltd", "limited", "co", "corp", "corporation", "company",
                                          "gmbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "plc", "pty", "ab", "oy", "as"]

    public static func words(_ text: String) -> [String] {
        let folded = text.replacingOccurrences(of: "ß", with: "ss")
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        return folded.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// A short hash of `text` that stays the same from run to run and machine to machine (64-bit FNV-1a, hex).
    public static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    /// A readable key: "Jürgen Weiß" → "jurgen-weiss".
    public static func slug(_ text: String) -> String {
        let slug = words(text).joined(separator: "-")
        return String(slug.prefix(100))
    }

    /// `base` (or its slug), with -2, -3 … added when taken.
    public static func uniqueKey(_ base: String, taken: Set<String>) -> String {
        let stem = base.isEmpty ? "imported" : base
        guard taken.contains(stem) else { return stem }
        var number = 2
        while taken.contains("\(stem)-\(number)") { number += 1 }
        return "\(stem)-\(number)"
    }

    /// A job function guessed from a job title; `other` when nothing fits.
    public static func function(forTitle title: String?) -> JobFunction {
        guard let title else { return .other }
        let text = " " + words(title).joined(separator: " ") + " "
        func has(_ phrases: String...) -> Bool { phrases.contains { text.contains(" \($0) ") } }
        if has("inside sales", "customer service", "counter sales", "sales support", "inside sales representative") { return .insideSales }
        if has("sales manager", "sales director", "director of sales", "head of sales", "vp sales", "vice president sales",
               "vice president of sales", "branch manager", "regional manager", "sales management") { return .salesManagement }
        if has("outside sales", "account manager", "account executive", "territory manager", "field sales", "sales representative",
               "sales engineer", "key account manager", "business development") { return .outsideSales }
        if has("purchasing", "buyer", "procurement", "purchaser", "purchasing manager") { return .purchasing }
        if has("marketing", "product manager", "brand manager") { return .marketing }
        if has("ceo", "cfo", "coo", "cto", "president", "owner", "founder", "managing director", "general manager", "chief",
               "geschaftsfuhrer", "partner") { return .executive }
        return .other
    }
}

/// What an import would do with each record of a foreign file: shown by a dry run, and after an import.
public struct ImportPlan: Sendable {
    public enum Action: String, Sendable, CaseIterable {
        /// `set`: created, or replaced when it exists (sales rows of a month, branch and product line).
        case create, update, set, unchanged, skip
    }

    public struct Item: Sendable, CustomStringConvertible {
        public var line: Int
        public var action: Action
        /// "person", "organization", "employment", "interaction", "sales row" …
        public var record: String
        public var detail: String

        public var description: String { "line \(line): \(action.rawValue) \(record): \(detail)" }
    }

    public var items: [Item] = []
    /// Things listed for the user that are not records, such as unmatched attendees.
    public var notes: [String] = []

    public init() {}

    public mutating func add(_ line: Int, _ action: Action, _ record: String, _ detail: String) {
        items.append(Item(line: line, action: action, record: record, detail: detail))
    }

    /// Counts by action and record: "create: 3 people, 1 organization".
    public func count(_ action: Action) -> [(record: String, count: Int)] {
        var counts: [String: Int] = [:], order: [String] = []
        for item in items where item.action == action {
            if counts[item.record] == nil { order.append(item.record) }
            counts[item.record, default: 0] += 1
        }
        return order.map { ($0, counts[$0] ?? 0) }
    }

    /// "would create 3 people; leave 2 people unchanged" (a dry run) or "created 3 people; 2 people unchanged".
    public func summary(dryRun: Bool) -> String {
        let parts = Action.allCases.compactMap { action -> String? in
            let counts = count(action)
            guard !counts.isEmpty else { return nil }
            let list = counts.map { "\($0.count) \(Self.plural($0.record, $0.count))" }.joined(separator: ", ")
            switch (action, dryRun) {
            case (.create, true): return "create \(list)"
            case (.create, false): return "created \(list)"
            case (.update, true): return "update \(list)"
            case (.update, false): return "updated \(list)"
            case (.set, true): return "set \(list)"
            case (.set, false): return "set \(list)"
            case (.unchanged, true): return "leave \(list) unchanged"
            case (.unchanged, false): return "\(list) unchanged"
            case (.skip, true): return "skip \(list)"
            case (.skip, false): return "skipped \(list)"
            }
        }
        guard !parts.isEmpty else { return "nothing to import" }
        return (dryRun ? "would " : "") + parts.joined(separator: "; ")
    }

    static func plural(_ word: String, _ count: Int) -> String {
        guard count != 1 else { return word }
        switch word {
        case "person": return "people"
        case "sales row": return "sales rows"
        default: return word.hasSuffix("y") ? String(word.dropLast()) + "ies" : word + "s"
        }
    }
}

/// Where a row of a translated bundle file came from: the foreign file's line, and per bundle
/// column the property (or column) and line that gave its value.
public struct RowOrigin: Sendable {
    public var line: Int
    public var columns: [String: (name: String, line: Int)]

    public init(line: Int, columns: [String: (name: String, line: Int)] = [:]) {
        self.line = line
        self.columns = columns
    }
}

/// Bundle rows made from a foreign file (vCard, iCalendar, point-of-sale, another CRM's CSV):
/// they are imported like a bundle, and every problem is reported at the foreign file's line.
public struct Translation: Sendable {
    public struct Table: Sendable {
        public var header: [String]
        public var rows: [[String?]] = []
        public var origins: [RowOrigin] = []
        /// The CSV line each row starts on (a value with line breaks spans several), and back.
        var nextLine = 2
        var rowAtLine: [Int: Int] = [:]

        public init(header: [String]) { self.header = header }
    }

    /// The foreign file's name, for messages.
    public var source: String
    public private(set) var tables: [BundleFile: Table] = [:]
    public var plan = ImportPlan()
    public var errors: IssueLog
    public var warnings: [BundleIssue] = []

    public init(source: String, issueLimit: Int = 200) {
        self.source = source
        self.errors = IssueLog(limit: issueLimit)
    }

    /// Adds a row; `values` are by bundle column, and the header is the union of the columns used.
    public mutating func add(_ file: BundleFile, _ values: [String: String?], origin: RowOrigin) {
        var table = tables[file] ?? Table(header: file.columns.map(\.name).filter { values.keys.contains($0) })
        for column in values.keys where !table.header.contains(column) {
            precondition(table.rows.isEmpty, "every row of a translated file has the same columns")
            table.header.append(column)
        }
        let row = table.header.map { (values[$0] ?? nil)?.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") }
        table.rowAtLine[table.nextLine] = table.rows.count
        table.nextLine += 1 + row.reduce(0) { $0 + ($1?.utf8.count(where: { $0 == 0x0A }) ?? 0) }
        table.rows.append(row)
        table.origins.append(origin)
        tables[file] = table
    }

    public mutating func fail(line: Int, _ column: String?, _ message: String) {
        errors.add(file: source, line: line, column: column, message)
    }

    public mutating func warn(line: Int, _ column: String?, _ message: String) {
        warnings.append(BundleIssue(file: source, line: line, column: column, message: message))
    }

    /// A problem found in the translated bundle, moved to the foreign file's line and property.
    public func locate(_ issue: BundleIssue) -> BundleIssue {
        guard let file = BundleFile.allCases.first(where: { $0.fileName == issue.file }), let table = tables[file],
              let index = table.rowAtLine[issue.line] else {
            return BundleIssue(file: source, line: 0, column: issue.column, message: issue.message)
        }
        let origin = table.origins[index]
        if let column = issue.column, let place = origin.columns[column] {
            return BundleIssue(file: source, line: place.line, column: place.name, message: issue.message)
        }
        return BundleIssue(file: source, line: origin.line, column: issue.column, message: issue.message)
    }
}
