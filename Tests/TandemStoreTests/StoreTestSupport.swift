import Foundation
import Logging
import NIOCore
import SQLKit
import TandemCore
@testable import TandemStore
import Testing

/// The databases every storage test runs on: always SQLite, and PostgreSQL when
/// `TANDEM_TEST_POSTGRES_URL` is set.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var available: [Backend] {
        postgresURL.isEmpty ? [.sqlite] : [.sqlite, .postgres]
    }
}

/// One shared PostgreSQL store per test process (migrated once); tests keep apart by workspace name.
actor SharedPostgres {
    static let shared = SharedPostgres()
    private var opening: Task<Store, any Error>?

    /// Every caller awaits the same opening, so the store is created (and migrated) exactly once.
    func get() async throws -> Store {
        if let opening { return try await opening.value }
        let task = Task {
            // Every PostgreSQL test of the process shares it, many importing at once: twice a server's connections.
            try await Store.open(.postgres(url: postgresURL), logger: quietLogger(),
                                 postgresConnectionsPerEventLoop: 2 * DatabaseSetup.postgresConnectionsPerEventLoop, poolTimeout: testPoolTimeout)
        }
        opening = task
        return try await task.value
    }
}

/// The test database's address (set when `Backend.available` has `.postgres`).
var postgresURL: String { ProcessInfo.processInfo.environment["TANDEM_TEST_POSTGRES_URL"] ?? "" }

/// How long a test's request waits for a pooled connection. The whole suite runs at once on
/// two cores, and a write that waits behind another on its workspace's row holds its connection
/// meanwhile, so a wait of more than a server's 30 seconds is load there, not a deadlock.
let testPoolTimeout = TimeAmount.seconds(180)

/// A store as a test opens it: quiet, with the tests' patience for a connection.
func openTestStore(_ location: DatabaseLocation) async throws -> Store {
    try await Store.open(location, logger: quietLogger(), poolTimeout: testPoolTimeout)
}

func quietLogger() -> Logger {
    var logger = Logger(label: "tandem.test")
    logger.logLevel = .error
    return logger
}

/// Runs `body` with a migrated store and a workspace name no other test uses. On PostgreSQL the
/// tests share one pool unless `ownPool`.
func withStore(_ backend: Backend, ownPool: Bool = false, _ body: (Store, String) async throws -> Void) async throws {
    let workspace = "test-\(UUID().uuidString)"
    switch backend {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await closing(try await openTestStore(.sqlite(path: folder.appendingPathComponent("t.sqlite").path))) { try await body($0, workspace) }
    case .postgres:
        do {
            guard ownPool else { return try await body(try await SharedPostgres.shared.get(), workspace) }
            // A server's pool of its own, so what the test does to it leaves the other tests' pool alone.
            try await closing(try await openTestStore(.postgres(url: postgresURL))) {
                try await body($0, workspace)
            }
        } catch {
            // PostgresNIO hides details from `description`; tests need them.
            throw DetailedError(detail: String(reflecting: error))
        }
    }
}

/// Runs `body` with `store`, then shuts the store down however `body` ends.
private func closing(_ store: Store, _ body: (Store) async throws -> Void) async throws {
    do {
        try await body(store)
    } catch {
        await store.shutdown()
        throw error
    }
    await store.shutdown()
}

/// A bundle folder written from file name → CSV text.
struct TestBundle {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
    }

    func write(_ name: String, _ data: Data) throws { try data.write(to: url.appendingPathComponent(name)) }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// A small valid bundle touching every file.
    static let valid: [String: String] = [
        "territories.csv": "code,name,parent_code,country\nDE,Germany,,DE\nDE-S,South,DE,DE\nDE-S-MUC,Munich,DE-S,DE\n",
        "organizations.csv": "key,name,kind,country,currency,is_home\nhome,Voltwerk GmbH,manufacturer,DE,EUR,true\nd1,\"Elektro Süd, KG\",distributor,DE,EUR,\n",
        "branches.csv": "key,organization_key,name,city,country,territory_code\nd1-muc,d1,München,München,DE,DE-S-MUC\n",
        "people.csv": "key,name,email,phone,country\np1,Anna Weber,anna@voltwerk.example,,DE\np2,Jürgen Groß,jg@sued.example,+49 89 1,DE\np3,Lena Ott,,,DE\n",
        "employments.csv": "person_key,organization_key,branch_key,function,title,start_date,end_date\np1,home,,outside_sales,Sales rep,2019-01-01,\np2,d1,d1-muc,inside_sales,,2018-05-01,2021-12-31\np2,d1,d1-muc,outside_sales,Außendienst,2022-01-01,\np3,d1,d1-muc,purchasing,,2020-01-01,\n",
        "interactions.csv": "key,date,kind,initiator_key,participant_keys,duration_minutes,summary\ni1,2024-03-05,visit,p1,p1;p2,60,Quarterly visit\ni2,2024-03-06T09:30:00+01:00,order_request,p2,p1,,\"Order, urgent\"\ni3,2024-04-01,call,p1,p2;p3,15,\n",
        "partnerships.csv": "key,counterpart_key,status,commitment,agreement_date,signed_by_keys,territory_codes,notes\nps1,d1,active,expressed,2023-01-15,p1;p2,DE-S,Signed at the fair\n",
        "goals.csv": "key,partnership_key,metric,unit,baseline,target,due_date,owner_keys\ng1,ps1,Sell-through growth,%,0,15,2024-12-31,p1;p2\n",
        "goal_progress.csv": "goal_key,date,value\ng1,2023-06-30,4.5\ng1,2023-12-31,9\n",
        "commitments.csv": "key,partnership_key,party_key,asset,amount,unit,currency,due_date,description\nc1,ps1,home,money,25000,,EUR,2023-12-31,Co-op marketing\nc2,ps1,d1,time_hours,200,h,,,Training days\n",
        "contributions.csv": "commitment_key,date,amount,confirmed_by_key,note\nc1,2023-05-01,10000,p2,\nc2,2023-06-01,40,,claimed\n",
        "risks.csv": "partnership_key,party_key,description,exposure_amount,currency\nps1,d1,Stock of new range,80000,EUR\n",
        "sales.csv": "period,manufacturer_key,branch_key,product_line,sell_in_amount,sell_through_amount,manufacturer_gross_profit,distributor_gross_profit,currency\n2024-01,home,d1-muc,switches,12000.50,11000,4000,2500,EUR\n2024-02,home,d1-muc,switches,13000,12500.25,4300,2700,EUR\n",
    ]
}

/// Every bundle file's bytes after an export, by file name.
func exportFiles(_ store: Store, workspace: String) async throws -> [String: Data] {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try await BundleExporter().exportBundle(workspace: workspace, from: store.database, to: folder)
    var files: [String: Data] = [:]
    for file in BundleFile.allCases { files[file.fileName] = try Data(contentsOf: folder.appendingPathComponent(file.fileName)) }
    return files
}

/// Rows per table of a workspace, to prove a refused import changed nothing.
func rowCounts(_ store: Store, workspace: String) async throws -> [String: Int] {
    guard let id = try await WorkspaceRepository(store.database).find(named: workspace) else { return [:] }
    var counts: [String: Int] = [:]
    for table in ["territories", "organizations", "branches", "people", "employments", "interactions", "partnerships",
                  "goals", "goal_progress", "commitments", "contributions", "risks", "sales"] {
        counts[table] = try await store.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE workspace_id = \(bind: id)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }
    return counts
}

struct DetailedError: Error, CustomStringConvertible {
    var detail: String
    var description: String { detail }
}
