import Foundation

/// Filters and position shared by the list endpoints. Every filter is optional.
public struct ListQuery: Sendable {
    public var limit = 50
    public var cursor: String?
    public var organization: String?
    public var territory: String?
    public var function: JobFunction?
    public var person: String?
    public var branch: String?
    public var kind: String?
    public var country: String?
    public var from: LocalDate?
    public var to: LocalDate?
    public var current: Bool?

    public init() {}

    public static let maxLimit = 500
}
