import FluentKit
import Foundation
import Logging
import NIOCore
import TandemCore
@testable import TandemServer
import TandemStore
@testable import TandemWorkspace
import Testing
import Vapor
import VaporTesting

enum ServerBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var available: [ServerBackend] {
        ProcessInfo.processInfo.environment["TANDEM_TEST_POSTGRES_URL"].map { !$0.isEmpty } == true ? [.sqlite, .postgres] : [.sqlite]
    }
}

/// Builds an app on a fresh SQLite file (or the test PostgreSQL database) in its own workspace,
/// runs the body, and shuts down even when the body throws.
func withTandemApp(_ backend: ServerBackend = .sqlite, workspace: String = "test-\(UUID().uuidString)",
                   writePatience: TimeAmount? = nil, staleness: Duration = .zero,
                   _ body: (Application) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-app-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let location: DatabaseLocation = backend == .sqlite
        ? .sqlite(path: folder.appendingPathComponent("t.sqlite").path)
        : .postgres(url: ProcessInfo.processInfo.environment["TANDEM_TEST_POSTGRES_URL"]!)
    let app = try await Application.make(.testing)
    app.logger.logLevel = .error
    do {
        // Parallel tests on one PostgreSQL migrate one at a time through Store.migrate's advisory lock.
        var settings = ServerSettings(database: location, workspace: workspace)
        // The whole suite runs at once on two cores: a long wait for a connection is load, not a deadlock.
        settings.databasePoolTimeout = .seconds(180)
        settings.databaseWritePatience = writePatience
        // No lag by default, so that a test sees every write at once; the tests of reads that may
        // lag others' writes ask for some.
        settings.staleness = staleness
        app.storage[SettingsKey.self] = settings
        try await configure(app, settings: settings)
        app.storage[AdminTokenKey.self] = try await addUser(app, email: "admin@test.example", role: .admin)
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

extension Application {
    /// The served workspace's database, for tests that set up or look beneath the workspace layer.
    var db: any Database { get throws { try workspace.store.database } }

    var workspaceID: Int64 { get throws { try workspace.id } }

    /// The served workspace's read model.
    var readModel: ReadModel { get throws { try workspace.readModel } }
}

extension TestingHTTPResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
    }
}

func jsonBody(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(data: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
}

let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json"]

extension JSONDecoder {
    /// Decodes the API's snake_case bodies into the core's types.
    static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

struct AdminTokenKey: StorageKey { typealias Value = String }

/// The settings the test app was configured with, for a second "server" on the same database.
struct SettingsKey: StorageKey { typealias Value = ServerSettings }

/// Adds a user of the served workspace and returns an API token of theirs. The password hash
/// is unusable: these users sign in by token only.
func addUser(_ app: Application, email: String, role: UserRole, organization: String? = nil, partnerships: [String] = []) async throws -> String {
    let accounts = try AccountRepository(database: app.db, workspaceID: try app.workspaceID)
    _ = try await accounts.createUser(email: email, passwordHash: "!", role: role, organizationKey: organization, partnershipKeys: partnerships,
                                      now: Accounts.now(), actor: "test")
    let token = Accounts.newToken()
    _ = try await accounts.createToken(email: email, tokenHash: Accounts.digest(token), label: "test", now: Accounts.now(), actor: "test")
    return token
}

/// Sends test requests with a bearer token: the workspace admin's unless another is given
/// (`nil` for an anonymous request).
struct APIClient {
    let app: Application
    let token: String?

    @discardableResult
    func test(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
              fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
              afterResponse: (TestingHTTPResponse) async throws -> Void) async throws -> APIClient {
        var headers = headers
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        try await app.testing().test(method, path, headers: headers, body: body, fileID: fileID, filePath: filePath, line: line, column: column,
                                     afterResponse: afterResponse)
        return self
    }
}

extension Application {
    /// A client that signs its requests in as the test workspace's admin.
    func api() -> APIClient { APIClient(app: self, token: storage[AdminTokenKey.self]) }

    func api(token: String?) -> APIClient { APIClient(app: self, token: token) }
}

/// A web session of an existing user, as its cookie value (what signing in at /login yields).
func signIn(_ app: Application, email: String) async throws -> String {
    let accounts = try AccountRepository(database: app.db, workspaceID: try app.workspaceID)
    guard let user = try await accounts.passwordHash(email: email) else { throw Abort(.notFound) }
    let token = Accounts.newToken()
    try await accounts.createSession(userID: user.userID, tokenHash: Accounts.digest(token), csrfToken: Accounts.newToken(), now: Accounts.now())
    return token
}

/// Generates the demo of `size` and `seed` and imports it into the served `workspace`.
func importDemo(_ app: Application, workspace: String, size: DemoSize = .s, seed: UInt64) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try generateDemoBundle(size: size, seed: seed, into: folder)
    _ = try await BundleImporter().importBundle(from: folder, into: app.db, workspace: workspace)
}
