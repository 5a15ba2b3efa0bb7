import Foundation

/// Turns contact cards into people, organizations and employments (docs/importers.md).
///
/// A card is the same person as one already in the workspace (or earlier in the file) when one of
/// its e-mail addresses matches, else when the name matches someone employed at the card's
/// organization, else, for a card with neither e-mail nor organization, when exactly one person of
/// the workspace has that name. A matched person keeps every value Tandem has: a card only fills
/// what is empty. ORG becomes an employment from the day of the import, with a function guessed
/// from TITLE, unless the person already works there; an unknown organization is created.
public struct VCardTranslator: Sendable {
    public var organizationKind: OrganizationKind
    public var today: LocalDate

    public init(organizationKind: OrganizationKind = .distributor, today: LocalDate) {
        self.organizationKind = organizationKind
        self.today = today
    }

    public func translate(_ cards: [VCard], source: String, index start: WorkspaceIndex, issueLimit: Int = 200) -> Translation {
        var translation = Translation(source: source, issueLimit: issueLimit)
        var index = start
        /// Rows to write, by person key, with the card they came from; in card order.
        var personRows: [String: (values: [String: String?], origin: RowOrigin)] = [:], personOrder: [String] = []
        var cardOfPerson: [String: Int] = [:]
        for card in cards {
            switch card.kind {
            case "individual", "":
                break
            case "org":
                _ = organizationKey(card.organization.first ?? card.name, line: card.line, label: card.label("ORG"), index: &index, translation: &translation)
                continue
            default:
                translation.plan.add(card.line, .skip, "card", "\"\(card.name)\" is a KIND:\(card.kind) card, not a person")
                continue
            }
            let organizationName = card.organization.first
            let knownOrganization = organizationName.flatMap { index.organization(named: $0) }
            let email = card.emails.first
            var match: (person: WorkspaceIndex.Person, how: String)?
            // A card Tandem wrote names its person.
            if let uid = card.uid, uid.hasPrefix("tandem:"), let person = index.person(key: String(uid.dropFirst(7))) {
                match = (person, "its Tandem key")
            }
            for address in card.emails where match == nil {
                if let person = index.person(email: address) { match = (person, "e-mail \(address)"); break }
            }
            if match == nil, let knownOrganization, let person = index.people(named: card.name, at: knownOrganization.key).first {
                match = (person, "name and organization")
            }
            if match == nil, card.emails.isEmpty, organizationName == nil {
                let named = index.people(named: card.name)
                if named.count == 1, named[0].email == nil { match = (named[0], "name") }
            }
            var origin = RowOrigin(line: card.line, columns: ["name": (card.label(card.lines["FN"] != nil ? "FN" : "N"), card.lines["FN"] ?? card.lines["N"] ?? card.line)])
            if let line = card.lines["EMAIL"] { origin.columns["email"] = (card.label("EMAIL"), line) }
            if let line = card.lines["TEL"] { origin.columns["phone"] = (card.label("TEL"), line) }
            if let line = card.lines["ADR"] { origin.columns["country"] = (card.label("ADR"), line) }
            let country = card.country.flatMap(Countries.code)
            if let written = card.country, country == nil {
                translation.warn(line: card.lines["ADR"] ?? card.line, card.label("ADR"), "country \"\(written)\" is not a country Tandem knows: left out")
            }
            let personKey: String
            if let (person, how) = match {
                personKey = person.key
                var updated = person
                var filled: [String] = []
                if updated.email == nil, let email { updated.email = email; filled.append("e-mail") }
                if updated.phone == nil, let phone = card.phones.first { updated.phone = phone; filled.append("phone") }
                if updated.country == nil, let country { updated.country = country; filled.append("country") }
                let earlier = cardOfPerson[person.key]
                if filled.isEmpty {
                    translation.plan.add(card.line, .unchanged, "person", "\"\(person.name)\" (\(person.key)), matched by \(how)"
                                         + (earlier.map { ", the same person as the card on line \($0)" } ?? ""))
                } else {
                    translation.plan.add(card.line, .update, "person", "\"\(person.name)\" (\(person.key)), matched by \(how): adds \(filled.joined(separator: ", "))")
                    if personRows[person.key] == nil { personOrder.append(person.key) }
                    personRows[person.key] = (Self.personValues(updated), personRows[person.key]?.origin ?? origin)
                    index.update(updated)
                }
                if cardOfPerson[person.key] == nil { cardOfPerson[person.key] = card.line }
            } else {
                personKey = index.newPersonKey(Matching.slug(card.name))
                let person = WorkspaceIndex.Person(key: personKey, name: card.name, email: email, phone: card.phones.first, country: country)
                index.add(person)
                personRows[personKey] = (Self.personValues(person), origin)
                personOrder.append(personKey)
                cardOfPerson[personKey] = card.line
                translation.plan.add(card.line, .create, "person", "\"\(card.name)\" as \(personKey)")
            }
            guard let organizationName else { continue }
            let organization = organizationKey(organizationName, line: card.lines["ORG"] ?? card.line, label: card.label("ORG"), index: &index, translation: &translation)
            let pair = WorkspaceIndex.Pair(person: personKey, organization: organization)
            guard !index.employedNow.contains(pair) else { continue }
            let function = Matching.function(forTitle: card.title)
            let unit = card.organization.dropFirst().first
            let branch = unit.flatMap { index.branch(of: organization, named: $0) }
            var employmentOrigin = RowOrigin(line: card.line, columns: ["organization_key": (card.label("ORG"), card.lines["ORG"] ?? card.line)])
            if let line = card.lines["TITLE"] { employmentOrigin.columns["title"] = (card.label("TITLE"), line) }
            translation.add(.employments, ["person_key": personKey, "organization_key": organization, "branch_key": branch?.key,
                                           "function": function.rawValue, "title": card.title, "start_date": today.description],
                            origin: employmentOrigin)
            index.addEmployment(person: personKey, organization: organization, current: true)
            translation.plan.add(card.lines["ORG"] ?? card.line, .create, "employment",
                                 "\(personKey) at \(organization) as \(function.rawValue)" + (card.title.map { " (\($0))" } ?? "")
                                 + (branch.map { ", branch \($0.key)" } ?? "") + ", from \(today)")
        }
        for key in personOrder {
            guard let row = personRows[key] else { continue }
            translation.add(.people, row.values, origin: row.origin)
        }
        return translation
    }

    static func personValues(_ person: WorkspaceIndex.Person) -> [String: String?] {
        ["key": person.key, "name": person.name, "email": person.email, "phone": person.phone, "country": person.country]
    }

    /// The key of the organization of that name, created (as `organizationKind`) when it is new.
    func organizationKey(_ name: String, line: Int, label: String, index: inout WorkspaceIndex, translation: inout Translation) -> String {
        if let known = index.organization(named: name) { return known.key }
        let similar = index.organizations(similarTo: name)
        if similar.count > 1 {
            translation.warn(line: line, label, "\"\(name)\" could be any of \(similar.map(\.key).joined(separator: ", ")): a new organization is created (merge it on the duplicates page if it is one of them)")
        }
        let key = index.newOrganizationKey(Matching.slug(name))
        index.add(.init(key: key, name: name, kind: organizationKind))
        translation.add(.organizations, ["key": key, "name": name, "kind": organizationKind.rawValue],
                        origin: RowOrigin(line: line, columns: ["name": (label, line)]))
        translation.plan.add(line, .create, "organization", "\"\(name)\" as \(key) (\(organizationKind.rawValue))")
        return key
    }
}

/// Country names and codes as address books write them, to ISO 3166-1 alpha-2.
public enum Countries {
    public static func code(_ written: String) -> String? {
        let text = written.trimmed
        if let code = FieldRules.country(text), Locale.Region.isoRegions.contains(where: { $0.identifier == code }) { return code }
        return byName[Matching.personName(text)]
    }

    static let byName: [String: String] = {
        var names: [String: String] = [:]
        let english = Locale(identifier: "en_US")
        for region in Locale.Region.isoRegions where region.identifier.count == 2 {
            if let name = english.localizedString(forRegionCode: region.identifier) {
                names[Matching.personName(name)] = region.identifier
            }
        }
        for (name, code) in ["usa": "US", "united states of america": "US", "u s a": "US", "uk": "GB", "england": "GB",
                             "great britain": "GB", "deutschland": "DE", "germany": "DE", "osterreich": "AT", "schweiz": "CH",
                             "france": "FR", "espana": "ES", "italia": "IT", "nederland": "NL", "mexico": "MX", "canada": "CA"] {
            names[name] = code
        }
        return names
    }()
}
