/// What can be merged: people, organizations and branches.
public enum MergeKind: String, Sendable, CaseIterable, Codable {
    case person, organization, branch
}

/// Two records that look like one, and why.
public struct DuplicateCandidate: Sendable, Codable, Equatable {
    public var kind: MergeKind
    /// The record to keep (the older one) and the one to merge into it.
    public var keep: String
    public var merge: String
    public var keepName: String
    public var mergeName: String
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case kind, keep, merge, reason
        case keepName = "keep_name"
        case mergeName = "merge_name"
    }

    public init(kind: MergeKind, keep: String, merge: String, keepName: String, mergeName: String, reason: String) {
        self.kind = kind
        self.keep = keep
        self.merge = merge
        self.keepName = keepName
        self.mergeName = mergeName
        self.reason = reason
    }
}

/// What a merge moved onto the record kept.
public struct MergeResult: Sendable, Codable, Equatable {
    public var kind: MergeKind
    public var kept: String
    public var merged: String
    /// Rows that now refer to the kept record, by what they are.
    public var moved: [String: Int]
    /// Values the kept record took from the merged one because it had none.
    public var filled: [String]

    public var summary: String {
        let parts = moved.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        return "\(kind.rawValue) \(merged) merged into \(kept)" + (parts.isEmpty ? "" : ": moved " + parts.joined(separator: ", "))
            + (filled.isEmpty ? "" : "; took \(filled.joined(separator: ", "))")
    }

    public init(kind: MergeKind, kept: String, merged: String, moved: [String: Int], filled: [String]) {
        self.kind = kind
        self.kept = kept
        self.merged = merged
        self.moved = moved
        self.filled = filled
    }
}
