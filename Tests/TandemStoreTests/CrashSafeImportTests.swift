import Foundation
import SQLKit
import TandemCore
@testable import TandemStore
import Testing

/// An import is one transaction: killed at any point (SIGKILL, no chance to clean up) the database
/// is whole and holds none of the bundle, or all of it when the kill came after the commit; the
/// import then runs again to its end. SIGTERM and SIGINT stop it at its next batch and roll back.
/// These run the real `tandem import` on the m demo (about 100,000 rows).
@Suite(.serialized, .enabled(if: processTestsEnabled, "set TANDEM_PROCESS_TESTS=1 to run the tests that start tandem processes"))
struct CrashSafeImportTests {
    /// Where to kill: when a file's last line has been written, or after a share of a whole import's time.
    enum KillPoint: CustomStringConvertible {
        case after(String)
        case share(Double)

        var description: String {
            switch self {
            case .after(let marker): "after \"\(marker)\""
            case .share(let share): "at \(Int(share * 100))% of an import's time"
            }
        }
    }

    /// PostgreSQL gets fewer: a debug build imports the m demo into it four times slower.
    static func points(_ backend: Backend) -> [KillPoint] {
        backend == .sqlite ? [.share(0.1), .share(0.3), .after("interactions.csv"), .share(0.6), .after("sales.csv"), .share(0.9)]
            : [.share(0.3), .after("interactions.csv"), .after("sales.csv")]
    }

    /// A database for one run: a migrated SQLite file of its own, or the test PostgreSQL database.
    struct Target {
        var backend: Backend
        var folder: URL

        var sqlitePath: String { folder.appendingPathComponent("t.sqlite").path }
        var argument: String { backend == .sqlite ? sqlitePath : postgresURL }

        func open() async throws -> Store {
            backend == .sqlite ? try await openTestStore(.sqlite(path: sqlitePath))
                : try await openTestStore(.postgres(url: argument))
        }

        /// Opens the database, checks SQLite's file is whole, and runs `body` on it.
        func inspect<T>(_ body: (Store) async throws -> T) async throws -> T {
            let store = try await open()
            do {
                if backend == .sqlite {
                    let result = try await store.sql.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
                    #expect(result == ["ok"], "PRAGMA integrity_check")
                    #expect(try await store.sql.raw("PRAGMA foreign_key_check").all().isEmpty, "PRAGMA foreign_key_check")
                }
                let value = try await body(store)
                await store.shutdown()
                return value
            } catch {
                await store.shutdown()
                throw error
            }
        }

        static func make(_ backend: Backend) async throws -> Target {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let target = Target(backend: backend, folder: folder)
            // Migrated beforehand, so every kill lands in the import itself.
            if backend == .sqlite { await (try await target.open()).shutdown() }
            return target
        }
    }

    static func demo() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crash-demo-\(UUID().uuidString)")
        _ = try generateDemoBundle(size: .m, seed: 5, into: folder)
        return folder
    }

    @Test(arguments: Backend.available)
    func anImportKilledAnywhereLeavesNoneOrAllAndRunsAgain(_ backend: Backend) async throws {
        let bundle = try Self.demo()
        defer { try? FileManager.default.removeItem(at: bundle) }
        // The whole import, for the expected rows and files and for its time.
        let reference = try await Target.make(backend)
        defer { try? FileManager.default.removeItem(at: reference.folder) }
        let referenceWorkspace = "crash-reference-\(UUID().uuidString)"
        let clock = ContinuousClock(), start = clock.now
        try await ChildProcess.run(["import", "--db", reference.argument, "--workspace", referenceWorkspace, bundle.path])
        let whole = clock.now - start
        let expected = try await reference.inspect { try await rowCounts($0, workspace: referenceWorkspace) }
        #expect(expected["interactions"]! > 40_000)

        var outcomes: [String] = []
        for point in Self.points(backend) {
            let target = backend == .sqlite ? try await Target.make(backend) : reference
            defer { if backend == .sqlite { try? FileManager.default.removeItem(at: target.folder) } }
            let workspace = "crash-\(UUID().uuidString)"
            let child = try ChildProcess(["import", "--db", target.argument, "--workspace", workspace, bundle.path])
            switch point {
            case .after(let file):
                let seen = try await child.waitFor("\(file) [##############################] 100%")
                #expect(seen, "\(point): the import never got there:\n\(child.text)")
            case .share(let share):
                try await Task.sleep(for: whole * share)
            }
            child.send(SIGKILL)
            _ = try await child.finish()

            let counts = try await target.inspect { try await rowCounts($0, workspace: workspace) }
            let none = counts.values.allSatisfy { $0 == 0 }
            #expect(none || counts == expected, "\(point): part of the bundle is in: \(counts)")
            outcomes.append("\(point): \(none ? "none" : "all")")

            try await ChildProcess.run(["import", "--db", target.argument, "--workspace", workspace, bundle.path])
            let again = try await target.inspect { try await rowCounts($0, workspace: workspace) }
            #expect(again == expected, "\(point): the second import")
        }
        // At least one kill came in the middle of writing.
        #expect(outcomes.contains { $0.hasSuffix("none") }, "\(outcomes)")
    }

    @Test(arguments: Backend.available)
    func sigtermAndSigintStopAnImportAndRollItBack(_ backend: Backend) async throws {
        let bundle = try Self.demo()
        defer { try? FileManager.default.removeItem(at: bundle) }
        for (signal, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            let target = try await Target.make(backend)
            defer { try? FileManager.default.removeItem(at: target.folder) }
            let workspace = "stop-\(UUID().uuidString)"
            let child = try ChildProcess(["import", "--db", target.argument, "--workspace", workspace, bundle.path])
            #expect(try await child.waitFor("interactions.csv [##############################] 100%"), "\(child.text)")
            child.send(signal)
            let (status, signalled) = try await child.finish()
            #expect(!signalled && status == 128 + signal, "\(name): \(status)\n\(child.text)")
            #expect(child.text.contains("import stopped by \(name): rolled back, nothing was changed"), "\(child.text)")
            let counts = try await target.inspect { try await rowCounts($0, workspace: workspace) }
            #expect(counts.values.allSatisfy { $0 == 0 }, "\(name): \(counts)")
        }
    }
}
