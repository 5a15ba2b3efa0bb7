import Synchronization
import TandemStore
import Vapor

/// The encoded answers of the directory's list endpoints, by URL, for the workspace's current
/// revision (`WorkspaceRepository.beginWrite` counts one more on every write, on any server).
///
/// Those lists are the same for every caller allowed to read them (partner guests are not), so an
/// answer computed for one caller serves every other until the workspace changes. The revision is
/// read by the same query that authenticates the caller, so a cached answer costs no query of its
/// own. An answer for an older revision is never served: when a newer one is seen, the cache
/// starts over, and it also starts over when it holds `capacity` bytes.
final class ListResponseCache: Sendable {
    private struct State {
        var revision: Int64 = .min
        var bodies: [String: ByteBuffer] = [:]
        var bytes = 0
    }

    /// The most bytes of bodies held; 0 turns the cache off.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The body cached for `uri` at `revision`.
    func body(for uri: String, revision: Int64) -> ByteBuffer? {
        guard capacity > 0 else { return nil }
        return state.withLock { state in
            state.revision == revision ? state.bodies[uri] : nil
        }
    }

    /// Keeps `body` as the answer for `uri` at `revision`, unless a newer revision has been seen.
    func store(_ body: ByteBuffer, for uri: String, revision: Int64) {
        guard capacity > 0, body.readableBytes <= capacity / 8 else { return }
        state.withLock { state in
            if revision < state.revision { return }
            if revision > state.revision || state.bytes + body.readableBytes > capacity {
                state = State(revision: revision)
            }
            state.bytes += body.readableBytes - (state.bodies.updateValue(body, forKey: uri)?.readableBytes ?? 0)
        }
    }

    /// How many answers are held (for tests).
    var count: Int { state.withLock { $0.bodies.count } }
}

/// Answers the GET of a directory list from `ListResponseCache` when it can, and caches what the
/// route answers otherwise. Placed after `AuthenticationMiddleware`, which has read the revision.
struct ListCacheMiddleware: AsyncMiddleware {
    let cache: ListResponseCache

    /// The routes whose answer depends only on the URL and the workspace's data: the directory's
    /// lists (no date defaults to today, nothing depends on who asks among those who may read).
    static let lists: Set<String> = ["territories", "organizations", "branches", "people", "employments", "interactions"]
        .reduce(into: []) { $0.insert("api/v1/" + $1) }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET, let principal = request.principal, !principal.isGuest,
              let path = request.route?.path.map(\.description).joined(separator: "/"), Self.lists.contains(path) else {
            return try await next.respond(to: request)
        }
        let uri = request.url.string
        let revision = principal.workspaceRevision
        if let body = cache.body(for: uri, revision: revision) {
            return Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(buffer: body))
        }
        let response = try await next.respond(to: request)
        if response.status == .ok, let body = response.body.buffer {
            cache.store(body, for: uri, revision: revision)
        }
        return response
    }
}
