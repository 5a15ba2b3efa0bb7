import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// A page of the home company's users, rendered once per URL, role, day and revision of the
/// workspace and served to every user of that role until a change touches what it shows.
///
/// What differs between two users of one role on those pages is only in the frame (`Layout`):
/// the sign-out form's CSRF token and the "who" line. A page rendered for the cache carries
/// random marks there, and each answer puts the user's own values in their place.
struct CachedPage: Sendable {
    /// The page cut at the marks: `parts[0]`, `marks[0]`, `parts[1]`, … `parts.last`.
    var parts: [ByteBuffer]
    var marks: [PageMark]
    var headers: HTTPHeaders

    var bytes: Int { parts.reduce(0) { $0 + $1.readableBytes } }

    init?(_ body: ByteBuffer, headers: HTTPHeaders) {
        var parts: [ByteBuffer] = [], marks: [PageMark] = []
        var rest = body
        while let (offset, mark) = PageMark.first(in: rest) {
            parts.append(rest.readSlice(length: offset)!)
            rest.moveReaderIndex(forwardBy: mark.text.utf8.count)
            marks.append(mark)
        }
        parts.append(rest)
        guard !marks.isEmpty else { return nil }
        self.parts = parts
        self.marks = marks
        self.headers = headers
    }

    /// The page for `request`'s user.
    func body(for request: Request) -> ByteBuffer {
        let values = PageMark.allCases.map { $0.value(for: request) }
        var body = ByteBufferAllocator().buffer(capacity: bytes + values.reduce(0) { $0 + $1.utf8.count } * marks.count)
        for (index, part) in parts.enumerated() {
            body.writeImmutableBuffer(part)
            if index < marks.count { body.writeString(values[marks[index].rawValue]) }
        }
        return body
    }
}

/// Where a page rendered for the cache leaves room for its user's own values.
enum PageMark: Int, CaseIterable, Sendable {
    case csrf, who

    /// Random, so that no data can hold it.
    static let nonce = (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()

    var text: String {
        switch self {
        case .csrf: "tandem-csrf-\(Self.nonce)"
        case .who: "tandem-who-\(Self.nonce)"
        }
    }

    /// The value this mark stands for in `request`'s answer, escaped for HTML.
    func value(for request: Request) -> String {
        switch self {
        case .csrf: SVG.escape(request.csrfToken ?? "")
        case .who: request.principal.map(Self.who) ?? ""
        }
    }

    static func who(_ principal: Principal) -> String {
        SVG.escape("\(principal.email) · \(principal.role.rawValue.replacingOccurrences(of: "_", with: " "))")
    }

    /// The byte offset and kind of the first mark in `buffer`.
    static func first(in buffer: ByteBuffer) -> (Int, PageMark)? {
        let prefix = Array("tandem-".utf8)
        return buffer.withUnsafeReadableBytes { bytes -> (Int, PageMark)? in
            var start = 0
            while start + prefix.count <= bytes.count {
                guard let found = bytes[start...].firstIndex(of: prefix[0]) else { return nil }
                for mark in PageMark.allCases {
                    let text = mark.text.utf8
                    if found + text.count <= bytes.count, bytes[found..<found + text.count].elementsEqual(text) { return (found, mark) }
                }
                start = found + 1
            }
            return nil
        }
    }
}

extension Request {
    private struct RendersForCacheKey: StorageKey { typealias Value = Bool }

    /// Whether this page is rendered for the page cache: it then carries marks, not the user's values.
    var rendersForCache: Bool {
        get { storage[RendersForCacheKey.self] ?? false }
        set { storage[RendersForCacheKey.self] = newValue }
    }

    /// The CSRF token a form of this page carries, escaped: the session's, or on a page rendered
    /// for the cache, the mark each answer replaces with its own user's. Every form uses this, so
    /// that no page kept for others can hold one user's token.
    var formCSRF: String { rendersForCache ? PageMark.csrf.text : PageMark.csrf.value(for: self) }
}

/// Serves the pages of the routes it guards from the cache for the home company's users (partner
/// guests see pages of their own partnerships, rendered for them each time). Placed after the
/// session middleware and the page guard.
struct PageCacheMiddleware: AsyncMiddleware {
    let cache: RevisionCache<CachedPage>
    /// What the route's page shows, from its path parameters.
    let depends: @Sendable (Request) -> Set<ReadDependency>

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET, let principal = request.principal, !principal.isGuest, request.csrfToken != nil else {
            return try await next.respond(to: request)
        }
        let key = "\(principal.role.rawValue) \(request.today) \(request.url.string)"
        await cache.advance(to: request.readRevision ?? principal.workspaceRevision, in: try request.workspace)
        let lookup = await cache.lookup(key, required: request.writtenRevision, depends: depends(request))
        if case .hit(let page) = lookup {
            return Response(status: .ok, headers: page.headers, body: .init(buffer: page.body(for: request)))
        }
        let (response, page) = try await cache.fill(key, after: lookup, { () async throws -> (Response, CachedPage?) in
            // Reset before an error leaves: the page of an error is rendered outside and never kept.
            request.rendersForCache = true
            defer { request.rendersForCache = false }
            let response = try await next.respond(to: request)
            return (response, response.body.buffer.flatMap { CachedPage($0, headers: response.headers) })
        }, keeping: { (rendered: (response: Response, page: CachedPage?)) in
            rendered.response.status == .ok ? rendered.page.map { ($0, $0.bytes) } : nil
        })
        guard let page else { return response }
        return Response(status: response.status, headers: response.headers, body: .init(buffer: page.body(for: request)))
    }
}
