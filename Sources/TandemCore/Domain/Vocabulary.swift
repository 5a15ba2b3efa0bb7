/// What kind of company an organization is.
public enum OrganizationKind: String, CaseIterable, Codable, Sendable {
    case manufacturer, distributor, repAgency = "rep_agency", buyingGroup = "buying_group", endCustomer = "end_customer"
}

/// The job a person does in an employment.
public enum JobFunction: String, CaseIterable, Codable, Sendable {
    case insideSales = "inside_sales", outsideSales = "outside_sales", salesManagement = "sales_management"
    case purchasing, marketing, executive, other
}

/// Whether a kind of interaction builds the relationship or only moves an order.
public enum InteractionCategory: String, Codable, Sendable {
    case relational, transactional, neutral
}

/// The kind of a dealing between people.
public enum InteractionKind: String, CaseIterable, Codable, Sendable {
    case visit, call, meeting, jointCustomerCall = "joint_customer_call", training
    case businessReview = "business_review", event, problemResolution = "problem_resolution", planning
    case quoteRequest = "quote_request", orderRequest = "order_request", pricingRequest = "pricing_request"
    case expedite, complaint
    case email, other

    /// Relational, transactional or neutral, as FORMATS.md defines.
    public var category: InteractionCategory {
        switch self {
        case .visit, .call, .meeting, .jointCustomerCall, .training, .businessReview, .event, .problemResolution, .planning:
            .relational
        case .quoteRequest, .orderRequest, .pricingRequest, .expedite, .complaint:
            .transactional
        case .email, .other:
            .neutral
        }
    }
}

/// Where a partnership stands in its lifecycle.
public enum PartnershipStatus: String, CaseIterable, Codable, Sendable {
    case proposed, active, suspended, ended
}

/// How the commitment to a partnership was made.
public enum CommitmentForm: String, CaseIterable, Codable, Sendable {
    case expressed, implied, none
}

/// What a party pledges to a partnership.
public enum AssetKind: String, CaseIterable, Codable, Sendable {
    case timeHours = "time_hours", money, inventory, people, training, exclusivity, other
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// The accepted spellings, for error messages: `a`, `b` or `c`.
    public static var spellings: String {
        let names = allCases.map { "`\($0.rawValue)`" }
        guard names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }
}

/// What a user may do (issue [D]): an admin everything, users and the audit trail included; a
/// manager everything in the workspace but users; a salesperson reads the workspace and writes
/// interactions; a partner guest sees only the shared space of the partnerships they were
/// invited to.
public enum UserRole: String, CaseIterable, Codable, Sendable {
    case admin, manager, salesperson
    case partnerGuest = "partner_guest"
}
