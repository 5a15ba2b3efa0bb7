import TandemCore
import TandemWorkspace
import Vapor

/// An RFC 9457 problem document; `errors` lists field problems when there are any.
struct ProblemDetails: Content {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var errors: [FieldIssue]?
}

/// Turns every error into `application/problem+json` with a status that says what went wrong.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return Self.response(for: error, request: request)
        }
    }

    static func response(for error: any Error, request: Request) -> Response {
        let problem = self.problem(for: error, request: request)
        // Pages get a page; the API (and the stylesheet) a problem document.
        if !request.url.path.hasPrefix("/api/"), !["/tandem.css", "/tandem.js", "/suggest/people", "/metrics"].contains(request.url.path) {
            let page = Layout.error(request, status: HTTPResponseStatus(statusCode: problem.problem.status), message: problem.problem.detail)
            for (name, value) in problem.headers where name.lowercased() != "content-type" { page.headers.replaceOrAdd(name: name, value: value) }
            return page
        }
        let response = Response(status: HTTPResponseStatus(statusCode: problem.problem.status))
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            response.body = .init(data: try encoder.encode(problem.problem))
        } catch {
            response.body = .init(string: "{\"status\":\(problem.problem.status)}")
        }
        for (name, value) in problem.headers where name.lowercased() != "content-type" { response.headers.replaceOrAdd(name: name, value: value) }
        response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
        return response
    }

    static func problem(for error: any Error, request: Request) -> (problem: ProblemDetails, headers: HTTPHeaders) {
        let problem: ProblemDetails
        var extraHeaders = HTTPHeaders()
        switch error {
        case let store as StoreError:
            switch store {
            case .notFound:
                problem = ProblemDetails(type: "about:blank", title: "Not Found", status: 404, detail: store.description)
            case .invalid(let issues):
                problem = ProblemDetails(type: "about:blank", title: "Unprocessable Content", status: 422,
                                         detail: "the request has \(issues.count) invalid field\(issues.count == 1 ? "" : "s"): \(store.description)", errors: issues)
            case .conflict(let message):
                problem = ProblemDetails(type: "about:blank", title: "Conflict", status: 409, detail: message)
            }
        case let decoding as DecodingError:
            problem = ProblemDetails(type: "about:blank", title: "Bad Request", status: 400, detail: Self.describe(decoding))
        case is RouteNotFound where !request.application.allowedMethods(for: request.url.path).isEmpty:
            // The path exists but not with this method: 405 with the methods it has (RFC 9110 §15.5.6).
            let allowed = request.application.allowedMethods(for: request.url.path)
            problem = ProblemDetails(type: "about:blank", title: "Method Not Allowed", status: 405,
                                     detail: "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: ", "))")
            extraHeaders.replaceOrAdd(name: .allow, value: allowed.joined(separator: ", "))
        case let abort as any AbortError:
            problem = ProblemDetails(type: "about:blank", title: abort.status.reasonPhrase, status: Int(abort.status.code), detail: abort.reason)
            extraHeaders = abort.headers
        case _ where DatabaseBusy.describes(error):
            // Writes queued behind an import, a database locked by another process, or a pool with
            // no connection to give: the request may be sent again. Logged, as a sign of load.
            request.logger.warning("answered 503, the database is busy: \(DatabaseBusy.summary(of: error))")
            problem = ProblemDetails(type: "about:blank", title: "Service Unavailable", status: 503, detail: DatabaseBusy().description)
            extraHeaders.replaceOrAdd(name: .retryAfter, value: "5")
        case _ where Self.isUniqueViolation(error):
            // Two requests raced to create the same record: the loser is told, not a 500.
            problem = ProblemDetails(type: "about:blank", title: "Conflict", status: 409,
                                     detail: "another request created the same record at the same time; read it and try again")
        default:
            request.logger.report(error: error)
            problem = ProblemDetails(type: "about:blank", title: "Internal Server Error", status: 500,
                                     detail: "the server could not complete the request; it has been logged")
        }
        return (problem, extraHeaders)
    }

    /// A unique constraint refused a write (PostgreSQL's 23505, SQLite's "UNIQUE constraint failed").
    static func isUniqueViolation(_ error: any Error) -> Bool {
        let text = String(reflecting: error)
        return text.contains("sqlState: 23505") || text.contains("UNIQUE constraint failed")
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue.snakeCased }
            return names.isEmpty ? "body" : names.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(Self.name(of: type))"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(Self.name(of: type)), found null"
        case .keyNotFound(let key, let context): return "\(path(context)): missing \(key.stringValue.snakeCased)"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "the body could not be read"
        }
    }

    static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [String].Type, is [Any].Type: "an array"
        default: "a value of another type"
        }
    }
}

extension String {
    var snakeCased: String {
        var result = ""
        for character in self {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

struct RoutePathsKey: StorageKey {
    typealias Value = [(method: String, path: [PathComponent])]
}

extension Application {
    /// Remembers the routes' paths once they are all registered, for `allowedMethods(for:)`.
    func rememberRoutePaths() {
        storage[RoutePathsKey.self] = routes.all.map { ($0.method.rawValue, $0.path.filter { $0 != .constant("") }) }
    }

    /// The methods the routes answer on `path` (HEAD wherever GET is), sorted; empty when no route has that path.
    func allowedMethods(for path: String) -> [String] {
        let parts = path.split(separator: "/").map(String.init)
        func matches(_ pattern: [PathComponent]) -> Bool {
            for (index, component) in pattern.enumerated() {
                switch component {
                case .catchall: return parts.count > index
                case .constant(let text): if index >= parts.count || parts[index] != text { return false }
                case .parameter, .anything: if index >= parts.count { return false }
                }
            }
            return parts.count == pattern.count
        }
        var methods = Set((storage[RoutePathsKey.self] ?? []).filter { matches($0.path) }.map(\.method))
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }
}
