import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// Sessions of the web application: a random cookie value whose SHA-256 is stored in the
/// database (so every `tandem serve` on one PostgreSQL shares them), a new one at every sign-in,
/// 30 minutes idle and 12 hours at most.
enum WebSession {
    static let cookie = "tandem_session"
    static let loginCSRFCookie = "tandem_login_csrf"
    static let idle: TimeInterval = 30 * 60
    static let absolute: TimeInterval = 12 * 60 * 60

    /// Cookie flags: HttpOnly and SameSite=Lax always, Secure behind HTTPS.
    static func cookie(_ value: String, request: Request, maxAge: Int?) -> HTTPCookies.Value {
        let secure = request.headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https" || request.url.scheme == "https"
        return HTTPCookies.Value(string: value, maxAge: maxAge, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}

extension Request {
    private struct CSRFKey: StorageKey { typealias Value = String }

    /// The signed-in session's CSRF token, for forms.
    var csrfToken: String? {
        get { storage[CSRFKey.self] }
        set { storage[CSRFKey.self] = newValue }
    }
}

/// Signs web requests in from their session cookie; pages that need a user redirect to /login.
struct SessionMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let value = request.cookies[WebSession.cookie]?.string, !value.isEmpty {
            let now = Date()
            if let (principal, csrf) = try await request.workspace.session(
                tokenHash: Accounts.digest(value), idleSince: Accounts.timestamp(now.addingTimeInterval(-WebSession.idle)),
                createdSince: Accounts.timestamp(now.addingTimeInterval(-WebSession.absolute)), now: Accounts.timestamp(now),
                refreshBefore: Accounts.timestamp(now.addingTimeInterval(-60))) {
                request.principal = principal
                request.csrfToken = csrf
            }
        }
        return try await next.respond(to: request)
    }
}

struct ClockKey: StorageKey {
    typealias Value = @Sendable () -> Date
}

extension Application {
    /// The time as the sign-in limiter counts it: the wall clock, unless a test set another.
    var now: Date { storage[ClockKey.self]?() ?? Date() }
}

/// Failed sign-ins per address and per account, with a back-off that doubles after the third
/// failure (2 s, 4 s, … up to 15 minutes). Counted in the database, so every server process on
/// one database shares the count; a count with no failure for a day starts again.
struct SignInLimiter {
    let accounts: TandemWorkspace
    static let free = 3
    static let maximum: TimeInterval = 15 * 60
    static let forgetAfter: TimeInterval = 24 * 60 * 60

    /// Seconds to wait before another attempt for any of `keys`, or nil when one may go ahead.
    func wait(_ keys: [String], now: Date = Date()) async throws -> Int? {
        guard let text = try await accounts.signInBlockedUntil(keys), let until = try? Date(text, strategy: .iso8601), until > now else { return nil }
        return Int(until.timeIntervalSince(now).rounded(.up))
    }

    func failed(_ keys: [String], now: Date = Date()) async throws {
        for key in keys {
            let failures = try await accounts.countFailedSignIn(key, now: Accounts.timestamp(now),
                                                                forgetBefore: Accounts.timestamp(now.addingTimeInterval(-Self.forgetAfter)))
            if failures > Self.free {
                let delay = min(pow(2, Double(failures - Self.free)), Self.maximum)
                try await accounts.blockSignIn(key, until: Accounts.timestamp(now.addingTimeInterval(delay)))
            }
        }
    }

    func succeeded(_ keys: [String]) async throws {
        try await accounts.forgetFailedSignIns(keys)
    }
}

/// Security headers on every response.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "Content-Security-Policy",
                                      value: "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        return response
    }
}

/// /login and /logout.
struct SignInController: RouteCollection {
    struct Form: Content {
        var email: String?
        var password: String?
        var csrf: String?
        var next: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("login") { req in Self.page(req, message: nil, status: .ok) }
        routes.post("login") { req in try await Self.signIn(req) }
        routes.post("logout") { req in try await Self.signOut(req) }
    }

    static func signIn(_ req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        guard let expected = req.cookies[WebSession.loginCSRFCookie]?.string, !expected.isEmpty, form.csrf == expected else {
            return page(req, message: "The form expired: please sign in again.", status: .forbidden)
        }
        // What was typed, when it is no e-mail address, is still the account the limiter and the
        // audit trail name: without control characters and at most 254 characters long.
        let email = TandemWorkspace.normalized(email: form.email ?? "")
            ?? String(String.UnicodeScalarView((form.email ?? "").lowercased().unicodeScalars.filter { $0.properties.generalCategory != .control }).prefix(254))
        let address = req.clientAddress ?? "unknown"
        let keys = ["address:\(address)", "account:\(email)"]
        let accounts = try req.workspace
        let limiter = SignInLimiter(accounts: accounts)
        let now = req.application.now
        if let seconds = try await limiter.wait(keys, now: now) {
            let response = page(req, message: "Too many failed sign-ins: try again in \(seconds) seconds.", status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            return response
        }
        let stored = try await accounts.passwordHash(email: email)
        let password = form.password ?? ""
        // Always run Bcrypt, so that an unknown address takes as long as a wrong password.
        let hash = stored?.hash ?? Accounts.decoyHash
        let matches = try await req.application.threadPool.runIfActive { Accounts.verify(password: password, hash: hash) }
        guard let stored, matches else {
            try await limiter.failed(keys, now: now)
            try await accounts.audit("login.failed", actor: email, target: nil, detail: nil, address: address, now: Accounts.now())
            return page(req, message: "Wrong e-mail address or password.", status: .unauthorized)
        }
        try await limiter.succeeded(keys)
        // A new session id at every sign-in; whatever session cookie came with the request is dropped.
        if let old = req.cookies[WebSession.cookie]?.string { try await accounts.deleteSession(tokenHash: Accounts.digest(old)) }
        let token = Accounts.newToken()
        try await accounts.createSession(userID: stored.userID, tokenHash: Accounts.digest(token), csrfToken: Accounts.newToken(), now: Accounts.now())
        try await accounts.audit("login", actor: email, target: nil, detail: nil, address: address, now: Accounts.now())
        let response = req.redirect(to: PageGuard.safeTarget(form.next), redirectType: .normal)
        response.cookies[WebSession.cookie] = WebSession.cookie(token, request: req, maxAge: Int(WebSession.absolute))
        response.cookies[WebSession.loginCSRFCookie] = WebSession.cookie("", request: req, maxAge: 0)
        return response
    }

    static func signOut(_ req: Request) async throws -> Response {
        struct Logout: Content { var csrf: String? }
        guard let principal = req.principal, let csrf = req.csrfToken else { return req.redirect(to: "/login", redirectType: .normal) }
        guard (try? req.content.decode(Logout.self).csrf) == csrf else { throw Abort(.forbidden, reason: "the form is missing its CSRF token") }
        if let value = req.cookies[WebSession.cookie]?.string { try await req.workspace.deleteSession(tokenHash: Accounts.digest(value)) }
        try await req.workspace.audit("logout", actor: principal.email, target: nil, detail: nil, address: req.clientAddress, now: Accounts.now())
        let response = req.redirect(to: "/login", redirectType: .normal)
        response.cookies[WebSession.cookie] = WebSession.cookie("", request: req, maxAge: 0)
        return response
    }

    /// The sign-in form, with a fresh CSRF token in a cookie and a hidden field (double submit).
    static func page(_ req: Request, message: String?, status: HTTPStatus) -> Response {
        let csrf = Accounts.newToken()
        let response = Layout.document(title: "Sign in", status: status, body: .body(.main(.id("main"), .class("narrow"),
            .h1(.text("Sign in to Tandem")),
            .unwrap(message) { .p(.class("error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .form(.method(.post), .action("/login"),
                  .input(.type(.hidden), .name("csrf"), .value(csrf)),
                  .input(.type(.hidden), .name("next"), .value(SVG.escape(PageGuard.safeTarget(req.query[String.self, at: "next"] ?? (try? req.content.decode(Form.self))?.next)))),
                  .p(.label(.for("email"), .text("E-mail address")), .br(),
                     .input(.id("email"), .name("email"), .type(.email), .attribute(named: "autocomplete", value: "username"), .required(true))),
                  .p(.label(.for("password"), .text("Password")), .br(),
                     .input(.id("password"), .name("password"), .type(.password), .attribute(named: "autocomplete", value: "current-password"),
                            .required(true), .attribute(named: "minlength", value: "12"))),
                  .p(.button(.type(.submit), .text("Sign in")))))))
        response.cookies[WebSession.loginCSRFCookie] = WebSession.cookie(csrf, request: req, maxAge: 3600)
        return response
    }
}
