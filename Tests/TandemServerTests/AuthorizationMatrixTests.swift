import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
import Testing
import Vapor
import VaporTesting

/// Every route of the JSON API × every kind of caller, each with its expected outcome. The table
/// is written out route by route: a route added without an entry fails the test.
@Suite struct AuthorizationMatrixTests {
    enum Caller: String, CaseIterable {
        case anonymous, otherWorkspace = "other workspace", admin, manager, salesperson, guest
    }

    /// What a caller gets: `allowed` (anything but 401, 403 and the guard's 404), or a status.
    enum Outcome: Equatable {
        case allowed
        case status(HTTPStatus)
    }

    /// The expected outcome per route for the home company's roles and a partner guest (the
    /// anonymous caller and a token of another workspace always get 401, but for the description).
    /// `read`: every role but guests; `write`: admins and managers, 403 for salespeople.
    static let table: [String: (salesperson: Outcome, guest: Outcome)] = {
        var table: [String: (salesperson: Outcome, guest: Outcome)] = [:]
        let read = (salesperson: Outcome.allowed, guest: Outcome.status(.notFound))
        let write = (salesperson: Outcome.status(.forbidden), guest: Outcome.status(.notFound))
        for (resource, parameter) in [("territories", "code"), ("organizations", "key"), ("branches", "key"), ("people", "key"),
                                      ("employments", "id"), ("interactions", "key")] {
            let writes = resource == "interactions" ? (salesperson: Outcome.allowed, guest: Outcome.status(.notFound)) : write
            table["GET /api/v1/\(resource)"] = read
            table["GET /api/v1/\(resource)/{\(parameter)}"] = read
            table["POST /api/v1/\(resource)"] = writes
            table["PUT /api/v1/\(resource)/{\(parameter)}"] = writes
            table["DELETE /api/v1/\(resource)/{\(parameter)}"] = writes
        }
        for path in ["assessments", "assessments/{organization_key}", "relationships", "coverage", "alerts", "sales/summary", "economics",
                     "lead-lag"] {
            table["GET /api/v1/\(path)"] = read
        }
        table["GET /api/v1/plan"] = read
        table["GET /api/v1/audit"] = write
        table["GET /api/v1/duplicates"] = write
        table["POST /api/v1/merges"] = write
        // The partnership's shared space: a guest in their own partnership (ps1).
        table["GET /api/v1/partnerships"] = (.allowed, .allowed)
        table["GET /api/v1/partnerships/{key}"] = (.allowed, .allowed)
        table["POST /api/v1/partnerships"] = (.status(.forbidden), .status(.forbidden))
        for action in ["activate", "suspend", "end", "goals", "pledges", "risks", "reviews"] {
            table["POST /api/v1/partnerships/{key}/\(action)"] = (.status(.forbidden), .status(.forbidden))
        }
        table["POST /api/v1/goals/{key}/progress"] = (.status(.forbidden), .status(.notFound))
        table["POST /api/v1/pledges/{key}/contributions"] = (.status(.forbidden), .allowed)
        table["POST /api/v1/contributions/{id}/confirm"] = (.status(.forbidden), .allowed)
        return table
    }()

    /// Routes for admins only.
    static let adminOnly: Set<String> = ["GET /api/v1/audit"]

    /// The web pages: what each caller gets, by session. Anonymous visitors are sent to sign in
    /// (303) from every page but the sign-in page and the stylesheet; a POST without its form's
    /// CSRF token is refused; a partner guest gets 404 for the home company's pages.
    struct PageRow {
        var anonymous: HTTPStatus, admin: HTTPStatus, salesperson: HTTPStatus, guest: HTTPStatus
        /// The path to request, when the route has parameters.
        var path: String?
    }

    static let pages: [String: PageRow] = [
        "GET /": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .ok),
        "GET /login": PageRow(anonymous: .ok, admin: .ok, salesperson: .ok, guest: .ok),
        "POST /login": PageRow(anonymous: .forbidden, admin: .forbidden, salesperson: .forbidden, guest: .forbidden),
        "POST /logout": PageRow(anonymous: .seeOther, admin: .forbidden, salesperson: .forbidden, guest: .forbidden),
        "GET /tandem.css": PageRow(anonymous: .ok, admin: .ok, salesperson: .ok, guest: .ok),
        "GET /health": PageRow(anonymous: .ok, admin: .ok, salesperson: .ok, guest: .ok),
        "GET /health/live": PageRow(anonymous: .ok, admin: .ok, salesperson: .ok, guest: .ok),
        "GET /health/ready": PageRow(anonymous: .ok, admin: .ok, salesperson: .ok, guest: .ok),
        // An admin's API token, never a session (OperationsTests checks the tokens).
        "GET /metrics": PageRow(anonymous: .unauthorized, admin: .unauthorized, salesperson: .unauthorized, guest: .unauthorized),
        "GET /organizations/:key": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .notFound, path: "/organizations/d1"),
        "GET /partnerships/:key": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .ok, path: "/partnerships/ps1"),
        "POST /partnerships/:key/contributions": PageRow(anonymous: .seeOther, admin: .forbidden, salesperson: .forbidden, guest: .forbidden,
                                                         path: "/partnerships/ps1/contributions"),
        "POST /partnerships/:key/confirmations": PageRow(anonymous: .seeOther, admin: .forbidden, salesperson: .forbidden, guest: .forbidden,
                                                         path: "/partnerships/ps1/confirmations"),
        "GET /tandem.js": PageRow(anonymous: .ok, admin: .ok, salesperson: .ok, guest: .ok),
        "GET /search": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .notFound, path: "/search?q=dirk"),
        "GET /suggest/people": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .notFound, path: "/suggest/people?q=di"),
        "GET /interactions/new": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .notFound),
        "POST /interactions": PageRow(anonymous: .seeOther, admin: .forbidden, salesperson: .forbidden, guest: .notFound),
        "GET /import": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .forbidden, guest: .notFound),
        "POST /import": PageRow(anonymous: .seeOther, admin: .forbidden, salesperson: .forbidden, guest: .notFound),
        "GET /people/:key/vcard": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .notFound, path: "/people/dirk/vcard"),
        "GET /duplicates": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .forbidden, guest: .notFound),
        "POST /duplicates/merge": PageRow(anonymous: .seeOther, admin: .forbidden, salesperson: .forbidden, guest: .notFound),
        "GET /territories": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .notFound),
        "GET /territories/:code": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .notFound, path: "/territories/DE"),
        "GET /people/:key": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .notFound, path: "/people/dirk"),
        "GET /relationships/:home/:counterpart": PageRow(anonymous: .seeOther, admin: .ok, salesperson: .ok, guest: .notFound,
                                                         path: "/relationships/hanna/dirk"),
    ]

    @Test(arguments: ServerBackend.available)
    func everyPageAnswersEveryCallerAsItShould(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            _ = try await Self.world(app)
            _ = try await addUser(app, email: "sales@test.example", role: .salesperson)
            _ = try await addUser(app, email: "guest@d1.example", role: .partnerGuest, organization: "d1", partnerships: ["ps1"])
            var sessions: [(String, String?, KeyPath<PageRow, HTTPStatus>)] = [("anonymous", nil, \.anonymous)]
            for (name, email, column) in [("admin", "admin@test.example", \PageRow.admin), ("salesperson", "sales@test.example", \.salesperson),
                                          ("guest", "guest@d1.example", \.guest)] {
                sessions.append((name, "\(WebSession.cookie)=\(try await signIn(app, email: email))", column))
            }
            let routes = app.routes.all.map { route in
                "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
            }.filter { !$0.contains(" /api/v1") }
            #expect(Set(routes) == Set(Self.pages.keys), "every page has its row in the matrix")
            for route in routes {
                guard let row = Self.pages[route] else { continue }
                let parts = route.split(separator: " ", maxSplits: 1)
                let method = HTTPMethod(rawValue: String(parts[0])), path = row.path ?? String(parts[1])
                for (name, cookie, column) in sessions {
                    var headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
                    if let cookie { headers.add(name: "Cookie", value: cookie) }
                    try await app.testing().test(method, path, headers: headers, body: method == .POST ? ByteBuffer(string: "csrf=forged") : nil) { response in
                        #expect(response.status == row[keyPath: column], "\(name): \(route) → \(response.status.code)")
                        #expect(response.headers.first(name: "Content-Security-Policy") != nil)
                        if response.status == .seeOther && method == .GET && path != "/login" {
                            #expect(response.headers.first(name: .location)?.hasPrefix("/login?next=") == true)
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: ServerBackend.available)
    func everyRouteAnswersEveryCallerAsItShould(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            let world = try await Self.world(app)
            var tokens: [Caller: String?] = [.anonymous: nil, .admin: app.storage[AdminTokenKey.self]]
            tokens[.manager] = try await addUser(app, email: "manager@test.example", role: .manager)
            tokens[.salesperson] = try await addUser(app, email: "sales@test.example", role: .salesperson)
            tokens[.guest] = try await addUser(app, email: "guest@d1.example", role: .partnerGuest, organization: "d1", partnerships: ["ps1"])
            tokens[.otherWorkspace] = try await Self.tokenOfAnotherWorkspace(app)

            let routes = app.routes.all.compactMap { route -> (HTTPMethod, String)? in
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                return path.hasPrefix("/api/v1") && path != "/api/v1/openapi.json" ? (route.method, path) : nil
            }
            #expect(Set(routes.map { "\($0.0.rawValue) \($0.1)" }) == Set(Self.table.keys), "every route has its row in the matrix")
            for (method, path) in routes {
                let key = "\(method.rawValue) \(path)"
                guard let row = Self.table[key] else { continue }
                let url = Self.fill(path, world: world, method: method)
                for caller in Caller.allCases {
                    let expected: Outcome = switch caller {
                    case .anonymous, .otherWorkspace: .status(.unauthorized)
                    case .admin: .allowed
                    case .manager: Self.adminOnly.contains(key) ? .status(.forbidden) : .allowed
                    case .salesperson: row.salesperson
                    case .guest: row.guest
                    }
                    let body = method == .GET ? nil : jsonBody([:])
                    try await app.api(token: tokens[caller] ?? nil).test(method, url, headers: jsonHeaders, body: body) { response in
                        switch expected {
                        case .status(let status):
                            #expect(response.status == status, "\(caller.rawValue): \(method.rawValue) \(url) → \(response.status.code)")
                        case .allowed:
                            #expect(![401, 403].contains(response.status.code) && response.status.code < 500,
                                    "\(caller.rawValue): \(method.rawValue) \(url) → \(response.status.code) \(response.body.string.prefix(200))")
                            if method == .GET && !url.contains("nobody") {
                                #expect(response.status == .ok, "\(caller.rawValue): \(method.rawValue) \(url) → \(response.status.code)")
                            }
                        }
                    }
                }
            }
            // Every change went into the audit trail, with who made it; each token's use too.
            try await app.api().test(.GET, "/api/v1/audit?limit=10000") { response in
                let entries = try JSONDecoder.snakeCase.decode([AuditEntry].self, from: Data(buffer: response.body))
                #expect(entries.contains { $0.action == "token.use" && $0.actor == "sales@test.example" })
            }
            // The API's description is open to all.
            try await app.api(token: nil).test(.GET, "/api/v1/openapi.json") { response in #expect(response.status == .ok) }
            // What a guest sees of their partnership: no internal notes, no risks, shared reviews only; others do not exist.
            try await app.api(token: tokens[.guest] ?? nil).test(.GET, "/api/v1/partnerships/ps1") { response in
                let detail = try JSONDecoder.snakeCase.decode(PartnershipDetail.self, from: Data(buffer: response.body))
                #expect(detail.partnership.notes == nil && detail.risks.isEmpty && detail.reviews.map(\.key) == ["shared-review"])
                #expect(detail.pledges.count == 2)
            }
            try await app.api(token: tokens[.guest] ?? nil).test(.GET, "/api/v1/partnerships") { response in
                #expect((response.json["items"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["ps1"])
            }
            try await app.api(token: tokens[.guest] ?? nil).test(.GET, "/api/v1/partnerships/ps2") { response in #expect(response.status == .notFound) }
            // A guest adds their own side's contributions only, and confirms only the home company's.
            try await app.api(token: tokens[.guest] ?? nil).test(.POST, "/api/v1/pledges/c-home/contributions", headers: jsonHeaders,
                                                                  body: jsonBody(["date": "2026-02-01", "amount": 5])) { response in
                #expect(response.status == .forbidden)
            }
            try await app.api(token: tokens[.guest] ?? nil).test(.POST, "/api/v1/contributions/\(world.contribution)/confirm", headers: jsonHeaders,
                                                                  body: jsonBody(["confirmed_by_key": "dirk"])) { response in
                #expect(response.status == .ok)
            }
            try await app.api().test(.GET, "/api/v1/audit") { response in
                let entries = try JSONDecoder.snakeCase.decode([AuditEntry].self, from: Data(buffer: response.body))
                #expect(entries.first?.action == "api.post" && entries.first?.actor == "guest@d1.example")
                #expect(entries.first?.target == "/api/v1/contributions/\(world.contribution)/confirm")
            }
        }
    }

    struct World {
        var contribution: Int64
        var employment: Int64
    }

    /// Home (Hanna), d1 (Dirk, the guest's organization) and d2 (Paula); ps1 with d1, active, with a
    /// pledge of each side, a home contribution, a goal, a risk, an internal and a shared review;
    /// ps2 with d2.
    static func world(_ app: Application) async throws -> World {
        let workspace = try app.workspaceID
        let directory = try DirectoryRepository(database: app.db, workspaceID: workspace)
        _ = try await directory.saveTerritory(TerritoryDraft(code: "DE", name: "Deutschland"))
        _ = try await directory.saveOrganization(OrganizationDraft(key: "home", name: "Voltwerk", kind: "manufacturer", isHome: true))
        _ = try await directory.saveOrganization(OrganizationDraft(key: "d1", name: "Elektro Süd", kind: "distributor"))
        _ = try await directory.saveOrganization(OrganizationDraft(key: "d2", name: "Nordlicht", kind: "distributor"))
        _ = try await directory.saveBranch(BranchDraft(key: "d1-b", organizationKey: "d1", name: "München"))
        var employment: Int64 = 0
        for (person, organization) in [("hanna", "home"), ("dirk", "d1"), ("paula", "d2")] {
            _ = try await directory.savePerson(PersonDraft(key: person, name: person.capitalized))
            employment = try await directory.saveEmployment(EmploymentDraft(personKey: person, organizationKey: organization, function: "outside_sales",
                                                                            startDate: "2015-01-01")).id
        }
        _ = try await directory.saveInteraction(InteractionDraft(key: "i1", date: "2026-01-10", kind: "visit", initiatorKey: "hanna",
                                                                 participantKeys: ["dirk"]))
        let today = LocalDate("2026-06-30")!
        let partnerships = try PartnershipRepository(database: app.db, workspaceID: workspace)
        _ = try await partnerships.propose(PartnershipDraft(key: "ps1", counterpartKey: "d1", notes: "Internal: margin target 22%"), asOf: today)
        _ = try await partnerships.change("ps1", to: .active, StatusChangeDraft(date: "2026-01-15", commitment: "implied"), asOf: today)
        _ = try await partnerships.propose(PartnershipDraft(key: "ps2", counterpartKey: "d2"), asOf: today)
        _ = try await partnerships.addGoal(to: "ps1", GoalDraft(key: "g1", metric: "Growth", target: 10, ownerKeys: ["hanna", "dirk"]), asOf: today)
        _ = try await partnerships.addPledge(to: "ps1", PledgeDraft(key: "c-d1", partyKey: "d1", asset: "time_hours", amount: 10), asOf: today)
        _ = try await partnerships.addPledge(to: "ps1", PledgeDraft(key: "c-home", partyKey: "home", asset: "money", amount: 100, currency: "EUR"), asOf: today)
        let contribution = try await partnerships.addContribution(to: "c-home", ContributionDraft(date: "2026-02-01", amount: 50), asOf: today)
        _ = try await partnerships.addRisk(to: "ps1", RiskDraft(partyKey: "home", description: "Stock"))
        _ = try await partnerships.addReview(to: "ps1", ReviewDraft(key: "internal-review", date: "2026-03-01", attendeeKeys: ["hanna", "dirk"]), asOf: today)
        _ = try await partnerships.addReview(to: "ps1", ReviewDraft(key: "shared-review", date: "2026-03-02", attendeeKeys: ["hanna", "dirk"],
                                                                    visibility: "shared"), asOf: today)
        return World(contribution: contribution.id, employment: employment)
    }

    /// A real path for a route: existing records for reads, made-up ones for changes that must
    /// not alter the world, the guest's own partnership and pledge for the shared space.
    static func fill(_ path: String, world: World, method: HTTPMethod) -> String {
        let changes = method == .PUT || method == .DELETE
        var url = path
        let values: [(String, String)] = [
            ("/territories/{code}", "/territories/" + (changes ? "nobody" : "DE")),
            ("/organizations/{key}", "/organizations/" + (changes ? "nobody" : "d1")),
            ("/branches/{key}", "/branches/" + (changes ? "nobody" : "d1-b")),
            ("/people/{key}", "/people/" + (changes ? "nobody" : "dirk")),
            ("/employments/{id}", "/employments/" + (changes ? "999999" : String(world.employment))),
            ("/interactions/{key}", "/interactions/" + (changes ? "nobody" : "i1")),
            ("/assessments/{organization_key}", "/assessments/d1"),
            ("/partnerships/{key}", "/partnerships/ps1"),
            ("/goals/{key}", "/goals/g1"),
            ("/pledges/{key}", "/pledges/c-d1"),
            ("/contributions/{id}", "/contributions/\(world.contribution)"),
        ]
        for (pattern, value) in values { url = url.replacingOccurrences(of: pattern, with: value) }
        if url.hasSuffix("/plan") { url += "?budget_money=1000&budget_hours=10&uplift_home=0.1&uplift_counterpart=0.1&money_share=0.01&hours_per_branch=1" }
        if url.hasSuffix("/assessments/d1") || url.hasSuffix("/assessments") { url += "?as_of=2026-06-30" }
        return url
    }

    /// A token of a user of another workspace in the same database.
    static func tokenOfAnotherWorkspace(_ app: Application) async throws -> String {
        let other = try await WorkspaceRepository(app.db).findOrCreate(named: "other-\(UUID().uuidString)")
        let accounts = try AccountRepository(database: app.db, workspaceID: other)
        _ = try await accounts.createUser(email: "admin@other.example", passwordHash: "!", role: .admin, organizationKey: nil, partnershipKeys: [],
                                          now: Accounts.now(), actor: "test")
        let token = Accounts.newToken()
        _ = try await accounts.createToken(email: "admin@other.example", tokenHash: Accounts.digest(token), label: nil, now: Accounts.now(), actor: "test")
        return token
    }
}
