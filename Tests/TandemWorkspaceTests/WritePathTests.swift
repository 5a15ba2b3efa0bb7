import Foundation
import Logging
import TandemCore
@testable import TandemWorkspace
import Testing

/// The databases the workspace layer is tested on: SQLite always, PostgreSQL when
/// `TANDEM_TEST_POSTGRES_URL` is set.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresURL: String { ProcessInfo.processInfo.environment["TANDEM_TEST_POSTGRES_URL"] ?? "" }

    static var available: [Backend] { postgresURL.isEmpty ? [.sqlite] : [.sqlite, .postgres] }
}

/// Opens a workspace no other test uses on a fresh SQLite file (or the test PostgreSQL
/// database), runs the body, and closes it even when the body throws.
func withWorkspace(_ backend: Backend, _ body: (TandemWorkspace) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-workspace-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let location: DatabaseLocation = backend == .sqlite ? .sqlite(path: folder.appendingPathComponent("w.sqlite").path)
                                                          : .postgres(url: Backend.postgresURL)
    var options = TandemWorkspace.Options()
    // The whole suite runs at once on two cores: a long wait for a connection is load, not a deadlock.
    options.poolTimeout = .seconds(180)
    var logger = Logger(label: "tandem.test")
    logger.logLevel = .error
    let workspace = try await TandemWorkspace.open(location, name: "test-\(UUID().uuidString)", options: options, logger: logger)
    do {
        try await body(workspace)
    } catch {
        await workspace.close()
        throw error
    }
    await workspace.close()
}

/// Fills the workspace with the s demo through the import use case.
func importDemo(into workspace: TandemWorkspace) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-demo-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try generateDemoBundle(size: .s, seed: 1, into: folder)
    _ = try await workspace.importFile(ImportRequest(format: .bundle, source: folder, options: ImportOptions(today: TandemWorkspace.today)))
}

/// Renames the organization with `key` ("Renamed " and its name): a change the read model does
/// not fold in. Returns the new name.
func rename(_ key: String, in workspace: TandemWorkspace) async throws -> String {
    let organization = try await workspace.organization(key: key)
    let name = "Renamed \(organization.name)"
    _ = try await workspace.saveOrganization(OrganizationDraft(key: key, name: name, kind: organization.kind.rawValue,
                                                               country: organization.country,
                                                               currency: organization.currency, isHome: false),
                                             existing: key)
    return name
}

/// Every write goes through the workspace's write queue and keeps its read model current: the
/// dealings one process logs are folded in, in order, however many arrive at once and whatever
/// is read meanwhile, and any other change is read back by the next read.
@Suite struct WritePathTests {
    @Test(arguments: Backend.available)
    func dealingsLoggedAtOnceAreFoldedInWithoutAReloadWhileReadsGoOn(_ backend: Backend) async throws {
        try await withWorkspace(backend) { workspace in
            // given the s demo, assessed once
            try await importDemo(into: workspace)
            let before = try await workspace.assessed()
            let pairs = before.report.relationships.prefix(6).map { ($0.homePerson, $0.counterpartPerson) }
            try #require(pairs.count == 6)
            let loaded = await workspace.readModelCounts()
            let today = TandemWorkspace.today.description
            // when forty dealings are logged at once while forty reads go on
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    let (home, counterpart) = pairs[index % pairs.count]
                    group.addTask {
                        _ = try await workspace.logInteraction(InteractionDraft(key: "burst-\(index)", date: today, kind: index.isMultiple(of: 2) ? "visit" : "call",
                                                                                initiatorKey: home, participantKeys: [counterpart]))
                    }
                    group.addTask { _ = try await workspace.assessed() }
                }
                try await group.waitForAll()
            }
            // then by the next read each was folded in, none made the workspace be read again, and
            // the result is that of assessing the stored workspace whole
            let held = try await workspace.assessed()
            let counts = await workspace.readModelCounts()
            #expect(counts.reloads == loaded.reloads)
            #expect(counts.deltas == loaded.deltas + 40)
            let fresh = try await workspace.snapshot()
            // it holds none of the dealings, only what the assessment made of them
            #expect(!held.state.holdsInteractions && held.snapshot.interactions.isEmpty && !fresh.interactions.isEmpty)
            #expect(held.report == Assessor().assess(fresh, asOf: held.asOf))
        }
    }

    @Test(arguments: Backend.available)
    func aChangeThatIsNotFoldedInIsReadBackByTheNextRead(_ backend: Backend) async throws {
        try await withWorkspace(backend) { workspace in
            // given
            try await importDemo(into: workspace)
            let before = try await workspace.assessed()
            let counterpart = try #require(before.report.assessments.first?.organizationKey)
            // when it is renamed
            let name = try await rename(counterpart, in: workspace)
            // then the next read has it, and the assessment of every counterpart is kept
            let after = try await workspace.assessed()
            #expect(after.revision > before.revision)
            #expect(after.snapshot.organizations.contains { $0.key == counterpart && $0.name == name })
            #expect(after.report.assessments.map(\.organizationKey) == before.report.assessments.map(\.organizationKey))
        }
    }

    @Test(arguments: Backend.available)
    func dealingsLoggedThroughAnotherProcessAreFoldedInFromTheirRecordNotReadAgain(_ backend: Backend) async throws {
        try await withWorkspace(backend) { writer in
            // given the s demo, assessed by a second server on the same database
            try await importDemo(into: writer)
            var logger = Logger(label: "tandem.test")
            logger.logLevel = .error
            let reader = try await TandemWorkspace.open(writer.location, name: writer.name, creating: false, logger: logger)
            do {
                let before = try await reader.assessed()
                let pairs = before.report.relationships.prefix(3).map { ($0.homePerson, $0.counterpartPerson) }
                try #require(pairs.count == 3)
                let today = TandemWorkspace.today.description
                // when the first logs five dealings
                for index in 0..<5 {
                    let (home, counterpart) = pairs[index % pairs.count]
                    _ = try await writer.logInteraction(InteractionDraft(key: "elsewhere-\(index)", date: today, kind: "visit",
                                                                         initiatorKey: home, participantKeys: [counterpart]))
                }
                // then the second's caches learn what the dealings touched, as the second folds them
                // in from the database's record of them (without reading the workspace again)
                let touched = try #require(await reader.changes(from: before.revision, to: before.revision + 5))
                #expect(touched.contains(.person(pairs[0].0)) && touched.contains(.pair(home: pairs[0].0, counterpart: pairs[0].1)))
                // and it holds what assessing the stored workspace whole gives
                let after = try await reader.assessed()
                #expect(after.revision == before.revision + 5)
                #expect(await reader.readModelCounts().reloads == 1)
                #expect(await reader.readModel.caughtUp == 5)
                let fresh = try await reader.snapshot()
                // it holds none of the dealings, only what the assessment made of them
                #expect(!after.state.holdsInteractions && after.snapshot.interactions.isEmpty && !fresh.interactions.isEmpty)
                #expect(after.report == Assessor().assess(fresh, asOf: after.asOf))

                // when the first changes what has no such record (an organization's name)
                let key = try #require(before.report.assessments.first?.organizationKey)
                let name = try await rename(key, in: writer)
                // then the second reads the workspace again, and has it
                let renamed = try await reader.assessed()
                #expect(await reader.readModelCounts().reloads == 2)
                #expect(await reader.changes(from: after.revision, to: renamed.revision) == nil)
                #expect(renamed.snapshot.organizations.contains { $0.key == key && $0.name == name })
            } catch {
                await reader.close()
                throw error
            }
            await reader.close()
        }
    }

    @Test func aRefusedImportIntoANewWorkspaceLeavesNoWorkspaceBehind() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-refused-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = DatabaseLocation.sqlite(path: folder.appendingPathComponent("w.sqlite").path)
        let bundle = folder.appendingPathComponent("bundle")
        try FileManager.default.createDirectory(at: bundle, withIntermediateDirectories: true)
        try "key,name,kind\nacme,Acme,not-a-kind\n".write(to: bundle.appendingPathComponent("organizations.csv"), atomically: true, encoding: .utf8)
        // when
        await #expect(throws: BundleRejected.self) {
            _ = try await TandemWorkspace.importFile(ImportRequest(format: .bundle, source: bundle, options: ImportOptions(today: TandemWorkspace.today)),
                                                     into: database, workspace: "new", logger: Logger(label: "test"))
        }
        // then
        #expect(try await TandemWorkspace.names(in: database).isEmpty)
    }
}
