import Foundation
import TandemCore
import TandemStore

/// Likely duplicate people, organizations and branches, and merging one into the record kept.
extension TandemWorkspace {
    public func duplicates() async throws -> [DuplicateCandidate] { try await directory.duplicates() }

    /// Moves everything that refers to the duplicate onto the record kept, in one transaction
    /// written to the audit trail, and deletes the duplicate.
    public func merge(_ kind: MergeKind, keep: String, duplicate: String, actor: String?, address: String? = nil,
                      now: String = UTCTimestamp.now()) async throws -> MergeResult {
        try await write { try await directory.merge(kind, keep: keep, duplicate: duplicate, actor: actor,
                                                    address: address, now: now) }
    }
}
