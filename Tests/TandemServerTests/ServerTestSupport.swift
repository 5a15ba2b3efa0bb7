import Foundation
import Logging
@testable import TandemServer
import TandemStore
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
        try await configure(app, settings: ServerSettings(database: location, workspace: workspace))
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
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
