import Foundation
import Logging
import Synchronization
import TandemCore
@testable import TandemServer
@testable import TandemStore
@testable import TandemWorkspace
import Testing
import Vapor
import VaporTesting

/// What an operator relies on: the health checks, `/metrics` and its access, request ids and the
/// JSON log format.
@Suite struct OperationsTests {
    @Test(arguments: ServerBackend.available)
    func healthChecksAnswerWithoutSigningIn(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            for path in ["/health/live", "/health/ready", "/health"] {
                try await app.testing().test(.GET, path) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.body.string == "ok\n")
                    #expect(response.headers.first(name: .cacheControl) == "no-store")
                }
            }
        }
    }

    @Test func readinessFailsWhenTheDatabaseDoesNotAnswer() async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        // Nothing listens on port 1: every connection is refused.
        let store = try Store.registered(.postgres(url: "postgres://nobody:nothing@127.0.0.1:1/none"))
        app.storage[WorkspaceKey.self] = TandemWorkspace(id: 1, name: "unreachable", store: store)
        app.lifecycle.use(WorkspaceLifecycle(workspace: try app.workspace))
        app.get("health", "ready") { req in await Health.ready(req) }
        do {
            try await app.testing().test(.GET, "/health/ready") { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.body.string == "the database does not answer\n")
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// The value of one series in Prometheus' text format, or nil when it is not there.
    static func sample(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test(arguments: ServerBackend.available)
    func metricsAreForAdminTokensAndCountRequestsImportsAssessmentsAndThePool(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend) { app in
            let workspace = app.storage[SettingsKey.self]!.workspace
            let manager = try await addUser(app, email: "manager@test.example", role: .manager)
            let salesperson = try await addUser(app, email: "sales@test.example", role: .salesperson)
            try await app.api(token: nil).test(.GET, "/metrics") { response in #expect(response.status == .unauthorized) }
            try await app.api(token: manager).test(.GET, "/metrics") { response in #expect(response.status == .forbidden) }
            try await app.api(token: salesperson).test(.GET, "/metrics") { response in #expect(response.status == .forbidden) }

            func scrape() async throws -> String {
                var text = ""
                try await app.api().test(.GET, "/metrics") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType?.description.hasPrefix("text/plain") == true)
                    text = response.body.string
                }
                return text
            }
            let before = try await scrape()
            try await importDemo(app, workspace: workspace, seed: 3)
            for _ in 0..<3 {
                try await app.api().test(.GET, "/api/v1/assessments") { response in #expect(response.status == .ok) }
            }
            try await app.testing().test(.GET, "/health/live") { _ in }
            let after = try await scrape()

            let requests = #"http_requests_total{method="GET",path="/api/v1/assessments",status="200"}"#
            #expect((Self.sample(after, requests) ?? 0) - (Self.sample(before, requests) ?? 0) >= 3)
            #expect(after.contains(#"http_request_duration_seconds_bucket{method="GET",path="/api/v1/assessments",status="200",le="#))
            let rows = #"tandem_import_rows_total{result="imported"}"#
            #expect((Self.sample(after, rows) ?? 0) - (Self.sample(before, rows) ?? 0) >= 1000)
            for phase in ["full", "load"] {
                let series = #"tandem_assessment_duration_seconds_count{phase=""# + phase + #""}"#
                #expect((Self.sample(after, series) ?? 0) - (Self.sample(before, series) ?? 0) >= 1, "\(phase)")
            }
            #expect(Self.sample(after, "tandem_db_connections_max").map { $0 >= 1 } == true)
            #expect(Self.sample(after, "tandem_db_connections_in_use") != nil)
            // An unknown path is counted as one series, not one per path.
            try await app.testing().test(.GET, "/no/such/\(UUID().uuidString)") { _ in }
            #expect(try await scrape().contains(#"path="vapor_route_undefined""#))
        }
    }

    @Test func everyAnswerCarriesARequestIDThatNoClientCanAbuse() async throws {
        try await withTandemApp(.sqlite) { app in
            var first = ""
            try await app.testing().test(.GET, "/health/live") { response in first = response.headers.first(name: .xRequestId) ?? "" }
            #expect(UUID(uuidString: first) != nil)
            try await app.testing().test(.GET, "/health/live", headers: ["X-Request-Id": "lb-7f3a.2:1_x"]) { response in
                #expect(response.headers.first(name: .xRequestId) == "lb-7f3a.2:1_x")
            }
            for hostile in ["a b", "\"}{\"level\":\"critical", String(repeating: "x", count: 129), "é"] {
                try await app.testing().test(.GET, "/health/live", headers: ["X-Request-Id": hostile]) { response in
                    let id = response.headers.first(name: .xRequestId) ?? ""
                    #expect(UUID(uuidString: id) != nil, "\(hostile) → \(id)")
                }
            }
            // Errors too.
            try await app.api(token: nil).test(.GET, "/api/v1/organizations") { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers.first(name: .xRequestId) != nil)
            }
        }
    }

    @Test func aStoppingServerWaitsForTheWorkRequestsLeftRunning() async throws {
        let work = InFlightWork()
        let finished = LockedLines()
        work.track(Task {
            try? await Task.sleep(for: .milliseconds(300))
            finished.append("import")
        })
        #expect(work.count == 1)
        #expect(await work.finish(within: .seconds(30)))
        #expect(finished.all == ["import"] && work.count == 0)
        // Work that outlasts the time given is reported, not waited for.
        let endless = Task { try? await Task.sleep(for: .seconds(600)) }
        work.track(endless)
        #expect(await work.finish(within: .milliseconds(100)) == false)
        #expect(work.count == 1)
        endless.cancel()
    }

    @Test func jsonLogLinesAreOneObjectEachWithTheRequestID() throws {
        let lines = LockedLines()
        var logger = Logger(label: "tandem.test") { label in JSONLogHandler(label: label, level: .info, write: lines.append) }
        logger[metadataKey: "request-id"] = "r-1"
        logger.debug("not written: below the level")
        logger.info("imported \"x\"\nsecond line", metadata: ["rows": .stringConvertible(12), "files": .array(["a.csv"])])
        let written = lines.all
        try #require(written.count == 1)
        #expect(!written[0].contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["logger"] as? String == "tandem.test")
        #expect(object["message"] as? String == "imported \"x\"\nsecond line")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["request-id"] as? String == "r-1")
        #expect(metadata["rows"] as? String == "12")
        #expect(metadata["files"] as? [String] == ["a.csv"])
        let time = try #require(object["time"] as? String)
        #expect(try Date(time, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)).timeIntervalSinceNow.magnitude < 60)
    }
}

final class LockedLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var append: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }
}

/// While an import holds a workspace's writes, the server's other writes to it wait in the server,
/// not on its database connections: reads go on, and a write that would wait too long is told to
/// come back.
@Suite struct WritesDuringAnImportTests {
    @Test(arguments: ServerBackend.available)
    func readsGoOnAndAWriteThatWouldWaitTooLongIsToldToRetry(_ backend: ServerBackend) async throws {
        try await withTandemApp(backend, writePatience: .seconds(1)) { app in
            let workspaceID = try app.workspaceID
            // The import's own connection: a store of its own on the same database.
            let importer = try await Store.open(app.storage[SettingsKey.self]!.database, logger: app.logger, poolTimeout: .seconds(180))
            let (started, startedContinuation) = AsyncStream<Void>.makeStream()
            let (released, releasedContinuation) = AsyncStream<Void>.makeStream()
            // given an import under way: it holds the workspace's writes in the server, and on
            // its own connection the database's lock (SQLite's file, PostgreSQL's workspace row)
            let importing = Task {
                // However it ends, the test stops waiting for it to start.
                defer { startedContinuation.finish() }
                try await app.db.whileWriting(workspaceID: workspaceID) {
                    try await importer.database.writeTransaction(workspaceID: workspaceID) { db in
                        _ = try await WorkspaceRepository.beginWrite(try db.sql(), workspaceID: workspaceID)
                        startedContinuation.yield()
                        for await _ in released { break }
                    }
                }
            }
            do {
                for await _ in started { break }
                // then reads answer
                try await app.api().test(.GET, "/api/v1/people") { response in #expect(response.status == .ok) }
                try await app.api().test(.GET, "/api/v1/organizations") { response in #expect(response.status == .ok) }
                // and a write is told, after its patience, to come back, having changed nothing
                try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "late", "name": "Late Comer"])) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers.first(name: .retryAfter) == "5")
                    #expect(response.headers.contentType?.description == "application/problem+json")
                    #expect(response.body.string.contains("busy"))
                }
                releasedContinuation.yield()
                try await importing.value
            } catch {
                releasedContinuation.yield()
                _ = await importing.result
                await importer.shutdown()
                throw error
            }
            await importer.shutdown()
            try await app.api().test(.GET, "/api/v1/people/late") { response in #expect(response.status == .notFound) }
            // once the import is over, the same write goes through
            try await app.api().test(.POST, "/api/v1/people", headers: jsonHeaders, body: jsonBody(["key": "late", "name": "Late Comer"])) { response in
                #expect(response.status == .created)
            }
        }
    }
}
