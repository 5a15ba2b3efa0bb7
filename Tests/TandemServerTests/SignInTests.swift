import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting

@Suite struct SignInTests {
    static let password = "correct horse battery staple"

    func form(_ fields: [String: String]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    func cookie(_ response: TestingHTTPResponse, _ name: String) -> String? {
        response.headers[.setCookie].first { $0.hasPrefix(name + "=") }
    }

    func value(_ setCookie: String?) -> String {
        setCookie.flatMap { $0.split(separator: ";").first }.map { String($0.split(separator: "=", maxSplits: 1).last ?? "") } ?? ""
    }

    @Test(arguments: ServerBackend.available)
    func signInSessionsAndSignOut(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            let accounts = try AccountRepository(database: app.db, workspaceID: try app.workspaceID)
            _ = try await accounts.createUser(email: "anna@voltwerk.example", passwordHash: try Accounts.hash(password: Self.password), role: .manager,
                                              organizationKey: nil, partnershipKeys: [], now: Accounts.now(), actor: "test")
            let tester = try app.testing()
            // Anonymous: the home page sends to /login, which sets a CSRF cookie and security headers.
            try await tester.test(.GET, "/") { response in
                #expect(response.status == .seeOther && response.headers.first(name: .location) == "/login?next=%2F")
            }
            var csrf = ""
            try await tester.test(.GET, "/login") { response in
                #expect(response.status == .ok && response.body.string.contains("name=\"email\"") && response.body.string.contains("name=\"password\""))
                let set = cookie(response, WebSession.loginCSRFCookie)
                #expect(set?.contains("HttpOnly") == true && set?.contains("SameSite=Lax") == true)
                csrf = value(set)
                #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
            }
            let formHeaders: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "\(WebSession.loginCSRFCookie)=\(csrf)"]
            // Without the form's CSRF token: refused.
            try await tester.test(.POST, "/login", headers: formHeaders, body: form(["email": "anna@voltwerk.example", "password": Self.password])) { response in
                #expect(response.status == .forbidden)
            }
            // A wrong password: 401, and the audit trail has it.
            try await tester.test(.POST, "/login", headers: formHeaders,
                                  body: form(["email": "anna@voltwerk.example", "password": "wrong password!", "csrf": csrf])) { response in
                #expect(response.status == .unauthorized && response.body.string.contains("Wrong e-mail address or password"))
            }
            #expect(try await accounts.auditTrail(limit: 1).first?.action == "login.failed")
            // Signing in brings back to the page asked for, never to another site.
            for (next, location) in [("/organizations/d1?x=1", "/organizations/d1?x=1"), ("//evil.example/", "/"), ("https://evil.example/", "/"),
                                     ("/\\evil.example", "/")] {
                try await tester.test(.GET, "/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)") { response in
                    #expect(response.body.string.contains("name=\"next\" value=\"\(location.replacingOccurrences(of: "&", with: "&amp;"))\""))
                }
                try await tester.test(.POST, "/login", headers: formHeaders,
                                      body: form(["email": "anna@voltwerk.example", "password": Self.password, "csrf": csrf, "next": next])) { response in
                    #expect(response.headers.first(name: .location) == location, "\(next)")
                }
            }
            // The right one behind HTTPS: a new session id (the one the request brought is not reused), Secure, HttpOnly, SameSite.
            var session = ""
            var secureHeaders = formHeaders
            secureHeaders.replaceOrAdd(name: "X-Forwarded-Proto", value: "https")
            secureHeaders.replaceOrAdd(name: "Cookie", value: "\(WebSession.loginCSRFCookie)=\(csrf); \(WebSession.cookie)=planted-by-an-attacker")
            try await tester.test(.POST, "/login", headers: secureHeaders,
                                  body: form(["email": "Anna@Voltwerk.example", "password": Self.password, "csrf": csrf])) { response in
                #expect(response.status == .seeOther && response.headers.first(name: .location) == "/")
                let set = cookie(response, WebSession.cookie)
                #expect(set?.contains("Secure") == true && set?.contains("HttpOnly") == true && set?.contains("SameSite=Lax") == true)
                session = value(set)
                #expect(!session.isEmpty && session != "planted-by-an-attacker")
            }
            // Signed in: the home page, with a sign-out form carrying the session's CSRF token.
            var logoutToken = ""
            try await tester.test(.GET, "/", headers: ["Cookie": "\(WebSession.cookie)=\(session)"]) { response in
                #expect(response.status == .ok && response.body.string.contains("anna@voltwerk.example"))
                let html = response.body.string
                if let range = html.range(of: "name=\"csrf\" value=\"") {
                    logoutToken = String(html[range.upperBound...].prefix { $0 != "\"" })
                }
            }
            let sessionHeaders: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "\(WebSession.cookie)=\(session)"]
            try await tester.test(.POST, "/logout", headers: sessionHeaders, body: form(["csrf": "forged"])) { response in
                #expect(response.status == .forbidden)
            }
            try await tester.test(.POST, "/logout", headers: sessionHeaders, body: form(["csrf": logoutToken])) { response in
                #expect(response.status == .seeOther && response.headers.first(name: .location) == "/login")
            }
            try await tester.test(.GET, "/", headers: ["Cookie": "\(WebSession.cookie)=\(session)"]) { response in
                #expect(response.status == .seeOther, "the session ended with the sign-out")
            }
            #expect(try await accounts.auditTrail(limit: 2).map(\.action) == ["logout", "login"])
        }
    }

    @Test func whatIsStoredOfATokenIsItsSHA256InLowercaseHex() {
        // The digest every stored session and token was written with: it must never change.
        #expect(Accounts.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Accounts.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func failedSignInsBackOff() async throws {
        try await withTandemApp { app in
            // a clock that stands still: the back-off must not depend on how fast Bcrypt runs
            let start = Date()
            app.storage[ClockKey.self] = { start }
            let tester = try app.testing()
            var csrf = ""
            try await tester.test(.GET, "/login") { response in csrf = value(cookie(response, WebSession.loginCSRFCookie)) }
            let headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "\(WebSession.loginCSRFCookie)=\(csrf)"]
            var statuses: [UInt] = []
            for _ in 0..<5 {
                try await tester.test(.POST, "/login", headers: headers,
                                      body: form(["email": "nobody@voltwerk.example", "password": "not the password", "csrf": csrf])) { response in
                    statuses.append(response.status.code)
                    if response.status == .tooManyRequests { #expect(response.headers.first(name: .retryAfter) != nil) }
                }
            }
            // three free tries, the fourth starts a back-off: the fifth must wait
            #expect(statuses == [401, 401, 401, 401, 429])
        }
    }

    @Test(arguments: ServerBackend.available)
    func theLimiterDoublesItsWaitForgetsOnSuccessAndAfterADay(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            let limiter = SignInLimiter(accounts: try app.workspace)
            let start = Date(timeIntervalSince1970: 1_000_000)
            for _ in 0..<3 { try await limiter.failed(["a"], now: start) }
            #expect(try await limiter.wait(["a"], now: start) == nil)
            try await limiter.failed(["a"], now: start)
            #expect(try await limiter.wait(["a"], now: start) == 2)
            try await limiter.failed(["a"], now: start)
            #expect(try await limiter.wait(["a", "b"], now: start) == 4)
            #expect(try await limiter.wait(["a"], now: start.addingTimeInterval(4)) == nil)
            try await limiter.succeeded(["a"])
            #expect(try await limiter.wait(["a"], now: start) == nil)
            // failures a day apart do not add up
            for day in 0..<5 { try await limiter.failed(["c"], now: start.addingTimeInterval(Double(day) * 86_401)) }
            #expect(try await limiter.wait(["c"], now: start.addingTimeInterval(4 * 86_401)) == nil)
        }
    }

    /// Two server processes on one database: failures through one hold back sign-ins through the other.
    @Test(arguments: ServerBackend.available)
    func serversOnOneDatabaseShareTheLimit(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            let other = try await Application.make(.testing)
            other.logger.logLevel = .error
            do {
                try await configure(other, settings: app.storage[SettingsKey.self]!)
                let start = Date()
                for server in [app, other] { server.storage[ClockKey.self] = { start } }
                for server in [app, app, other, other] {
                    let tester = try server.testing()
                    var csrf = ""
                    try await tester.test(.GET, "/login") { response in csrf = value(cookie(response, WebSession.loginCSRFCookie)) }
                    try await tester.test(.POST, "/login", headers: ["Cookie": "\(WebSession.loginCSRFCookie)=\(csrf)", "Content-Type": "application/x-www-form-urlencoded"],
                                          body: form(["email": "admin@test.example", "password": "not the password", "csrf": csrf])) { response in
                        #expect(response.status == .unauthorized)
                    }
                }
                var csrf = ""
                try await app.testing().test(.GET, "/login") { response in csrf = value(cookie(response, WebSession.loginCSRFCookie)) }
                try await app.testing().test(.POST, "/login", headers: ["Cookie": "\(WebSession.loginCSRFCookie)=\(csrf)", "Content-Type": "application/x-www-form-urlencoded"],
                                             body: form(["email": "admin@test.example", "password": "not the password", "csrf": csrf])) { response in
                    #expect(response.status == .tooManyRequests)
                }
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }
}

/// The account tables' timestamps, written by hand, are what Foundation's ISO 8601 formatter writes
/// for whole seconds; a fraction of a second is dropped towards the past, before 1970 as after
/// (Foundation's formatter rounds those towards 1970 instead, so it is not the reference there).
@Suite struct TimestampTests {
    @Test func timestampsAreISO8601InUTCToTheSecond() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let wholeSeconds = [0, -1, 86_399, 86_400, -86_401, 951_782_400, 1_798_761_599, 4_102_444_800]
            + stride(from: -2_000_000_000, through: 4_000_000_000, by: 12_345_679)
        for seconds in wholeSeconds {
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(Accounts.timestamp(date) == formatter.string(from: date), "\(seconds)")
            for fraction in [0.0002, 0.5, 0.999] {
                #expect(Accounts.timestamp(date + fraction) == Accounts.timestamp(date), "\(seconds) + \(fraction)")
            }
        }
        #expect(Accounts.timestamp(Date(timeIntervalSince1970: -827_773_852.0002)) == "1943-10-09T06:49:07Z")
        #expect(Accounts.timestamp(Date(timeIntervalSince1970: 1_798_761_599.999)) == "2026-12-31T23:59:59Z")
    }
}
