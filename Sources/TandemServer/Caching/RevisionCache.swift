import Synchronization
import TandemWorkspace
import Vapor

/// Answers computed from the workspace's data, by key, each with what it depends on
/// (`ReadDependency`), for the workspace's current revision (`WorkspaceRepository.beginWrite`
/// counts one more on every write, on any server).
///
/// The revision comes from the query that authenticates the caller (`Principal.workspaceRevision`),
/// so a cached answer costs no query of its own. That query runs before the answer is computed,
/// so an answer holds at least what its revision holds. When a newer revision is seen, the cache
/// is brought to it (`advance`): with what the changes in between touched, as the workspace's read
/// model logged them for the changes this process folded in, it drops only the answers that depend
/// on any of it; when that is not known (another process wrote, or a change was not folded in), it
/// starts over. An answer is never served for another revision, and the answers are dropped when
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

    private struct Kept {
        var value: Value
        var bytes: Int
        var depends: Set<ReadDependency>
    }

    private struct Computing {
        var depends: Set<ReadDependency>
        var waiting: [CheckedContinuation<Lookup, Never>] = []
    }

    private struct State {
        var revision: Int64 = .min
        var values: [String: Kept] = [:]
        var bytes = 0
        /// Keys being computed, with the requests waiting for them; a key is taken out when a
        /// change touches what it depends on, and its value is then not kept.
        var computing: [String: Computing] = [:]

        /// Starts over at `revision`; returns the requests that were waiting, to be told to compute.
        mutating func reset(_ revision: Int64) -> [CheckedContinuation<Lookup, Never>] {
            let waiting = computing.values.flatMap(\.waiting)
            self = State(revision: revision)
            return waiting
        }

        /// Moves to `revision`, dropping what depends on `changed`; returns the requests that
        /// waited for a dropped key.
        mutating func advance(to revision: Int64,
                              dropping changed: Set<ReadDependency>) -> [CheckedContinuation<Lookup, Never>] {
            self.revision = revision
            for (key, kept) in values where !kept.depends.isDisjoint(with: changed) {
                values[key] = nil
                bytes -= kept.bytes
            }
            var released: [CheckedContinuation<Lookup, Never>] = []
            for (key, computation) in computing where !computation.depends.isDisjoint(with: changed) {
                computing[key] = nil
                released += computation.waiting
            }
            return released
        }
    }

    /// The most bytes held; 0 turns the cache off.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The revision the cache holds answers for.
    var revision: Int64 { state.withLock { $0.revision } }

    /// Brings the cache to `revision`, keeping the answers that do not depend on anything in
    /// `changed`; starts over when `changed` is nil (not known). Does nothing when the cache is
    /// there already.
    func advance(to revision: Int64, changed: Set<ReadDependency>?) {
        let released: [CheckedContinuation<Lookup, Never>] = state.withLock { state in
            guard revision > state.revision else { return [] }
            guard let changed, state.revision != .min else { return state.reset(revision) }
            return state.advance(to: revision, dropping: changed)
        }
        for waiting in released { waiting.resume(returning: .computeUncached) }
    }

    /// Brings the cache to `revision` as the read model of `workspace` logged the changes (see
    /// `advance(to:changed:)`).
    func advance(to revision: Int64, in workspace: TandemWorkspace) async {
        let current = self.revision
        guard revision > current else { return }
        advance(to: revision, changed: current == .min ? nil : await workspace.changes(from: current, to: revision))
    }

    /// The value for `key` at `revision`, waiting when another request is computing it; a value
    /// computed after this depends on `depends`.
    func lookup(_ key: String, revision: Int64, depends: Set<ReadDependency>) async -> Lookup {
        guard capacity > 0 else { return .computeUncached }
        return await withCheckedContinuation { continuation in
            var released: [CheckedContinuation<Lookup, Never>] = []
            let answer: Lookup? = state.withLock { state in
                if revision > state.revision { released = state.reset(revision) }
                guard revision == state.revision else { return .computeUncached }
                if let hit = state.values[key] { return .hit(hit.value) }
                if state.computing[key] != nil {
                    state.computing[key]!.waiting.append(continuation)
                    return nil
                }
                state.computing[key] = Computing(depends: depends)
                return .compute
            }
            for waiting in released { waiting.resume(returning: .computeUncached) }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Ends a `.compute` of `lookup`: keeps `value` (of `bytes` bytes) when there is one and no
    /// change has touched what it depends on since, and answers the requests that waited for it.
    func finish(_ key: String, value: Value?, bytes: Int = 0) {
        let waiting: [CheckedContinuation<Lookup, Never>] = state.withLock { state in
            guard let computation = state.computing.removeValue(forKey: key) else { return [] }
            guard let value, bytes <= capacity / 8 else { return computation.waiting }
            if state.bytes + bytes > capacity {
                // Full: the kept answers go, the requests computing others carry on.
                state.values = [:]
                state.bytes = 0
            }
            state.values[key] = Kept(value: value, bytes: bytes, depends: computation.depends)
            state.bytes += bytes
            return computation.waiting
        }
        for request in waiting { request.resume(returning: value.map(Lookup.hit) ?? .computeUncached) }
    }

    /// Computes what `lookup` did not find, and when it was this request's to compute (`.compute`),
    /// hands `finish` what `keep` takes of the result (nothing when it throws), so that the
    /// requests waiting for it are always answered.
    func fill<Result>(_ key: String, after lookup: Lookup, _ compute: () async throws -> Result,
                      keeping keep: (Result) -> (value: Value, bytes: Int)?) async throws -> Result {
        guard case .compute = lookup else { return try await compute() }
        let result: Result
        do {
            result = try await compute()
        } catch {
            finish(key, value: nil)
            throw error
        }
        let kept = keep(result)
        finish(key, value: kept?.value, bytes: kept?.bytes ?? 0)
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
    static let lists: Set<String> = ["territories", "organizations", "branches", "people", "employments",
                                     "interactions"]
        .reduce(into: []) { $0.insert("api/v1/" + $1) }

    /// What a list depends on: one person's dealings, any dealings, or the directory (which no
    /// dealing changes).
    static func dependency(of path: String, person: String?, filtered: Bool) -> ReadDependency {
        guard path == "api/v1/interactions" else { return .directory }
        if let person, !filtered { return .interactionsOf(person) }
        return .interactions
    }

    /// Whether a list of dealings is filtered by more than its person (and paged).
    static func isFilteredBeyondPerson(_ request: Request) -> Bool {
        ["organization", "territory", "function", "branch", "kind", "country", "current", "from",
         "to"].contains { request.parameter($0) != nil }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET, let principal = request.principal, !principal.isGuest,
              let path = request.route?.path.map(\.description).joined(separator: "/"), Self.lists.contains(path) else {
            return try await next.respond(to: request)
        }
        let uri = request.url.string
        let revision = principal.workspaceRevision
        await cache.advance(to: revision, in: try request.workspace)
        let depends = Self.dependency(of: path, person: request.parameter("person"),
                                      filtered: Self.isFilteredBeyondPerson(request))
        let lookup = await cache.lookup(uri, revision: revision, depends: [depends])
        if case .hit(let body) = lookup {
            return Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"],
                            body: .init(buffer: body))
        }
        return try await cache.fill(uri, after: lookup, { try await next.respond(to: request) }) { response in
            response.status == .ok ? response.body.buffer.map { ($0, $0.readableBytes) } : nil
        }
    }
}
