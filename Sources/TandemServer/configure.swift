import Foundation
import NIOCore
import TandemCore
import TandemWorkspace
import Vapor

/// What the server needs to know that is not in the database.
public struct ServerSettings: Sendable {
    public var database: DatabaseLocation
    public var workspace: String
    /// Addresses of load balancers or proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: Set<String>
    /// Bytes of encoded directory lists kept for the workspace's current revision; 0 keeps none.
    public var listCacheBytes: Int
    /// Bytes of rendered pages kept for the workspace's current revision; 0 keeps none.
    public var pageCacheBytes: Int
    /// How long a request waits for a pooled database connection before it fails.
    public var databasePoolTimeout = TandemWorkspace.Options().poolTimeout
    /// How long a write waits for the workspace's writes before it (an import, say); the pool's
    /// timeout when nil.
    public var databaseWritePatience: TimeAmount?
    /// How far a user's reads may lag other users' writes (their own always show): the read model
    /// catches up at most four times per this, and a cached answer a change touched is computed
    /// again after half of it, served stale meanwhile, never longer than this
    /// (`TandemWorkspace.Options.staleness`).
    public var staleness: Duration = .seconds(1)

    public static let defaultListCacheBytes = 16 << 20
    public static let defaultPageCacheBytes = 16 << 20

    public init(database: DatabaseLocation, workspace: String = "default", trustedProxies: Set<String> = [],
                listCacheBytes: Int = defaultListCacheBytes, pageCacheBytes: Int = defaultPageCacheBytes) {
        self.database = database
        self.workspace = workspace
        self.trustedProxies = trustedProxies
        self.listCacheBytes = listCacheBytes
        self.pageCacheBytes = pageCacheBytes
    }
}

struct TrustedProxiesKey: StorageKey {
    typealias Value = Set<String>
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the nearest address in
/// `X-Forwarded-For` that is not one (the ones further left are the client's to write, so not trusted).
enum ClientAddress {
    static func resolve(peer: String?, forwardedFor: [String], trusted: Set<String>) -> String? {
        guard let peer, trusted.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.reversed().first { !trusted.contains($0) } ?? hops.first ?? peer
    }
}

extension Request {
    /// Who sent the request: the sign-in limits and the audit trail use it.
    var clientAddress: String? {
        ClientAddress.resolve(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
                              trusted: application.storage[TrustedProxiesKey.self] ?? [])
    }
}

struct WorkspaceKey: StorageKey {
    typealias Value = TandemWorkspace
}

extension Application {
    /// The workspace this server process serves: every read and write of a request goes through it.
    public var workspace: TandemWorkspace {
        get throws {
            guard let workspace = storage[WorkspaceKey.self] else { throw Abort(.internalServerError, reason: "no workspace configured") }
            return workspace
        }
    }
}

extension Request {
    /// The served workspace (`Application.workspace`).
    var workspace: TandemWorkspace {
        get throws { try application.workspace }
    }

    /// Today in UTC: what the server assesses (and goals are on or off track) as of by default.
    var today: LocalDate { TandemWorkspace.today }
}

/// Names by key, however they are held.
protocol NameLookup {
    subscript(key: String) -> String? { get }
}

extension Dictionary: NameLookup where Key == String, Value == String {}

extension AssessedWorkspace.PersonNames: NameLookup {}

/// Closes the served workspace's database when the application shuts down, after its server has
/// stopped and the requests in flight have finished.
struct WorkspaceLifecycle: LifecycleHandler {
    let workspace: TandemWorkspace

    func shutdownAsync(_ application: Application) async {
        await workspace.close()
    }
}

/// Configures a Tandem application: database, migrations, JSON conventions, errors and routes.
public func configure(_ app: Application, settings: ServerSettings) async throws {
    TandemMetrics.bootstrap()
    var options = TandemWorkspace.Options()
    options.poolTimeout = settings.databasePoolTimeout
    options.writePatience = settings.databaseWritePatience
    options.staleness = settings.staleness
    let workspace = try await TandemWorkspace.open(settings.database, name: settings.workspace, options: options,
                                                   logger: app.logger)
    app.storage[WorkspaceKey.self] = workspace
    app.lifecycle.use(WorkspaceLifecycle(workspace: workspace))
    app.storage[TrustedProxiesKey.self] = settings.trustedProxies
    app.storage[InFlightWorkKey.self] = InFlightWork()

    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys]
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(decoder: decoder, for: .json)

    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ProblemMiddleware())
    app.storage[WriteMarksKey.self] = WriteMarks()
    try routes(app, listCache: RevisionCache(capacity: settings.listCacheBytes, staleness: settings.staleness),
               pageCache: RevisionCache(capacity: settings.pageCacheBytes, staleness: settings.staleness))
    app.rememberRoutePaths()
}

/// The health checks' answers: plain text, never cached.
enum Health {
    static func answer(_ status: HTTPResponseStatus, _ text: String) -> Response {
        Response(status: status, headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"], body: .init(string: text + "\n"))
    }

    static func ready(_ req: Request) async -> Response {
        guard let workspace = try? req.workspace, await workspace.databaseAnswers() else {
            return answer(.serviceUnavailable, "the database does not answer")
        }
        return answer(.ok, "ok")
    }
}

func routes(_ app: Application, listCache: RevisionCache<ByteBuffer>, pageCache: RevisionCache<CachedPage>) throws {
    let api = app.grouped("api", "v1").grouped(AuthenticationMiddleware()).grouped(NulCharacterMiddleware()).grouped(AuditMiddleware())
        .grouped(ReadYourWritesMiddleware()).grouped(ListCacheMiddleware(cache: listCache))
    api.get("audit") { req -> [AuditEntry] in
        var limit = 1000
        if let text = req.parameter("limit") {
            guard let value = Int(text), (1...10_000).contains(value) else {
                throw StoreError.invalid([FieldIssue(field: "limit", message: "\"\(text)\": expected a whole number from 1 to 10000")])
            }
            limit = value
        }
        return try await req.workspace.auditTrail(limit: limit)
    }
    try api.register(collection: TerritoryController())
    try api.register(collection: OrganizationController())
    try api.register(collection: BranchController())
    try api.register(collection: PersonController())
    try api.register(collection: EmploymentController())
    try api.register(collection: InteractionController())
    try api.register(collection: AssessmentController())
    try api.register(collection: EconomicsController())
    try api.register(collection: PartnershipController())
    try api.register(collection: MergeController())
    api.get("openapi.json") { _ in OpenAPIDocument.response() }
    // For load balancers and monitors: open to all, they tell only whether this process runs
    // (live) and whether it reaches its database (ready; `/health` is the same check).
    app.get("health", "live") { _ in Health.answer(.ok, "ok") }
    app.get("health", "ready") { req in await Health.ready(req) }
    app.get("health") { req in await Health.ready(req) }
    app.grouped(AuthenticationMiddleware()).get("metrics") { _ in TandemMetrics.exposition() }
    let web = app.grouped(SessionMiddleware()).grouped(NulCharacterMiddleware()).grouped(ReadYourWritesMiddleware())
    let signedIn = web.grouped(PageGuard(.signedIn))
    // Each cached page says what it shows, so that a change keeps the pages it did not touch.
    typealias Dependencies = @Sendable (Request) -> Set<ReadDependency>
    func cached(_ builder: any RoutesBuilder, _ depends: @escaping Dependencies) -> any RoutesBuilder {
        builder.grouped(PageCacheMiddleware(cache: pageCache, depends: depends))
    }
    @Sendable func parameter(_ req: Request, _ name: String) -> String { req.parameters.get(name) ?? "" }
    cached(signedIn) { _ in [.dashboard] }.get { req in try await Dashboard.render(req) }
    signedIn.get("partnerships", ":key") { req in try await PartnershipShow.render(req) }
    signedIn.post("partnerships", ":key", "contributions") { req in try await PartnershipWrites.contribute(req) }
    signedIn.post("partnerships", ":key", "confirmations") { req in try await PartnershipWrites.confirm(req) }
    let home = web.grouped(PageGuard(.home))
    cached(home) { [.organization(parameter($0, "key"))] }
        .get("organizations", ":key") { req in try await OrganizationShow.render(req) }
    cached(home) { [.person(parameter($0, "key"))] }.get("people", ":key") { req in try await PersonShow.render(req) }
    home.get("people", ":key", "vcard") { req in try await PersonShow.vcard(req) }
    home.get("search") { req in try await SearchPage.render(req) }
    home.get("suggest", "people") { req in try await SearchPage.suggest(req) }
    home.get("interactions", "new") { req in try await InteractionNew.render(req) }
    home.post("interactions") { req in try await InteractionNew.create(req) }
    cached(home) { _ in [.coverage] }.get("territories") { req in try await TerritoryIndex.render(req) }
    let managers = web.grouped(PageGuard(.manager))
    managers.get("import") { req in ImportPage.form(req) }
    managers.on(.POST, "import", body: .collect(maxSize: ImportPage.maximumUpload)) { req in try await ImportPage.upload(req) }
    managers.get("duplicates") { req in try await DuplicatesPage.render(req) }
    managers.post("duplicates", "merge") { req in try await DuplicatesPage.merge(req) }
    cached(home) { _ in [.coverage] }.get("territories", ":code") { req in try await TerritoryShow.render(req) }
    cached(home) { [.pair(home: parameter($0, "home"), counterpart: parameter($0, "counterpart"))] }
        .get("relationships", ":home", ":counterpart") { req in try await RelationshipShow.render(req) }
    try web.register(collection: SignInController())
    app.get("tandem.js") { _ in
        Response(status: .ok, headers: ["Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "max-age=3600"], body: .init(string: Script.js))
    }
    app.get("tandem.css") { _ in
        Response(status: .ok, headers: ["Content-Type": "text/css; charset=utf-8", "Cache-Control": "max-age=3600"], body: .init(string: Stylesheet.css))
    }
}
