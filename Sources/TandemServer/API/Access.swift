import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// Who may call a route of the JSON API.
enum AccessRule: String, Sendable {
    /// Anyone (the API's description).
    case open
    /// Every user of the workspace but partner guests.
    case read
    /// Admins and managers.
    case write
    /// Admins, managers and salespeople: logging interactions.
    case interactions
    /// The partnership's shared space: the home company's users by role (reads for all, writes for
    /// admins and managers), partner guests only in their own partnerships, scoped by the handler.
    case shared
    /// Admins only: the audit trail and the server's metrics.
    case admin
    /// Admins and managers, reads included: likely duplicates, which only they merge.
    case managers

    /// The rule of a route, from its method and path (`api/v1/partnerships/:key`).
    static func of(method: HTTPMethod, path: String) -> AccessRule {
        if path == "api/v1/openapi.json" { return .open }
        if path == "api/v1/audit" || path == "metrics" { return .admin }
        if path == "api/v1/duplicates" || path == "api/v1/merges" { return .managers }
        let resource = path.split(separator: "/").dropFirst(2).first.map(String.init) ?? ""
        if ["partnerships", "goals", "pledges", "contributions"].contains(resource) { return .shared }
        if method == .GET { return .read }
        return resource == "interactions" ? .interactions : .write
    }
}

extension Request {
    private struct PrincipalKey: StorageKey { typealias Value = Principal }

    /// The signed-in user of this request (set by `AuthenticationMiddleware`).
    var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }
}

/// Authenticates every API request by its bearer token, in the served workspace only, and
/// applies the route's `AccessRule`: 401 without a valid token; 404 for what a partner guest may
/// not know exists; 403 for what a role may see but not change.
struct AuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.route?.path.map(\.description).joined(separator: "/") ?? request.url.path
        let rule = AccessRule.of(method: request.method, path: path)
        if rule == .open { return try await next.respond(to: request) }
        let now = Date()
        guard let token = request.headers.bearerAuthorization?.token,
              let principal = try await request.workspace.principal(tokenHash: Accounts.digest(token), now: Accounts.timestamp(now),
                                                                   usedSince: Accounts.timestamp(now.addingTimeInterval(-3600))) else {
            throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer realm=\"tandem\""],
                        reason: "sign in: send a token as Authorization: Bearer … (tandem token create)")
        }
        request.principal = principal
        let reading = request.method == .GET || request.method == .HEAD
        switch (rule, principal.role) {
        case (.open, _), (_, .admin):
            break
        case (.admin, .manager), (.admin, .salesperson):
            throw Abort(.forbidden, reason: path == "metrics" ? "the server's metrics are for admins" : "the audit trail is for admins")
        case (_, .manager):
            break
        case (.shared, .partnerGuest):
            break  // scoped by the partnership handlers
        case (_, .partnerGuest):
            throw Abort(.notFound, reason: "no such resource")
        case (.read, .salesperson), (.interactions, .salesperson):
            break
        case (.shared, .salesperson) where reading:
            break
        case (.managers, .salesperson):
            throw Abort(.forbidden, reason: "duplicates are listed and merged by managers and admins")
        case (.write, .salesperson), (.shared, .salesperson):
            throw Abort(.forbidden, reason: "a salesperson reads the workspace and logs interactions; this change needs a manager")
        }
        return try await next.respond(to: request)
    }
}

/// Appends every change made through the API to the audit trail: who, what, when, from where.
struct AuditMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        guard request.method != .GET, request.method != .HEAD, response.status.code < 400, let principal = request.principal else { return response }
        do {
            try await request.workspace.audit("api.\(request.method.rawValue.lowercased())", actor: principal.email, target: request.url.path,
                                             detail: String(response.status.code), address: request.clientAddress, now: Accounts.now())
        } catch {
            request.logger.error("could not append to the audit trail: \(String(reflecting: error))")
        }
        return response
    }
}
extension AuditEntry: Content {}
