import Synchronization
import TandemWorkspace
import Vapor

/// Answers computed from the workspace's data, by key, each with what it depends on
/// (`ReadDependency`), kept across the workspace's revisions (`WorkspaceRepository.beginWrite`
/// counts one more on every write, on any server) for as long as no change touches them.
///
/// A request reads at the revision the workspace's read model settled on for it
/// (`TandemWorkspace.readRevision(atLeast:latest:)`): at least that of its user's own last write.
/// Before it looks up, the cache is brought to that revision (`advance`), with what the changes in
/// between touched as the read model logged them; an answer they touched is not dropped but marked
/// stale, with the last revision it shows. A stale answer is served, while one request computes it
/// again, to the requests that need nothing newer than it shows, for at most `staleness` after the
/// change; once half of that has passed, the first request computes it again while the others are
/// still served the stale one. A request that needs newer (its user wrote since) computes or
/// waits. So under a stream of writes a page is rendered about twice per `staleness` at most, not
/// once per write; with no staleness, a touched answer is always computed again.
/// When what changed is not known, every answer is marked stale. The answers are dropped when they
/// reach `capacity` bytes. Requests for a key that another request is computing wait for it instead
/// of computing it again (after a write, every open dashboard asks at once).
final class RevisionCache<Value: Sendable>: Sendable {
    /// What `lookup` found.
    enum Lookup {
        /// The value, cached or just computed by another request.
        case hit(Value)
        /// Nobody has it: the caller computes it and hands it to `finish`, even when it fails.
        case compute
        /// The caller computes it for itself only (what it waited for shows too old a revision, or
        /// the request it waited for could not keep a value).
        case computeUncached
    }

    /// Since when a change has touched what an answer shows, and the last revision it shows.
    private struct Staleness {
        var since: ContinuousClock.Instant
        var through: Int64
    }

    private struct Kept {
        var value: Value
        var bytes: Int
        var depends: Set<ReadDependency>
        /// Nil while nothing has touched it.
        var stale: Staleness?
    }

    private struct Waiter {
        /// The revision the waiting request must see at least.
        var required: Int64
        var continuation: CheckedContinuation<Lookup, Never>
    }

    private struct Computing {
        var depends: Set<ReadDependency>
        /// The cache's revision when the computation began: what it shows at least.
        var from: Int64
        /// Set when a change touches what it depends on while it is computed.
        var stale: Staleness?
        var waiting: [Waiter] = []

        /// What to tell a waiting request once the value is there (or is not).
        func answer(_ waiter: Waiter, value: Value?) -> Lookup {
            guard let value, stale.map({ $0.through >= waiter.required }) ?? true else { return .computeUncached }
            return .hit(value)
        }
    }

    private struct State {
        var revision: Int64 = .min
        var values: [String: Kept] = [:]
        var bytes = 0
        /// Keys being computed, with the requests waiting for them.
        var computing: [String: Computing] = [:]

        /// Moves to `revision`, marking stale what depends on `changed` (everything when nil).
        mutating func advance(to revision: Int64, changed: Set<ReadDependency>?, now: ContinuousClock.Instant) {
            let through = self.revision
            self.revision = revision
            for (key, kept) in values where kept.stale == nil && changed.map({ !kept.depends.isDisjoint(with: $0) }) ?? true {
                values[key]!.stale = Staleness(since: now, through: through)
            }
            for (key, computation) in computing
            where computation.stale == nil && changed.map({ !computation.depends.isDisjoint(with: $0) }) ?? true {
                computing[key]!.stale = Staleness(since: now, through: computation.from)
            }
        }
    }

    /// The most bytes held; 0 turns the cache off.
    let capacity: Int
    /// How long after a change touched it a stale answer may still be served.
    let staleness: Duration
    private let state = Mutex(State())

    init(capacity: Int, staleness: Duration = .zero) {
        self.capacity = capacity
        self.staleness = staleness
    }

    /// The revision the cache holds answers for.
    var revision: Int64 { state.withLock { $0.revision } }

    /// Brings the cache to `revision`, marking stale the answers that depend on anything in
    /// `changed` (all of them when `changed` is nil: not known). Does nothing when the cache is
    /// there already.
    func advance(to revision: Int64, changed: Set<ReadDependency>?, now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            guard revision > state.revision else { return }
            state.advance(to: revision, changed: state.revision == .min ? [] : changed, now: now)
        }
    }

    /// Brings the cache to `revision` as the read model of `workspace` logged the changes (see
    /// `advance(to:changed:)`).
    func advance(to revision: Int64, in workspace: TandemWorkspace) async {
        let current = self.revision
        guard revision > current else { return }
        advance(to: revision, changed: current == .min ? [] : await workspace.changes(from: current, to: revision))
    }

    /// The value for `key` for a request that must see revision `required` at least (the cache
    /// is at or past it: `advance` first), waiting when another request is computing it; a value
    /// computed after this depends on `depends`.
    func lookup(_ key: String, required: Int64, depends: Set<ReadDependency>,
                now: ContinuousClock.Instant = .now) async -> Lookup {
        guard capacity > 0 else { return .computeUncached }
        return await withCheckedContinuation { continuation in
            let answer: Lookup? = state.withLock { state in
                if let kept = state.values[key] {
                    guard let stale = kept.stale else { return .hit(kept.value) }
                    if stale.through >= required, now - stale.since < staleness {
                        if state.computing[key] != nil || now - stale.since < staleness / 2 { return .hit(kept.value) }
                    }
                }
                if state.computing[key] != nil {
                    state.computing[key]!.waiting.append(Waiter(required: required, continuation: continuation))
                    return nil
                }
                state.computing[key] = Computing(depends: depends, from: state.revision)
                return .compute
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Ends a `.compute` of `lookup`: keeps `value` (of `bytes` bytes) when there is one, stale
    /// when a change touched what it depends on while it was computed, and answers the requests
    /// that waited for it.
    func finish(_ key: String, value: Value?, bytes: Int = 0) {
        let answers: [(CheckedContinuation<Lookup, Never>, Lookup)] = state.withLock { state in
            guard let computation = state.computing.removeValue(forKey: key) else { return [] }
            let answers = computation.waiting.map { ($0.continuation, computation.answer($0, value: value)) }
            guard let value, bytes <= capacity / 8 else { return answers }
            if let old = state.values.removeValue(forKey: key) { state.bytes -= old.bytes }
            if state.bytes + bytes > capacity {
                // Full: the kept answers go, the requests computing others carry on.
                state.values = [:]
                state.bytes = 0
            }
            state.values[key] = Kept(value: value, bytes: bytes, depends: computation.depends, stale: computation.stale)
            state.bytes += bytes
            return answers
        }
        for (request, answer) in answers { request.resume(returning: answer) }
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

    /// The value cached for `key` that nothing has touched since (for tests).
    func value(for key: String) -> Value? {
        state.withLock { state in state.values[key].flatMap { $0.stale == nil ? $0.value : nil } }
    }

    /// Whether an answer is held for `key`, current or stale (for tests).
    func holds(_ key: String) -> Bool { state.withLock { $0.values[key] != nil } }

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
        await cache.advance(to: request.readRevision ?? principal.workspaceRevision, in: try request.workspace)
        let depends = Self.dependency(of: path, person: request.parameter("person"),
                                      filtered: Self.isFilteredBeyondPerson(request))
        let lookup = await cache.lookup(uri, required: request.writtenRevision, depends: [depends])
        if case .hit(let body) = lookup {
            return Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"],
                            body: .init(buffer: body))
        }
        return try await cache.fill(uri, after: lookup, { try await next.respond(to: request) }) { response in
            response.status == .ok ? response.body.buffer.map { ($0, $0.readableBytes) } : nil
        }
    }
}
