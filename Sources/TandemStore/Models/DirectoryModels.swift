import FluentKit

final class TerritoryModel: Model, @unchecked Sendable {
    static let schema = "territories"
    // managed
    @ID(custom: .id, generatedBy: .database) var id: Int64?
    // references
    @Field(key: "workspace_id") var workspaceID: Int64
    @OptionalField(key: "parent_id") var parentID: Int64?
    // data
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalField(key: "country") var country: String?

    init() {}
}

final class OrganizationModel: Model, @unchecked Sendable {
    static let schema = "organizations"
    // managed
    @ID(custom: .id, generatedBy: .database) var id: Int64?
    // references
    @Field(key: "workspace_id") var workspaceID: Int64
    // data
    @Field(key: "key") var key: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "country") var country: String?
    @OptionalField(key: "currency") var currency: String?
    @Field(key: "is_home") var isHome: Bool

    init() {}
}

final class BranchModel: Model, @unchecked Sendable {
    static let schema = "branches"
    // managed
    @ID(custom: .id, generatedBy: .database) var id: Int64?
    // references
    @Field(key: "workspace_id") var workspaceID: Int64
    @Field(key: "organization_id") var organizationID: Int64
    @OptionalField(key: "territory_id") var territoryID: Int64?
    // data
    @Field(key: "key") var key: String
    @Field(key: "name") var name: String
    @OptionalField(key: "city") var city: String?
    @OptionalField(key: "country") var country: String?

    init() {}
}

final class PersonModel: Model, @unchecked Sendable {
    static let schema = "people"
    // managed
    @ID(custom: .id, generatedBy: .database) var id: Int64?
    // references
    @Field(key: "workspace_id") var workspaceID: Int64
    // data
    @Field(key: "key") var key: String
    @Field(key: "name") var name: String
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "country") var country: String?

    init() {}
}

final class EmploymentModel: Model, @unchecked Sendable {
    static let schema = "employments"
    // managed
    @ID(custom: .id, generatedBy: .database) var id: Int64?
    // references
    @Field(key: "workspace_id") var workspaceID: Int64
    @Field(key: "person_id") var personID: Int64
    @Field(key: "organization_id") var organizationID: Int64
    @OptionalField(key: "branch_id") var branchID: Int64?
    // data
    @Field(key: "function") var function: String
    @OptionalField(key: "title") var title: String?
    @Field(key: "start_date") var startDate: String
    @OptionalField(key: "end_date") var endDate: String?

    init() {}
}

final class InteractionModel: Model, @unchecked Sendable {
    static let schema = "interactions"
    // managed
    @ID(custom: .id, generatedBy: .database) var id: Int64?
    // references
    @Field(key: "workspace_id") var workspaceID: Int64
    @Field(key: "initiator_id") var initiatorID: Int64
    // data
    @Field(key: "key") var key: String
    @Field(key: "occurred_on") var occurredOn: String
    @OptionalField(key: "occurred_at") var occurredAt: String?
    @Field(key: "kind") var kind: String
    @OptionalField(key: "duration_minutes") var durationMinutes: Int64?
    @OptionalField(key: "summary") var summary: String?

    init() {}
}
