import Synchronization
import TandemWorkspace
import Vapor

/// The revision of each user's last write through this server, so that their next reads show it
/// (`ReadYourWritesMiddleware`): by user, not by session, so a write through the API shows in the
/// same user's pages too.
final class WriteMarks: Sendable {
    private let revisions = Mutex<[Int64: Int64]>([:])

    func revision(of user: Int64) -> Int64 { revisions.withLock { $0[user] ?? 0 } }

    func mark(_ user: Int64, wrote revision: Int64) {
        revisions.withLock { $0[user] = max($0[user] ?? 0, revision) }
    }
}

struct WriteMarksKey: StorageKey { typealias Value = WriteMarks }

extension Request {
    private struct ReadRevisionKey: StorageKey { typealias Value = Int64 }

    /// The revision of the signed-in user's last write through this server (0 when none): what
    /// every read of theirs shows at least.
    var writtenRevision: Int64 {
        guard let principal else { return 0 }
        return application.storage[WriteMarksKey.self]?.revision(of: principal.userID) ?? 0
    }

    /// Marks the workspace's revision as the signed-in user's write, for a write that ends after
    /// its answer has begun (a streamed import), which `ReadYourWritesMiddleware` marks too early;
    /// nil without a user.
    var ownWriteMark: (@Sendable () async -> Void)? {
        guard let principal, let marks = application.storage[WriteMarksKey.self], let workspace = try? workspace else { return nil }
        let user = principal.userID
        return {
            if let revision = try? await workspace.revision() { marks.mark(user, wrote: revision) }
        }
    }

    /// The revision this read settled on (`ReadYourWritesMiddleware`): its answer shows every
    /// change up to it. Nil for writes and requests without a user.
    var readRevision: Int64? {
        get { storage[ReadRevisionKey.self] }
        set { storage[ReadRevisionKey.self] = newValue }
    }
}

/// Settles, for each read of a signed-in user, the revision it reads at
/// (`TandemWorkspace.readRevision(atLeast:latest:)`): at least that of the user's own last write,
/// and otherwise what the read model holds when it caught up less than a moment ago, so that
/// reads under a stream of writes do not each fold the latest one in. The read's use cases read
/// the assessment at that revision (`TandemWorkspace.$readsAt`), and the caches serve answers
/// that show it. After a write of the user answers, the workspace's revision is marked as theirs.
/// Placed after the middleware that signs the request in.
struct ReadYourWritesMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let principal = request.principal else { return try await next.respond(to: request) }
        let workspace = try request.workspace
        guard request.method == .GET || request.method == .HEAD else {
            let response = try await next.respond(to: request)
            if response.status.code < 400, let marks = request.application.storage[WriteMarksKey.self] {
                marks.mark(principal.userID, wrote: try await workspace.revision())
            }
            return response
        }
        let latest = principal.workspaceRevision
        let revision = await workspace.readRevision(atLeast: request.writtenRevision, latest: latest) ?? latest
        request.readRevision = revision
        return try await TandemWorkspace.$readsAt.withValue(revision) { try await next.respond(to: request) }
    }
}
