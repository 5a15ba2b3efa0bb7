import Foundation
import SQLKit
import TandemCore
@testable import TandemStore
import Testing
import ZIPFoundation

/// `tandem backup` and `tandem restore`: the copy is consistent while writers run, a round trip
/// brings every row back, a restore moves the workspaces' revisions forward, and a bad backup is
/// refused without touching the database.
@Suite struct BackupTests {
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Every row of every table of an SQLite file, in a stable order; `revision` left out.
    static func dump(_ path: String) throws -> [String: [String]] {
        let connection = try DirectSQLiteConnection(path: path, access: .readOnly)
        defer { connection.close() }
        var dump: [String: [String]] = [:]
        for table in try connection.texts("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
            let columns = try connection.texts("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid").filter { $0 != "revision" }
            let row = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
            dump[table] = try connection.texts("SELECT \(row) FROM \"\(table)\" ORDER BY 1")
        }
        return dump
    }

    static func revisions(_ path: String) throws -> [Int64] {
        let connection = try DirectSQLiteConnection(path: path, access: .readOnly)
        defer { connection.close() }
        return try connection.texts("SELECT revision FROM workspaces ORDER BY id").compactMap { Int64($0) }
    }

    /// An SQLite database with the s demo, a user and audit entries in `workspace`.
    static func filled(_ path: String, workspace: String) async throws {
        let store = try await openTestStore(.sqlite(path: path))
        let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("backup-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: bundle) }
        _ = try generateDemoBundle(size: .s, seed: 11, into: bundle)
        _ = try await BundleImporter().importBundle(from: bundle, into: store.database, workspace: workspace)
        let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
        let accounts = try AccountRepository(database: store.database, workspaceID: id)
        _ = try await accounts.createUser(email: "admin@test.example", passwordHash: "$2b$12$hash", role: .admin, organizationKey: nil,
                                          partnershipKeys: [], now: "2026-11-28T10:00:00Z", actor: "test")
        try await accounts.audit("import", actor: "test", target: workspace, detail: "demo", now: "2026-11-28T10:00:01Z")
        await store.shutdown()
    }

    @Test func anSQLiteBackupRestoresEveryRowOfEveryTable() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = folder.appendingPathComponent("original.sqlite").path
        try await Self.filled(original, workspace: "north")
        let store = try await openTestStore(.sqlite(path: original))
        let file = folder.appendingPathComponent("north.backup")
        let summary = try await Backup.write(.sqlite, from: store, workspace: "north", to: file)
        await store.shutdown()
        #expect(summary.bytes > 100_000)

        let restored = folder.appendingPathComponent("restored.sqlite").path
        _ = try await Backup.restore(from: file, into: .sqlite(path: restored), workspace: "north", logger: quietLogger())
        let before = try Self.dump(original), after = try Self.dump(restored)
        #expect(before.keys.sorted() == after.keys.sorted())
        for table in before.keys.sorted() { #expect(before[table] == after[table], "\(table)") }
        #expect((before["interactions"]?.count ?? 0) > 1000 && before["users"]?.count == 1 && (before["audit_events"]?.count ?? 0) >= 1)
    }

    @Test func restoringOverADatabaseInUseReplacesItWholeAndMovesItsRevisionsOn() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let backedUp = folder.appendingPathComponent("a.sqlite").path, live = folder.appendingPathComponent("b.sqlite").path
        try await Self.filled(backedUp, workspace: "north")
        let file = folder.appendingPathComponent("a.backup")
        let source = try await openTestStore(.sqlite(path: backedUp))
        _ = try await Backup.write(.sqlite, from: source, workspace: "north", to: file)
        await source.shutdown()

        // A server's store on the live database, with other data and many revisions behind it.
        let server = try await openTestStore(.sqlite(path: live))
        let id = try await WorkspaceRepository(server.database).findOrCreate(named: "north")
        let directory = try DirectoryRepository(database: server.database, workspaceID: id)
        for index in 0..<30 { _ = try await directory.saveTerritory(TerritoryDraft(code: "X\(index)", name: "Gone \(index)")) }
        let highest = try #require(try Self.revisions(live).max())

        _ = try await Backup.restore(from: file, into: .sqlite(path: live), workspace: "north", logger: quietLogger())
        // The server's open connections read the restored database.
        let restoredID = try #require(try await WorkspaceRepository(server.database).find(named: "north"))
        let codes = try await server.sql.raw("SELECT code FROM territories WHERE workspace_id = \(bind: restoredID)").all()
            .map { try $0.decode(column: "code", as: String.self) }
        #expect(!codes.contains("X0") && codes.contains("DE"))
        #expect(try Self.revisions(live).allSatisfy { $0 > highest }, "every revision lies past the \(highest) the server may have cached")
        await server.shutdown()
        var expected = try Self.dump(backedUp), got = try Self.dump(live)
        expected["_fluent_migrations"] = nil
        got["_fluent_migrations"] = nil
        #expect(expected == got)
    }

    @Test func aBackupWhoseWorkspacesHaveOtherIdsIsNotRestoredOverADatabaseServersMayUse() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let other = folder.appendingPathComponent("other.sqlite").path, live = folder.appendingPathComponent("live.sqlite").path
        try await Self.filled(other, workspace: "north")
        let source = try await openTestStore(.sqlite(path: other))
        let file = folder.appendingPathComponent("other.backup")
        _ = try await Backup.write(.sqlite, from: source, workspace: "north", to: file)
        await source.shutdown()
        // Here "north" came second, so it has another id than in the backup.
        let store = try await openTestStore(.sqlite(path: live))
        _ = try await WorkspaceRepository(store.database).findOrCreate(named: "south")
        _ = try await WorkspaceRepository(store.database).findOrCreate(named: "north")
        await store.shutdown()
        let before = try Self.dump(live)
        await #expect {
            _ = try await Backup.restore(from: file, into: .sqlite(path: live), workspace: "north", logger: quietLogger())
        } throws: { error in
            String(describing: error).hasPrefix("workspace \"north\" has another id in the backup")
        }
        #expect(try Self.dump(live) == before)
        // Into a new file it goes.
        _ = try await Backup.restore(from: file, into: .sqlite(path: folder.appendingPathComponent("new.sqlite").path), workspace: "north",
                                     logger: quietLogger())
    }

    @Test func backupsTakenWhileSomeoneWritesAreWholeAndConsistent() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("busy.sqlite").path
        let store = try await openTestStore(.sqlite(path: path))
        let id = try await WorkspaceRepository(store.database).findOrCreate(named: "busy")
        let directory = try DirectoryRepository(database: store.database, workspaceID: id)
        let writer = Task {
            var index = 0
            while !Task.isCancelled {
                _ = try await directory.saveTerritory(TerritoryDraft(code: "T\(index)", name: "Territory \(index)", parentCode: index > 0 ? "T\(index - 1)" : nil))
                index += 1
                // A steady writer, not one that takes SQLite's shared threads from every other test.
                try? await Task.sleep(for: .milliseconds(2))
            }
            return index
        }
        var counts: [Int] = []
        for round in 0..<4 {
            try await Task.sleep(for: .milliseconds(150))
            let file = folder.appendingPathComponent("busy-\(round).backup")
            _ = try await Backup.write(.sqlite, from: store, workspace: "busy", to: file)
            let copy = try DirectSQLiteConnection(path: file.path, access: .readOnly)
            #expect(try copy.texts("PRAGMA integrity_check") == ["ok"])
            #expect(try copy.texts("PRAGMA foreign_key_check").isEmpty)
            // One state: the chain of parents is unbroken, however far the writer had got.
            let count = Int(try copy.texts("SELECT COUNT(*) FROM territories").first ?? "") ?? -1
            #expect(try copy.texts("SELECT COUNT(*) FROM territories WHERE code = 'T' || \(count - 1)") == ["\(count > 0 ? 1 : 0)"])
            copy.close()
            counts.append(count)
        }
        writer.cancel()
        let written = try await writer.value
        await store.shutdown()
        #expect(counts == counts.sorted() && counts.last! > counts.first!, "\(counts) of \(written)")
    }

    @Test(arguments: Backend.available)
    func aBundleBackupRestoresTheWorkspaceIntoEitherDatabase(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("backup-demo-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: bundle) }
            _ = try generateDemoBundle(size: .s, seed: 12, into: bundle)
            _ = try await BundleImporter().importBundle(from: bundle, into: store.database, workspace: workspace)
            let folder = try Self.scratch()
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("w.zip")
            let summary = try await Backup.write(.bundle, from: store, workspace: workspace, to: file)
            #expect((summary.rows ?? 0) > 10_000)

            let copy = workspace + "-restored"
            let restored = try await Backup.restore(from: file, into: store.location, workspace: copy, logger: quietLogger())
            #expect(restored.rows == summary.rows)
            #expect(try await exportFiles(store, workspace: copy) == (try await exportFiles(store, workspace: workspace)))
            // Into a workspace that holds data: refused, nothing changed.
            let before = try await rowCounts(store, workspace: copy)
            await #expect(throws: Backup.Failure.self) {
                _ = try await Backup.restore(from: file, into: store.location, workspace: copy, logger: quietLogger())
            }
            #expect(try await rowCounts(store, workspace: copy) == before)
            // And from PostgreSQL into a new SQLite file.
            let sqlite = folder.appendingPathComponent("moved.sqlite").path
            _ = try await Backup.restore(from: file, into: .sqlite(path: sqlite), workspace: "moved", logger: quietLogger())
            let moved = try await openTestStore(.sqlite(path: sqlite))
            let movedFiles = try await exportFiles(moved, workspace: "moved")
            await moved.shutdown()
            #expect(movedFiles == (try await exportFiles(store, workspace: workspace)))
        }
    }

    @Test func badBackupsAreRefusedAndChangeNothing() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let live = folder.appendingPathComponent("live.sqlite").path
        try await Self.filled(live, workspace: "north")
        let before = try Self.dump(live)
        let store = try await openTestStore(.sqlite(path: live))
        let good = folder.appendingPathComponent("good.backup")
        _ = try await Backup.write(.sqlite, from: store, workspace: "north", to: good)
        // An existing file is never overwritten.
        await #expect(throws: Backup.Failure.self) { _ = try await Backup.write(.sqlite, from: store, workspace: "north", to: good) }
        await store.shutdown()

        var damaged = try Data(contentsOf: good)
        for offset in stride(from: 40_000, to: min(damaged.count, 200_000), by: 997) { damaged[offset] ^= 0x5A }
        let cases: [(String, Data, String)] = [
            ("damaged.backup", damaged, "is damaged"),
            ("text.backup", Data("organizations.csv\n".utf8), "not a Tandem backup"),
            ("truncated.backup", try Data(contentsOf: good).prefix(10_000), "is damaged"),
            ("other.sqlite", try Self.otherSQLite(folder), "not a Tandem database"),
            ("foreign.zip", try Self.zip(folder, ["organizations.csv": "key,name,kind,is_home\n", "../evil.csv": "x"]), "is not a bundle file"),
            ("empty.zip", try Self.zip(folder, ["notes.txt": "hello"]), "is not a bundle file"),
        ]
        for (name, data, message) in cases {
            let file = folder.appendingPathComponent(name)
            try data.write(to: file)
            do {
                _ = try await Backup.restore(from: file, into: .sqlite(path: live), workspace: "north", logger: quietLogger())
                Issue.record("\(name) was restored")
            } catch {
                #expect(String(describing: error).contains(message), "\(name): \(error)")
            }
            #expect(try Self.dump(live) == before, "\(name) changed the database")
        }
    }

    static func otherSQLite(_ folder: URL) throws -> Data {
        let path = folder.appendingPathComponent("other-\(UUID().uuidString).sqlite").path
        let connection = try DirectSQLiteConnection(path: path, access: .create)
        try connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello')")
        connection.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    static func zip(_ folder: URL, _ entries: [String: String]) throws -> Data {
        let file = folder.appendingPathComponent("z-\(UUID().uuidString).zip")
        let archive = try Archive(url: file, accessMode: .create)
        for (name, text) in entries.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try Data(contentsOf: file)
    }
}
