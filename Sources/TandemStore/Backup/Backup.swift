import FluentKit
import Foundation
import SQLKit
import TandemCore
import ZIPFoundation

/// `tandem backup` and `tandem restore`: a consistent copy taken while servers run, and bringing
/// it back.
public enum Backup {
    public typealias Format = BackupFormat
    public typealias Failure = BackupFailure
    public typealias Summary = BackupSummary

    // MARK: Backing up

    /// Writes a backup of `store` to `file`, which must not exist yet. The file appears whole
    /// when the backup is done and not at all when it fails.
    public static func write(_ format: Format, from store: Store, workspace: String, to file: URL) async throws -> Summary {
        guard !FileManager.default.fileExists(atPath: file.path) else { throw Failure("\(file.path) already exists: name a new file") }
        let partial = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).partial-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: partial) }
        var rows: Int?
        switch format {
        case .sqlite:
            guard case .sqlite = store.location else {
                throw Failure("a PostgreSQL database is backed up a workspace at a time as a bundle: --format bundle")
            }
            try await store.sql.raw("VACUUM INTO \(bind: partial.path)").run()
        case .bundle:
            guard try await WorkspaceRepository(store.database).find(named: workspace) != nil else {
                throw Failure("no workspace \"\(workspace)\" in this database (see tandem workspaces)")
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-backup-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            rows = try await BundleExporter().exportBundle(workspace: workspace, from: store.database, to: folder).reduce(0) { $0 + $1.count }
            try FileManager.default.zipItem(at: folder, to: partial, shouldKeepParent: false, compressionMethod: .deflate)
        }
        try FileManager.default.moveItem(at: partial, to: file)
        return Summary(format: format, bytes: Self.size(of: file), rows: rows)
    }

    // MARK: Restoring

    /// Brings a backup back. An SQLite backup replaces the whole SQLite database at `location` in
    /// one step (servers on it see the old data or the restored data, never a mix, and drop what
    /// they had cached); a bundle backup is imported into `workspace`, which must be new or empty.
    public static func restore(from file: URL, into location: DatabaseLocation, workspace: String,
                               logger: Logger = Logger(label: "tandem.restore")) async throws -> Summary {
        let head = try FileHandle(forReadingFrom: file).readAll(upTo: 16)
        if head.starts(with: Array("SQLite format 3".utf8) + [0]) {
            guard case .sqlite(let path) = location else {
                throw Failure("\(file.path) is an SQLite backup: it restores into an SQLite database (--db FILE); "
                              + "to move a workspace to PostgreSQL, back it up with --format bundle")
            }
            try restoreSQLite(from: file, into: path)
            // A backup from an older Tandem gets this version's migrations.
            await (try await Store.open(location, logger: logger)).shutdown()
            return Summary(format: .sqlite, bytes: size(of: file), rows: nil)
        }
        guard head.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
            throw Failure("\(file.path): not a Tandem backup (expected an SQLite file or a zip archive of a bundle)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-restore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try unpackBundle(file, into: folder)
        let store = try await Store.open(location, logger: logger)
        do {
            if let id = try await WorkspaceRepository(store.database).find(named: workspace),
               let count = try await store.sql.raw("SELECT COUNT(*) AS n FROM organizations WHERE workspace_id = \(bind: id)").first()?
                .decode(column: "n", as: Int.self), count > 0 {
                throw Failure("workspace \"\(workspace)\" already holds data: restore into a new one (--workspace NAME), or delete this one first")
            }
            let summary = try await BundleImporter().importBundle(from: folder, into: store.database, workspace: workspace)
            await store.shutdown()
            return Summary(format: .bundle, bytes: size(of: file), rows: summary.totalRows)
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Checks the backup, stages a copy whose workspace revisions lie past every revision the
    /// database at `path` has had (so servers never take restored data for what they cached), and
    /// copies it over that database with SQLite's backup API.
    static func restoreSQLite(from file: URL, into path: String) throws {
        let source = try DirectSQLiteConnection(path: file.path, access: .readOnly)
        defer { source.close() }
        let check: [String], tables: Set<String>
        do {
            check = try source.texts("PRAGMA integrity_check")
            tables = Set(try source.texts("SELECT name FROM sqlite_master WHERE type = 'table'"))
        } catch {
            throw Failure("\(file.path) is damaged (\(error)): nothing was restored")
        }
        guard check == ["ok"] else {
            throw Failure("\(file.path) is damaged (PRAGMA integrity_check: \(check.prefix(3).joined(separator: "; "))): nothing was restored")
        }
        guard tables.isSuperset(of: ["workspaces", "_fluent_migrations"]) else {
            throw Failure("\(file.path) is an SQLite file but not a Tandem database: nothing was restored")
        }
        let known = Set(TandemMigrations.all.map(\.name))
        let unknown = try source.texts("SELECT name FROM _fluent_migrations").filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw Failure("\(file.path) was made by a newer Tandem (it has \(unknown.joined(separator: ", "))): restore it with that version")
        }

        let staging = URL(fileURLWithPath: path).deletingLastPathComponent()
            .appendingPathComponent(".\(URL(fileURLWithPath: path).lastPathComponent).restore-\(UUID().uuidString)")
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: staging.path + suffix) }
        }
        do {
            try source.withStatement("VACUUM INTO ?") { statement in
                statement.bind(1, staging.path)
                try statement.run()
            }
            let target = try DirectSQLiteConnection(path: path, access: .create)
            defer { target.close() }
            let staged = try DirectSQLiteConnection(path: staging.path)
            defer { staged.close() }
            var highest: Int64 = 0
            let existing = try target.texts("SELECT name FROM sqlite_master WHERE type = 'table'")
            if existing.contains("workspaces") {
                // A server keeps its workspace's id from its start: the restored database must give
                // every workspace it has the same id, or servers running on it would read another's.
                // The id first: a name may hold any character, a tab or nothing included.
                let ids = { (connection: DirectSQLiteConnection) -> [(name: String, id: String)] in
                    try connection.texts("SELECT id || char(9) || name FROM workspaces").map { line in
                        let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                        return (parts.count > 1 ? parts[1] : "", parts[0])
                    }
                }
                let restored = Dictionary(try ids(staged).map { ($0.name, $0.id) }) { first, _ in first }
                for pair in try ids(target).sorted(by: { $0.name < $1.name }) where restored[pair.name] != pair.id {
                    throw Failure("workspace \"\(pair.name)\" \(restored[pair.name] == nil ? "is not in the backup" : "has another id in the backup") "
                                  + "(a backup of another database, or one older than the workspace): servers on \(path) would lose "
                                  + "their workspace. Restore into a new file (--db NEW.sqlite) and put it in place while they are stopped")
                }
                highest = Int64(try target.texts("SELECT COALESCE(MAX(revision), 0) FROM workspaces").first ?? "0") ?? 0
            }
            try staged.execute("UPDATE workspaces SET revision = revision + \(highest + 1)")
            // What the backed-up revisions changed says nothing of the restored ones.
            if tables.contains("workspace_changes") { try staged.execute("DELETE FROM workspace_changes") }
            // SQLite copies pages as they are, and a database in WAL mode keeps its page size.
            let pageSize = try target.texts("PRAGMA page_size").first ?? "", stagedPageSize = try staged.texts("PRAGMA page_size").first ?? ""
            if !existing.isEmpty, pageSize != stagedPageSize, let size = Int(pageSize) {
                try staged.execute("PRAGMA page_size = \(size); VACUUM")
            }
            try target.replace(with: staged)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure("\(path) was not changed: \(error)")
        }
    }

    /// The most bytes one file of a bundle backup may unpack to: far above any real workspace's
    /// (the xl demo's largest file is 0.3 GiB), far below a full disk.
    static let largestFile: UInt64 = 16 << 30

    /// Unpacks a bundle archive: only the bundle's files, at its top level, none larger than
    /// `largestFile`.
    static func unpackBundle(_ file: URL, into folder: URL) throws {
        let archive: Archive
        do { archive = try Archive(url: file, accessMode: .read) } catch {
            throw Failure("\(file.path): not a readable zip archive (\(error))")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let names = Set(BundleFile.allCases.map(\.fileName))
        var found = false
        for entry in archive where entry.type == .file {
            guard names.contains(entry.path) else {
                throw Failure("\(file.path): \(entry.path) is not a bundle file; a bundle backup holds only \(BundleFile.organizations.fileName) and the other files of FORMATS.md")
            }
            guard UInt64(entry.uncompressedSize) <= largestFile else {
                throw Failure("\(file.path): \(entry.path) would unpack to \(entry.uncompressedSize.formatted()) bytes, more than a bundle file may hold")
            }
            _ = try archive.extract(entry, to: folder.appendingPathComponent(entry.path))
            found = found || entry.path == BundleFile.organizations.fileName
        }
        guard found else { throw Failure("\(file.path): no \(BundleFile.organizations.fileName) in the archive: not a bundle backup") }
    }

    static func size(of file: URL) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
    }
}

extension FileHandle {
    /// Up to `count` bytes from the start, and closes the file.
    func readAll(upTo count: Int) throws -> [UInt8] {
        defer { try? close() }
        return Array(try read(upToCount: count) ?? Data())
    }
}
