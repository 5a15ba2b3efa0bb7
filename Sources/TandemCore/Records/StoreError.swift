/// A problem with one field of a request.
public struct FieldIssue: Codable, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// What can go wrong in the store, with the context a caller needs to explain it.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(kind: String, key: String)
    case invalid([FieldIssue])
    case conflict(String)

    public var description: String {
        switch self {
        case .notFound(let kind, let key): "no \(kind) \"\(key)\" in this workspace"
        case .invalid(let issues): issues.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case .conflict(let message): message
        }
    }
}

/// Collects field issues while checking a request.
public struct FieldChecks: Sendable {
    public private(set) var issues: [FieldIssue] = []

    public init() {}

    public mutating func fail(_ field: String, _ message: String) {
        issues.append(FieldIssue(field: field, message: message))
    }

    /// Throws every collected issue at once.
    public func throwIfAny() throws {
        if !issues.isEmpty { throw StoreError.invalid(issues) }
    }
}
