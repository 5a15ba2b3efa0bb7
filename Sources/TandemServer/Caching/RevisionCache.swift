import Synchronization
import TandemWorkspace
import Vapor

/// Answers computed from the workspace's data, by key, for the workspace's current revision
/// (`WorkspaceRepository.beginWrite` counts one more on every write, on any server).
///
/// The revision comes from the query that authenticates the caller (`Principal.workspaceRevision`),
/// so a cached answer costs no query of its own. That query runs before the answer is computed,
/// so an answer holds at least what its revision holds. An answer for another revision is never
/// served: when a newer revision is seen the cache starts over, and its answers are dropped when
/// they reach `capacity` bytes. Requests for a key that another request is computing wait for it
/// instead of computing it again (after a write, every open dashboard asks at once).
final class RevisionCache<Value: Sendable>: Sendable {
    /// What `lookup` found.
    enum Lookup {
        /// The value, cached or just computed by another request.
        case hit(Value)
        /// Nobody has it: the caller computes it and hands it to `finish`, even when it fails.
        case compute
        /// The caller computes it for itself only (its revision is not the cache's, or the
        /// request it waited for could not keep a value).
        case computeUncached
    }

    private struct State {
        var revision: Int64 = .min
        var values: [String: (value: Value, bytes: Int)] = [:]
        var bytes = 0
        /// Keys being computed at `revision`, with the requests waiting for them.
        var computing: [String: [CheckedContinuation<Lookup, Never>]] = [:]

        /// Starts over at `revision`; returns the requests that were waiting, to be told to compute.
        mutating func reset(_ revision: Int64) -> [CheckedContinuation<Lookup, Never>] {
            let waiting = computing.values.flatMap { $0 }
            self = State(revision: revision)
            return waiting
        }
    }

    /// The most bytes held; 0 turns the cache off.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value for `key` at `revision`, waiting when another request is computing it.
    func lookup(_ key: String, revision: Int64) async -> Lookup {
        guard capacity > 0 else { return .computeUncached }
        return await withCheckedContinuation { continuation in
            var released: [CheckedContinuation<Lookup, Never>] = []
            let answer: Lookup? = state.withLock { state in
                if revision > state.revision { released = state.reset(revision) }
                guard revision == state.revision else { return .computeUncached }
                if let hit = state.values[key] { return .hit(hit.value) }
                if state.computing[key] != nil {
                    state.computing[key]!.append(continuation)
                    return nil
                }
                state.computing[key] = []
                return .compute
            }
            for waiting in released { waiting.resume(returning: .computeUncached) }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Ends a `.compute` of `lookup`: keeps `value` (of `bytes` bytes) when there is one and the
    /// revision is still the cache's, and answers the requests that waited for it.
    func finish(_ key: String, revision: Int64, value: Value?, bytes: Int = 0) {
        let waiting: [CheckedContinuation<Lookup, Never>] = state.withLock { state in
            guard revision == state.revision else { return [] }
            let waiting = state.computing.removeValue(forKey: key) ?? []
            guard let value, bytes <= capacity / 8 else { return waiting }
            if state.bytes + bytes > capacity {
                // Full: the kept answers go, the requests computing others carry on.
                state.values = [:]
                state.bytes = 0
            }
            state.values[key] = (value, bytes)
            state.bytes += bytes
            return waiting
        }
        for request in waiting { request.resume(returning: value.map(Lookup.hit) ?? .computeUncached) }
    }

    /// Computes what `lookup` did not find, and when it was this request's to compute (`.compute`),
    /// hands `finish` what `keep` takes of the result (nothing when it throws), so that the
    /// requests waiting for it are always answered.
    func fill<Result>(_ key: String, revision: Int64, after lookup: Lookup, _ compute: () async throws -> Result,
                      keeping keep: (Result) -> (value: Value, bytes: Int)?) async throws -> Result {
        guard case .compute = lookup else { return try await compute() }
        let result: Result
        do {
            result = try await compute()
        } catch {
            finish(key, revision: revision, value: nil)
            throw error
        }
        let kept = keep(result)
        finish(key, revision: revision, value: kept?.value, bytes: kept?.bytes ?? 0)
        return result
    }

    /// The value cached for `key` at `revision`, without waiting (for tests).
    func value(for key: String, revision: Int64) -> Value? {
        state.withLock { $0.revision == revision ? $0.values[key]?.value : nil }
    }

    /// How many values are held (for tests).
    var count: Int { state.withLock { $0.values.count } }
}

/// Answers the GET of a directory list from the cache when it can, and caches what the route
/// answers otherwise. Those lists are the same for every caller allowed to read them (partner
/// guests are not), so an answer computed for one caller serves every other until the workspace
/// changes. Placed after `AuthenticationMiddleware`, which has read the revision.
struct ListCacheMiddleware: AsyncMiddleware {
    let cache: RevisionCache<ByteBuffer>

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
        let lookup = await cache.lookup(uri, revision: revision)
        if case .hit(let body) = lookup {
            return Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(buffer: body))
        }
        return try await cache.fill(uri, revision: revision, after: lookup, { try await next.respond(to: request) }) { response in
            response.status == .ok ? response.body.buffer.map { ($0, $0.readableBytes) } : nil
        }
    }
}
