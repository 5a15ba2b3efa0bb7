/// The typed content of each bundle file's rows. Each `parse` reads one row, records every
/// problem on the row, and returns nil when a required value is unusable.

public struct TerritoryRecord: Sendable, Equatable {
    public var code: String
    public var name: String
    public var parentCode: String?
    public var country: String?

    public static func parse(_ row: inout BundleRow) -> TerritoryRecord? {
        let code = row.key("code")
        let name = row.limitedText("name", maxLength: 200, required: true)
        let parent = row.key("parent_code", required: false)
        let country = row.country("country")
        guard row.isValid, let code, let name else { return nil }
        if parent == code { row.fail("parent_code", "a territory cannot be its own parent"); return nil }
        return TerritoryRecord(code: code, name: name, parentCode: parent, country: country)
    }
}

public struct OrganizationRecord: Sendable, Equatable {
    public var key: String
    public var name: String
    public var kind: OrganizationKind
    public var country: String?
    public var currency: String?
    public var isHome: Bool

    public static func parse(_ row: inout BundleRow) -> OrganizationRecord? {
        let key = row.key("key")
        let name = row.limitedText("name", maxLength: 300, required: true)
        let kind = row.choice("kind", OrganizationKind.self)
        let country = row.country("country")
        let currency = row.currency("currency")
        let isHome = row.bool("is_home") ?? false
        guard row.isValid, let key, let name, let kind else { return nil }
        return OrganizationRecord(key: key, name: name, kind: kind, country: country, currency: currency, isHome: isHome)
    }
}

public struct BranchRecord: Sendable, Equatable {
    public var key: String
    public var organizationKey: String
    public var name: String
    public var city: String?
    public var country: String?
    public var territoryCode: String?

    public static func parse(_ row: inout BundleRow) -> BranchRecord? {
        let key = row.key("key")
        let org = row.key("organization_key")
        let name = row.limitedText("name", maxLength: 300, required: true)
        let city = row.limitedText("city", maxLength: 200)
        let country = row.country("country")
        let territory = row.key("territory_code", required: false)
        guard row.isValid, let key, let org, let name else { return nil }
        return BranchRecord(key: key, organizationKey: org, name: name, city: city, country: country, territoryCode: territory)
    }
}

public struct PersonRecord: Sendable, Equatable {
    public var key: String
    public var name: String
    public var email: String?
    public var phone: String?
    public var country: String?

    public static func parse(_ row: inout BundleRow) -> PersonRecord? {
        let key = row.key("key")
        let name = row.limitedText("name", maxLength: 300, required: true)
        let email = row.limitedText("email", maxLength: 320)
        if let email, !email.utf8.contains(UInt8(ascii: "@")) { row.fail("email", "\"\(email)\" is not an e-mail address") }
        let phone = row.limitedText("phone", maxLength: 64)
        let country = row.country("country")
        guard row.isValid, let key, let name else { return nil }
        return PersonRecord(key: key, name: name, email: email, phone: phone, country: country)
    }
}

public struct EmploymentRecord: Sendable, Equatable {
    public var personKey: String
    public var organizationKey: String
    public var branchKey: String?
    public var function: JobFunction
    public var title: String?
    public var startDate: LocalDate
    public var endDate: LocalDate?

    public static func parse(_ row: inout BundleRow) -> EmploymentRecord? {
        let person = row.key("person_key")
        let org = row.key("organization_key")
        let branch = row.key("branch_key", required: false)
        let function = row.choice("function", JobFunction.self)
        let title = row.limitedText("title", maxLength: 200)
        let start = row.date("start_date", required: true)
        let end = row.date("end_date")
        if let start, let end, end < start { row.fail("end_date", "\(end) is before the start date \(start)") }
        guard row.isValid, let person, let org, let function, let start else { return nil }
        return EmploymentRecord(personKey: person, organizationKey: org, branchKey: branch, function: function,
                                title: title, startDate: start, endDate: end)
    }
}

public struct InteractionRecord: Sendable, Equatable {
    public var key: String
    public var time: InteractionTime
    public var kind: InteractionKind
    public var initiatorKey: String
    /// Everyone who took part, the initiator first.
    public var participantKeys: [String]
    public var durationMinutes: Int?
    public var summary: String?

    public static func parse(_ row: inout BundleRow) -> InteractionRecord? {
        let key = row.key("key")
        var time: InteractionTime?
        if let text = row.required("date") {
            time = InteractionTime(text)
            if time == nil {
                row.fail("date", "\"\(text)\" is not a date or timestamp: expected 2024-03-05 or 2024-03-05T09:30:00+01:00")
            } else if let date = time?.date, !FieldRules.dates.contains(date) {
                row.fail("date", "\(text) is \(FieldRules.datesMessage)")
                time = nil
            }
        }
        let kind = row.choice("kind", InteractionKind.self)
        let initiator = row.key("initiator_key")
        let listed = row.keyList("participant_keys")
        if listed.isEmpty, row.text("participant_keys") == nil {
            row.fail("participant_keys", "required value is missing")
        }
        let duration = row.integer("duration_minutes", range: 0...100_000)
        let summary = row.limitedText("summary", maxLength: 10_000)
        guard row.isValid, let key, let time, let kind, let initiator else { return nil }
        let participants = [initiator] + listed.filter { $0 != initiator }
        return InteractionRecord(key: key, time: time, kind: kind, initiatorKey: initiator,
                                 participantKeys: participants, durationMinutes: duration, summary: summary)
    }
}

public struct PartnershipRecord: Sendable, Equatable {
    public var key: String
    public var counterpartKey: String
    public var status: PartnershipStatus
    public var commitment: CommitmentForm
    public var agreementDate: LocalDate?
    public var signedByKeys: [String]
    public var territoryCodes: [String]
    public var notes: String?

    public static func parse(_ row: inout BundleRow) -> PartnershipRecord? {
        let key = row.key("key")
        let counterpart = row.key("counterpart_key")
        let status = row.choice("status", PartnershipStatus.self)
        let commitment = row.choice("commitment", CommitmentForm.self)
        let agreement = row.date("agreement_date")
        let signers = row.keyList("signed_by_keys")
        let territories = row.keyList("territory_codes")
        let notes = row.limitedText("notes", maxLength: 10_000)
        guard row.isValid, let key, let counterpart, let status, let commitment else { return nil }
        return PartnershipRecord(key: key, counterpartKey: counterpart, status: status, commitment: commitment,
                                 agreementDate: agreement, signedByKeys: signers, territoryCodes: territories, notes: notes)
    }
}

public struct GoalRecord: Sendable, Equatable {
    public var key: String
    public var partnershipKey: String
    public var metric: String
    public var unit: String?
    public var baseline: Double?
    public var target: Double
    public var dueDate: LocalDate?
    public var ownerKeys: [String]

    public static func parse(_ row: inout BundleRow) -> GoalRecord? {
        let key = row.key("key")
        let partnership = row.key("partnership_key")
        let metric = row.limitedText("metric", maxLength: 300, required: true)
        let unit = row.limitedText("unit", maxLength: 50)
        let baseline = row.decimal("baseline")
        let target = row.decimal("target", required: true)
        let due = row.date("due_date")
        let owners = row.keyList("owner_keys")
        guard row.isValid, let key, let partnership, let metric, let target else { return nil }
        return GoalRecord(key: key, partnershipKey: partnership, metric: metric, unit: unit, baseline: baseline,
                          target: target, dueDate: due, ownerKeys: owners)
    }
}

public struct GoalProgressRecord: Sendable, Equatable {
    public var goalKey: String
    public var date: LocalDate
    public var value: Double

    public static func parse(_ row: inout BundleRow) -> GoalProgressRecord? {
        let goal = row.key("goal_key")
        let date = row.date("date", required: true)
        let value = row.decimal("value", required: true)
        guard row.isValid, let goal, let date, let value else { return nil }
        return GoalProgressRecord(goalKey: goal, date: date, value: value)
    }
}

public struct CommitmentRecord: Sendable, Equatable {
    public var key: String
    public var partnershipKey: String
    public var partyKey: String
    public var asset: AssetKind
    public var amount: Double
    public var unit: String?
    public var currency: String?
    public var dueDate: LocalDate?
    public var description: String?

    public static func parse(_ row: inout BundleRow) -> CommitmentRecord? {
        let key = row.key("key")
        let partnership = row.key("partnership_key")
        let party = row.key("party_key")
        let asset = row.choice("asset", AssetKind.self)
        let amount = row.decimal("amount", required: true)
        let unit = row.limitedText("unit", maxLength: 50)
        let currency = row.currency("currency")
        let due = row.date("due_date")
        let description = row.limitedText("description", maxLength: 10_000)
        guard row.isValid, let key, let partnership, let party, let asset, let amount else { return nil }
        return CommitmentRecord(key: key, partnershipKey: partnership, partyKey: party, asset: asset, amount: amount,
                                unit: unit, currency: currency, dueDate: due, description: description)
    }
}

public struct ContributionRecord: Sendable, Equatable {
    public var commitmentKey: String
    public var date: LocalDate
    public var amount: Double
    public var confirmedByKey: String?
    public var note: String?

    public static func parse(_ row: inout BundleRow) -> ContributionRecord? {
        let commitment = row.key("commitment_key")
        let date = row.date("date", required: true)
        let amount = row.decimal("amount", required: true)
        let confirmer = row.key("confirmed_by_key", required: false)
        let note = row.limitedText("note", maxLength: 10_000)
        guard row.isValid, let commitment, let date, let amount else { return nil }
        return ContributionRecord(commitmentKey: commitment, date: date, amount: amount, confirmedByKey: confirmer, note: note)
    }
}

public struct RiskRecord: Sendable, Equatable {
    public var partnershipKey: String
    public var partyKey: String
    public var description: String
    public var exposureAmount: Double?
    public var currency: String?

    public static func parse(_ row: inout BundleRow) -> RiskRecord? {
        let partnership = row.key("partnership_key")
        let party = row.key("party_key")
        let description = row.limitedText("description", maxLength: 1_000, required: true)
        let exposure = row.decimal("exposure_amount")
        let currency = row.currency("currency")
        guard row.isValid, let partnership, let party, let description else { return nil }
        return RiskRecord(partnershipKey: partnership, partyKey: party, description: description,
                          exposureAmount: exposure, currency: currency)
    }
}

/// A dated change of a partnership's status.
public struct PartnershipEventRecord: Sendable, Equatable {
    public var partnershipKey: String
    public var date: LocalDate
    public var status: PartnershipStatus
    public var note: String?

    public static func parse(_ row: inout BundleRow) -> PartnershipEventRecord? {
        let partnership = row.key("partnership_key")
        let date = row.date("date", required: true)
        let status = row.choice("status", PartnershipStatus.self)
        let note = row.limitedText("note", maxLength: 10_000)
        guard row.isValid, let partnership, let date, let status else { return nil }
        return PartnershipEventRecord(partnershipKey: partnership, date: date, status: status, note: note)
    }
}

/// The shown-to-whom of a business review's notes.
public enum ReviewVisibility: String, CaseIterable, Codable, Sendable {
    case shared, `internal`
}

/// A business review of a partnership.
public struct ReviewRecord: Sendable, Equatable {
    public var key: String
    public var partnershipKey: String
    public var date: LocalDate
    public var visibility: ReviewVisibility
    public var attendeeKeys: [String]
    public var notes: String?

    public static func parse(_ row: inout BundleRow) -> ReviewRecord? {
        let key = row.key("key")
        let partnership = row.key("partnership_key")
        let date = row.date("date", required: true)
        let visibility = row.choice("visibility", ReviewVisibility.self)
        let attendees = row.keyList("attendee_keys")
        let notes = row.limitedText("notes", maxLength: 100_000)
        guard row.isValid, let key, let partnership, let date, let visibility else { return nil }
        return ReviewRecord(key: key, partnershipKey: partnership, date: date, visibility: visibility, attendeeKeys: attendees, notes: notes)
    }
}

public struct SaleRecord: Sendable, Equatable {
    public var period: YearMonth
    public var manufacturerKey: String
    public var branchKey: String
    /// Empty when the row is not split by product line.
    public var productLine: String
    public var sellIn: Double?
    public var sellThrough: Double?
    public var manufacturerGrossProfit: Double?
    public var distributorGrossProfit: Double?
    public var currency: String?

    public static func parse(_ row: inout BundleRow) -> SaleRecord? {
        var period: YearMonth?
        if let text = row.required("period") {
            period = YearMonth(text)
            if period == nil {
                row.fail("period", "\"\(text)\" is not a month: expected YYYY-MM, e.g. 2024-03")
            } else if let first = period.flatMap({ LocalDate(year: $0.year, month: $0.month, day: 1) }), !FieldRules.dates.contains(first) {
                row.fail("period", "\(text) is \(FieldRules.datesMessage)")
                period = nil
            }
        }
        let manufacturer = row.key("manufacturer_key")
        let branch = row.key("branch_key")
        let line = row.limitedText("product_line", maxLength: 200)
        let sellIn = row.decimal("sell_in_amount")
        let sellThrough = row.decimal("sell_through_amount")
        let mgp = row.decimal("manufacturer_gross_profit")
        let dgp = row.decimal("distributor_gross_profit")
        let currency = row.currency("currency")
        guard row.isValid, let period, let manufacturer, let branch else { return nil }
        return SaleRecord(period: period, manufacturerKey: manufacturer, branchKey: branch, productLine: line ?? "",
                          sellIn: sellIn, sellThrough: sellThrough, manufacturerGrossProfit: mgp,
                          distributorGrossProfit: dgp, currency: currency)
    }
}
