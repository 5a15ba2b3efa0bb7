import ArgumentParser
import Foundation
import Logging
import TandemCore
import TandemServer
import TandemWorkspace
import Vapor

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web application and the JSON API.")

    @ArgumentParser.OptionGroup var data: DataOptions

    @ArgumentParser.Option(help: "Address to listen on.")
    var hostname: String = "127.0.0.1"

    @ArgumentParser.Option(help: "Port to listen on.")
    var port: Int = 8080

    @ArgumentParser.Flag(help: "Fill an empty workspace with the m demo first.")
    var demo = false

    @ArgumentParser.Option(name: .customLong("trusted-proxy"),
                           help: ArgumentHelp("The address of a load balancer whose X-Forwarded-For names the client; may be repeated (also TANDEM_TRUSTED_PROXIES, comma-separated).", valueName: "ip"))
    var trustedProxies: [String] = []

    @ArgumentParser.Option(name: .customLong("list-cache-mib"),
                           help: ArgumentHelp("MiB of API list answers kept until the workspace changes; 0 keeps none.", valueName: "mib"))
    var listCacheMiB: Int = ServerSettings.defaultListCacheBytes >> 20

    @ArgumentParser.Option(name: .customLong("page-cache-mib"),
                           help: ArgumentHelp("MiB of rendered pages kept until the workspace changes; 0 keeps none.", valueName: "mib"))
    var pageCacheMiB: Int = ServerSettings.defaultPageCacheBytes >> 20

    @ArgumentParser.Option(name: .customLong("staleness"),
                           help: ArgumentHelp("Seconds a user's pages and lists may lag other users' writes (their own always show at once); 0 shows every write at once, at the cost of folding and rendering after each.", valueName: "seconds"))
    var staleness: Double = 1

    @ArgumentParser.Option(name: .customLong("shutdown-timeout"),
                           help: ArgumentHelp("Seconds a stopping server (SIGTERM, SIGINT) waits for the requests in flight before it closes the database.", valueName: "seconds"))
    var shutdownTimeout: Int = 30

    func validate() throws {
        guard (1...3600).contains(shutdownTimeout) else { throw ValidationError("--shutdown-timeout must be from 1 to 3600 seconds") }
        guard (0...4096).contains(listCacheMiB) else { throw ValidationError("--list-cache-mib must be from 0 to 4096") }
        guard (0...4096).contains(pageCacheMiB) else { throw ValidationError("--page-cache-mib must be from 0 to 4096") }
        guard (0...60).contains(staleness) else { throw ValidationError("--staleness must be from 0 to 60 seconds") }
    }

    func run() async throws {
        Allocator.limitArenas()
        var environment = Environment(name: ProcessInfo.processInfo.environment["TANDEM_ENV"] ?? "production", arguments: ["tandem", "serve"])
        do {
            try TandemLogging.bootstrap(from: &environment)
        } catch let bad as TandemLogging.BadSetting {
            throw ValidationError(bad.description)
        }
        let app = try await Application.make(environment)
        do {
            app.http.server.configuration.hostname = hostname
            app.http.server.configuration.port = port
            app.http.server.configuration.shutdownTimeout = .seconds(Int64(shutdownTimeout))
            let fromEnvironment = (ProcessInfo.processInfo.environment["TANDEM_TRUSTED_PROXIES"] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var settings = ServerSettings(database: data.location, workspace: data.workspace,
                                          trustedProxies: Set(trustedProxies + fromEnvironment),
                                          listCacheBytes: listCacheMiB << 20, pageCacheBytes: pageCacheMiB << 20)
            settings.staleness = .milliseconds(Int64((staleness * 1000).rounded()))
            try await configure(app, settings: settings)
            if demo {
                try await loadDemoIfEmpty(app)
                try await addDemoUsersIfNone(app)
            }
            app.logger.notice("Tandem on \(data.location), workspace \"\(data.workspace)\": open http://\(hostname):\(port)")
            try await app.execute()
            // SIGTERM or SIGINT: stop accepting, let the requests in flight finish, then close the
            // database. (Vapor's own shutdown closes the database first.)
            app.logger.notice("stopping: finishing the requests in flight (at most \(shutdownTimeout) s)")
            let clock = ContinuousClock(), start = clock.now
            await app.server.shutdown()
            let left = await app.finishInFlightWork(within: max(.seconds(shutdownTimeout) - (clock.now - start), .seconds(1)))
            if left > 0 {
                app.logger.warning("stopping with \(left) import\(left == 1 ? "" : "s") still running: they roll back")
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// With no users yet, a demo admin and partner guest, whose passwords are printed once.
    func addDemoUsersIfNone(_ app: Application) async throws {
        let workspace = try app.workspace
        guard try await workspace.users().isEmpty else {
            app.logger.notice("sign in with a user of the workspace (tandem user list; tandem user add adds one)")
            return
        }
        let adminPassword = Accounts.newPassword(), guestPassword = Accounts.newPassword()
        let admin = try await workspace.createUser(email: "admin@tandem.example", passwordHash: try Accounts.hash(password: adminPassword),
                                                   role: .admin, organizationKey: nil, partnershipKeys: [], now: Accounts.now(), actor: "serve --demo")
        print("sign in as \(admin.email) with password \(adminPassword)")
        if let first = try await workspace.partnerships(limit: 1, cursor: nil, counterpart: nil, status: PartnershipStatus.active.rawValue).items.first {
            let guest = try await workspace.createUser(email: "guest@\(first.counterpartKey).example", passwordHash: try Accounts.hash(password: guestPassword),
                                                       role: .partnerGuest, organizationKey: first.counterpartKey, partnershipKeys: [first.key],
                                                       now: Accounts.now(), actor: "serve --demo")
            print("or as the partner guest \(guest.email) with password \(guestPassword) (partnership \(first.key))")
        }
    }

    func loadDemoIfEmpty(_ app: Application) async throws {
        let workspace = try app.workspace
        guard try await workspace.isEmpty() else {
            app.logger.notice("workspace \"\(data.workspace)\" already has data: --demo leaves it as it is")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-demo-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: folder) }
        app.logger.notice("generating the m demo and importing it (about a minute the first time)")
        _ = try generateDemoBundle(size: .m, seed: 1, into: folder)
        let outcome = try await workspace.importFile(ImportRequest(format: .bundle, source: folder, options: ImportOptions(today: TandemWorkspace.today)))
        app.logger.notice("demo imported: \(outcome.summary.totalRows) rows in \(String(format: "%.1f", outcome.summary.seconds)) s")
    }
}
