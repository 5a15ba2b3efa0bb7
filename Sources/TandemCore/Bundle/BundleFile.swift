/// One column of a bundle file.
public struct BundleColumn: Sendable, Hashable {
    public var name: String
    public var required: Bool
    /// Free text keeps its surrounding spaces; every other value is trimmed.
    public var freeText: Bool

    init(_ name: String, required: Bool = false, freeText: Bool = false) {
        self.name = name
        self.required = required
        self.freeText = freeText
    }
}

/// The files of a workspace bundle (FORMATS.md), in the order they are imported: every file
/// refers only to files before it. `partnership_events.csv` and `reviews.csv` extend FORMATS.md
/// (docs/bundle.md): a partnership's dated changes of status and its business reviews.
public enum BundleFile: String, CaseIterable, Sendable {
    case territories, organizations, branches, people, employments, interactions
    case partnerships, goals, goalProgress = "goal_progress", commitments, contributions, risks
    case partnershipEvents = "partnership_events", reviews
    case sales

    /// The file's name inside the bundle folder.
    public var fileName: String { rawValue + ".csv" }

    /// The columns FORMATS.md defines, in its order, which is also the export order.
    public var columns: [BundleColumn] {
        switch self {
        case .territories:
            [.init("code", required: true), .init("name", required: true), .init("parent_code"), .init("country")]
        case .organizations:
            [.init("key", required: true), .init("name", required: true), .init("kind", required: true),
             .init("country"), .init("currency"), .init("is_home")]
        case .branches:
            [.init("key", required: true), .init("organization_key", required: true), .init("name", required: true),
             .init("city"), .init("country"), .init("territory_code")]
        case .people:
            [.init("key", required: true), .init("name", required: true), .init("email"), .init("phone"), .init("country")]
        case .employments:
            [.init("person_key", required: true), .init("organization_key", required: true), .init("branch_key"),
             .init("function", required: true), .init("title"), .init("start_date", required: true), .init("end_date")]
        case .interactions:
            [.init("key", required: true), .init("date", required: true), .init("kind", required: true),
             .init("initiator_key", required: true), .init("participant_keys", required: true),
             .init("duration_minutes"), .init("summary", freeText: true)]
        case .partnerships:
            [.init("key", required: true), .init("counterpart_key", required: true), .init("status", required: true),
             .init("commitment", required: true), .init("agreement_date"), .init("signed_by_keys"),
             .init("territory_codes"), .init("notes", freeText: true)]
        case .goals:
            [.init("key", required: true), .init("partnership_key", required: true), .init("metric", required: true),
             .init("unit"), .init("baseline"), .init("target", required: true), .init("due_date"), .init("owner_keys")]
        case .goalProgress:
            [.init("goal_key", required: true), .init("date", required: true), .init("value", required: true)]
        case .commitments:
            [.init("key", required: true), .init("partnership_key", required: true), .init("party_key", required: true),
             .init("asset", required: true), .init("amount", required: true), .init("unit"), .init("currency"),
             .init("due_date"), .init("description", freeText: true)]
        case .contributions:
            [.init("commitment_key", required: true), .init("date", required: true), .init("amount", required: true),
             .init("confirmed_by_key"), .init("note", freeText: true)]
        case .risks:
            [.init("partnership_key", required: true), .init("party_key", required: true),
             .init("description", required: true, freeText: true), .init("exposure_amount"), .init("currency")]
        case .partnershipEvents:
            [.init("partnership_key", required: true), .init("date", required: true), .init("status", required: true),
             .init("note", freeText: true)]
        case .reviews:
            [.init("key", required: true), .init("partnership_key", required: true), .init("date", required: true),
             .init("visibility", required: true), .init("attendee_keys"), .init("notes", freeText: true)]
        case .sales:
            [.init("period", required: true), .init("manufacturer_key", required: true), .init("branch_key", required: true),
             .init("product_line"), .init("sell_in_amount"), .init("sell_through_amount"),
             .init("manufacturer_gross_profit"), .init("distributor_gross_profit"), .init("currency")]
        }
    }

    /// The header row an export writes.
    public var header: [String] { columns.map(\.name) }
}
