import Foundation

/// One contact card (vCard 2.1, 3.0 or 4.0; RFC 6350), reduced to what Tandem keeps.
public struct VCard: Sendable, Equatable {
    /// The lines of `BEGIN:VCARD` and `END:VCARD`.
    public var line: Int
    public var endLine: Int
    public var version: String
    /// FN, or the name put together from N when a card has no FN.
    public var name: String
    /// E-mail addresses, the preferred one first.
    public var emails: [String]
    /// Telephone numbers, the preferred one first, `tel:` URIs reduced to the number.
    public var phones: [String]
    /// ORG: the organization, then its units.
    public var organization: [String]
    public var title: String?
    /// The country of the first address, as ADR writes it (a name or a code).
    public var country: String?
    /// KIND (vCard 4.0): `individual` when absent.
    public var kind: String
    public var uid: String?
    /// The line of each property Tandem reads, by property name, for messages.
    public var lines: [String: Int]
    /// What messages call a property (a CSV export's column header), when not its own name.
    public var labels: [String: String] = [:]

    public func label(_ property: String) -> String { labels[property] ?? property }

    public init(line: Int, endLine: Int, version: String, name: String, emails: [String] = [], phones: [String] = [],
                organization: [String] = [], title: String? = nil, country: String? = nil, kind: String = "individual",
                uid: String? = nil, lines: [String: Int] = [:]) {
        self.line = line
        self.endLine = endLine
        self.version = version
        self.name = name
        self.emails = emails
        self.phones = phones
        self.organization = organization
        self.title = title
        self.country = country
        self.kind = kind
        self.uid = uid
        self.lines = lines
    }
}

/// Reads and writes vCard files.
public enum VCardFormat {
    public static let versions: Set<String> = ["2.1", "3.0", "4.0"]

    /// Every card of a file, or the first problem with its line.
    public static func parse(_ data: Data) throws(ContentLineError) -> [VCard] {
        var cards: [VCard] = []
        var open: (line: Int, properties: [ContentLine])?
        for property in try ContentLines.parse(data) {
            switch (property.name, property.value.uppercased()) {
            case ("BEGIN", "VCARD"):
                if let open {
                    throw ContentLineError(line: property.line, message: "BEGIN:VCARD inside the card that begins on line \(open.line): expected END:VCARD first")
                }
                open = (property.line, [])
            case ("END", "VCARD"):
                guard let card = open else {
                    throw ContentLineError(line: property.line, message: "END:VCARD without a BEGIN:VCARD before it")
                }
                cards.append(try self.card(card.properties, line: card.line, endLine: property.line))
                open = nil
            default:
                guard open != nil else {
                    throw ContentLineError(line: property.line, message: "expected BEGIN:VCARD, found \(property.name): a vCard file holds only cards")
                }
                open?.properties.append(property)
            }
        }
        if let open {
            throw ContentLineError(line: open.line, message: "the card that begins here has no END:VCARD: the file is cut short")
        }
        return cards
    }

    static func card(_ properties: [ContentLine], line: Int, endLine: Int) throws(ContentLineError) -> VCard {
        guard let version = properties.first(where: { $0.name == "VERSION" }) else {
            throw ContentLineError(line: line, message: "the card has no VERSION: expected VERSION:3.0 or VERSION:4.0")
        }
        guard versions.contains(version.text.trimmed) else {
            throw ContentLineError(line: version.line, message: "VERSION \"\(version.text)\" is not a vCard version Tandem reads: expected 2.1, 3.0 or 4.0")
        }
        var lines: [String: Int] = [:]
        for property in properties where lines[property.name] == nil { lines[property.name] = property.line }
        func first(_ name: String) -> ContentLine? { properties.first { $0.name == name } }
        func preferredFirst(_ name: String) -> [ContentLine] {
            let all = properties.filter { $0.name == name }
            func rank(_ property: ContentLine) -> Int {
                if let pref = property.parameter("PREF").flatMap({ Int($0) }) { return pref }
                return property.has("PREF") ? 0 : 101
            }
            return all.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        }
        var name = first("FN")?.text.trimmed ?? ""
        if name.isEmpty, let parts = first("N")?.components {
            // N is family;given;additional;prefix;suffix.
            let ordered = [3, 1, 2, 0, 4].compactMap { $0 < parts.count ? parts[$0].trimmed : nil }
            name = ordered.filter { !$0.isEmpty }.joined(separator: " ")
        }
        let organization = first("ORG")?.components.map(\.trimmed).filter { !$0.isEmpty } ?? []
        let kind = first("KIND")?.text.trimmed.lowercased() ?? "individual"
        if name.isEmpty, kind == "org", let org = organization.first { name = org }
        guard !name.isEmpty else {
            throw ContentLineError(line: line, message: "the card has no name: expected FN or N")
        }
        let emails = preferredFirst("EMAIL").map { strip($0.text.trimmed, scheme: "mailto:") }.filter { !$0.isEmpty }
        let phones = preferredFirst("TEL").map { strip($0.text.trimmed, scheme: "tel:") }.filter { !$0.isEmpty }
        let address = preferredFirst("ADR").first?.components ?? []
        let country = address.count > 6 ? address[6].trimmed : nil
        return VCard(line: line, endLine: endLine, version: version.text.trimmed, name: name, emails: emails, phones: phones,
                     organization: organization, title: first("TITLE")?.text.trimmed.nonEmpty,
                     country: country?.nonEmpty, kind: kind, uid: first("UID")?.text.trimmed.nonEmpty, lines: lines)
    }

    static func strip(_ text: String, scheme: String) -> String {
        text.lowercased().hasPrefix(scheme) ? String(text.dropFirst(scheme.count)) : text
    }

    /// A vCard 4.0 card for a person, lines folded and ended with CRLF.
    public static func write(uid: String, name: String, email: String?, phone: String?, organization: String?, title: String?,
                             country: String?) -> String {
        var lines = ["BEGIN:VCARD", "VERSION:4.0", "UID:\(ContentLines.escape(uid))", "FN:\(ContentLines.escape(name))",
                     "N:\(ContentLines.escape(familyName(name)));\(ContentLines.escape(givenNames(name)));;;"]
        if let email { lines.append("EMAIL;TYPE=work:\(ContentLines.escape(email))") }
        if let phone { lines.append("TEL;TYPE=work;VALUE=text:\(ContentLines.escape(phone))") }
        if let organization { lines.append("ORG:\(ContentLines.escape(organization))") }
        if let title { lines.append("TITLE:\(ContentLines.escape(title))") }
        if let country { lines.append("ADR;TYPE=work:;;;;;;\(ContentLines.escape(country))") }
        lines.append("END:VCARD")
        return lines.map(ContentLines.fold).joined()
    }

    static func familyName(_ name: String) -> String {
        name.split(separator: " ").last.map(String.init) ?? name
    }

    static func givenNames(_ name: String) -> String {
        name.split(separator: " ").dropLast().joined(separator: " ")
    }
}

extension StringProtocol {
    var trimmed: String { trimmingCharacters(in: FieldRules.blank) }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
