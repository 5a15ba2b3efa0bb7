
/// What a client sends to create or replace a record. Every field is optional so that a missing
/// one is reported by name with the others, not as an undecodable body.
public struct TerritoryDraft: Codable, Sendable {
    public var code: String?
    public var name: String?
    public var parentCode: String?
    public var country: String?
    public init(code: String? = nil, name: String? = nil, parentCode: String? = nil, country: String? = nil) {
        self.code = code; self.name = name; self.parentCode = parentCode; self.country = country
    }
}

public struct OrganizationDraft: Codable, Sendable {
    public var key: String?
    public var name: String?
    public var kind: String?
    public var country: String?
    public var currency: String?
    public var isHome: Bool?
    public init(key: String? = nil, name: String? = nil, kind: String? = nil, country: String? = nil, currency: String? = nil, isHome: Bool? = nil) {
        self.key = key; self.name = name; self.kind = kind; self.country = country; self.currency = currency; self.isHome = isHome
    }
}

public struct BranchDraft: Codable, Sendable {
    public var key: String?
    public var organizationKey: String?
    public var name: String?
    public var city: String?
    public var country: String?
    public var territoryCode: String?
    public init(key: String? = nil, organizationKey: String? = nil, name: String? = nil, city: String? = nil, country: String? = nil, territoryCode: String? = nil) {
        self.key = key; self.organizationKey = organizationKey; self.name = name; self.city = city; self.country = country; self.territoryCode = territoryCode
    }
}

public struct PersonDraft: Codable, Sendable {
    public var key: String?
    public var name: String?
    public var email: String?
    public var phone: String?
    public var country: String?
    public init(key: String? = nil, name: String? = nil, email: String? = nil, phone: String? = nil, country: String? = nil) {
        self.key = key; self.name = name; self.email = email; self.phone = phone; self.country = country
    }
}

public struct EmploymentDraft: Codable, Sendable {
    public var personKey: String?
    public var organizationKey: String?
    public var branchKey: String?
    public var function: String?
    public var title: String?
    public var startDate: String?
    public var endDate: String?
    public init(personKey: String? = nil, organizationKey: String? = nil, branchKey: String? = nil, function: String? = nil,
                title: String? = nil, startDate: String? = nil, endDate: String? = nil) {
        self.personKey = personKey; self.organizationKey = organizationKey; self.branchKey = branchKey; self.function = function
        self.title = title; self.startDate = startDate; self.endDate = endDate
    }
}

public struct InteractionDraft: Codable, Sendable {
    public var key: String?
    public var date: String?
    public var kind: String?
    public var initiatorKey: String?
    public var participantKeys: [String]?
    public var durationMinutes: Int?
    public var summary: String?
    public init(key: String? = nil, date: String? = nil, kind: String? = nil, initiatorKey: String? = nil, participantKeys: [String]? = nil,
                durationMinutes: Int? = nil, summary: String? = nil) {
        self.key = key; self.date = date; self.kind = kind; self.initiatorKey = initiatorKey; self.participantKeys = participantKeys
        self.durationMinutes = durationMinutes; self.summary = summary
    }
}

extension FieldChecks {
    /// On a replace, the identifying field may be repeated but not changed.
    public mutating func unchanged(_ value: String?, _ existing: String?, _ field: String) {
        guard let existing, let value, !value.isEmpty, value != existing else { return }
        fail(field, "cannot be changed from \"\(existing)\" to \"\(value)\": create a new record instead")
    }

    /// A required, non-empty text of at most `max` characters.
    /// White space at either end (and a text of nothing else) is dropped: the Unicode White_Space
    /// characters, line ends and the byte-order mark, as JSON Schema's `\s` counts them.
    public mutating func text(_ value: String?, _ field: String, max: Int, required: Bool = true) -> String? {
        let trimmed = value?.trimmingCharacters(in: FieldRules.blank) ?? ""
        guard !trimmed.isEmpty else {
            if required { fail(field, "required") }
            return nil
        }
        guard trimmed.count <= max else { fail(field, "longer than \(max) characters"); return nil }
        return trimmed
    }

    public mutating func key(_ value: String?, _ field: String, required: Bool = true) -> String? {
        guard let value, !value.isEmpty else {
            if required { fail(field, "required") }
            return nil
        }
        guard let key = FieldRules.key(value), key == value, key.first.map(FieldRules.isBlank) == false, key.last.map(FieldRules.isBlank) == false else {
            fail(field, FieldRules.keyMessage)
            return nil
        }
        return key
    }

    public mutating func country(_ value: String?, _ field: String) -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard let code = FieldRules.country(value) else { fail(field, "\"\(value)\": \(FieldRules.countryMessage)"); return nil }
        return code
    }

    public mutating func currency(_ value: String?, _ field: String) -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard let code = FieldRules.currency(value) else { fail(field, "\"\(value)\": \(FieldRules.currencyMessage)"); return nil }
        return code
    }

    public mutating func date(_ value: String?, _ field: String, required: Bool = false) -> LocalDate? {
        guard let value, !value.isEmpty else {
            if required { fail(field, "required") }
            return nil
        }
        guard let date = LocalDate(value) else { fail(field, "\"\(value)\": \(FieldRules.dateMessage)"); return nil }
        guard FieldRules.dates.contains(date) else { fail(field, "\(value) is \(FieldRules.datesMessage)"); return nil }
        return date
    }

    /// A finite number of magnitude below 10^13 (what a bundle holds), at least `minimum` (or
    /// above it when `exclusive`).
    public mutating func number(_ value: Double?, _ field: String, required: Bool = false, minimum: Double? = nil, exclusive: Bool = false) -> Double? {
        guard let value else {
            if required { fail(field, "required") }
            return nil
        }
        guard value.isFinite, abs(value) < 1e13 else { fail(field, "expected a number of magnitude below 10^13"); return nil }
        if let minimum, exclusive ? value <= minimum : value < minimum {
            fail(field, "expected a number \(exclusive ? "above" : "of at least") \(BundleNumber.format(minimum))")
            return nil
        }
        return value
    }

    public mutating func choice<T: CaseIterable & RawRepresentable>(_ value: String?, _ field: String, _ type: T.Type) -> T? where T.RawValue == String {
        guard let value, !value.isEmpty else { fail(field, "required"); return nil }
        guard let match = T(rawValue: value.lowercased()) else { fail(field, "\"\(value)\" is not one of \(T.spellings)"); return nil }
        return match
    }
}
