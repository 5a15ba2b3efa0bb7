import Foundation
import Logging
import TandemCore
import TandemStore

/// The workspace written out: as a bundle (FORMATS.md), as vCards, or as a backup.
extension TandemWorkspace {
    /// Writes the workspace as a bundle into `directory` (created when missing; bundle files in
    /// it are replaced), from one snapshot; returns the rows written per file.
    public func exportBundle(to directory: URL) async throws -> [(file: String, count: Int)] {
        try await BundleExporter().exportBundle(workspace: name, from: database, to: directory)
    }

    /// The people as vCard 4.0: everyone, the people working at `organization` now, or one
    /// `person`; nil when the organization or person named does not exist.
    public func vCards(organization: String? = nil, person: String? = nil) async throws -> String? {
        try await VCardExporter().cards(workspaceID: id, in: database, organization: organization, person: person)
    }

    /// Writes a backup of the database at `location` to `file`, which must not exist yet
    /// (`BackupFailure` otherwise): on SQLite the whole database, or the workspace named
    /// `workspace` as a bundle in a zip. The backup is written to that workspace's audit trail,
    /// when it exists, as `actor`'s.
    public static func backup(_ format: BackupFormat, of location: DatabaseLocation, workspace: String, to file: URL,
                              actor: String, logger: Logger) async throws -> BackupSummary {
        let store = try await Store.open(location, logger: logger)
        do {
            let summary = try await Backup.write(format, from: store, workspace: workspace, to: file)
            try await auditIfPresent(store, workspace: workspace, "backup", actor: actor,
                                     detail: "\(format.rawValue) to \(file.path)")
            await store.shutdown()
            return summary
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Brings a backup back into `location`: an SQLite backup replaces the whole SQLite database in
    /// one step; a bundle backup is imported into `workspace`, which must be new or empty. The
    /// restore is written to the workspace's audit trail as `actor`'s.
    public static func restore(from file: URL, into location: DatabaseLocation, workspace: String, actor: String,
                               logger: Logger) async throws -> BackupSummary {
        let summary = try await Backup.restore(from: file, into: location, workspace: workspace, logger: logger)
        // Restored: a failure to audit it must not report the restore as failed.
        if let store = try? await Store.open(location, logger: logger) {
            try? await auditIfPresent(store, workspace: workspace, "restore", actor: actor,
                                      detail: "\(summary.format.rawValue) from \(file.path)")
            await store.shutdown()
        }
        return summary
    }

    private static func auditIfPresent(_ store: Store, workspace: String, _ action: String, actor: String,
                                       detail: String) async throws {
        guard let id = try await WorkspaceRepository(sql: try store.sql).find(named: workspace) else { return }
        try await AccountRepository(database: store.database, workspaceID: id)
            .audit(action, actor: actor, target: workspace, detail: detail, now: UTCTimestamp.now())
    }
}
