import FluentKit
import Foundation
import Logging
import TandemCore
import TandemStore

/// What to import, from the command line or the import page alike.
public struct ImportRequest: Sendable {
    /// Who imports, for the audit trail (nothing is audited without it, nor for a dry run).
    public struct Audit: Sendable {
        public var actor: String?
        public var target: String?
        public var address: String?
        /// What the rows came from, as the trail says it: `demo/ (bundle)`.
        public var source: String

        public init(actor: String?, target: String? = nil, address: String? = nil, source: String) {
            self.actor = actor; self.target = target; self.address = address; self.source = source
        }
    }

    public var format: ImportFormat
    /// A bundle's folder or one of its files, or the foreign file.
    public var source: URL
    /// How problems name a foreign file (its name as the user knows it).
    public var sourceName: String
    /// The choices of a foreign import.
    public var options: ImportOptions
    /// Checks everything and says what would change, then changes nothing.
    public var dryRun = false
    /// The most problems reported one by one.
    public var issueLimit = 200
    public var progress: (@Sendable (ImportProgress) -> Void)?
    public var audit: Audit?

    public init(format: ImportFormat, source: URL, sourceName: String? = nil, options: ImportOptions) {
        self.format = format
        self.source = source
        self.sourceName = sourceName ?? source.lastPathComponent
        self.options = options
    }
}

/// What an import did, or in a dry run would do: its rows, and for a foreign file what became of
/// each record.
public struct ImportOutcome: Sendable {
    public var summary: ImportSummary
    public var plan: ImportPlan?
    public var warnings: [BundleIssue]
}

extension TandemWorkspace {
    /// Imports a bundle or a foreign file in one transaction, all or nothing: every problem is
    /// reported at its place in the file given (`BundleRejected`), and the workspace is then
    /// unchanged. It holds the workspace's write queue from reading the workspace (to match a
    /// foreign file's records) to its commit, so no write falls in between. Cancelling the task
    /// stops it at its next batch and rolls it back.
    public func importFile(_ request: ImportRequest) async throws -> ImportOutcome {
        let outcome = try await write { try await Self.load(request, into: database, workspace: name) }
        await audit(outcome, of: request)
        return outcome
    }

    /// `importFile` for the command line, into the workspace named `workspace` of the database at
    /// `location`; a workspace that does not exist yet is created by the import's own
    /// transaction, so a refused import or a dry run leaves none behind.
    public static func importFile(_ request: ImportRequest, into location: DatabaseLocation, workspace name: String,
                                  logger: Logger) async throws -> ImportOutcome {
        let store = try await Store.open(location, logger: logger)
        do {
            let outcome: ImportOutcome
            if let id = try await WorkspaceRepository(sql: try store.sql).find(named: name) {
                outcome = try await TandemWorkspace(id: id, name: name, store: store).importFile(request)
            } else {
                outcome = try await load(request, into: store.database, workspace: name)
                if let id = try await WorkspaceRepository(sql: try store.sql).find(named: name) {
                    await TandemWorkspace(id: id, name: name, store: store).audit(outcome, of: request)
                }
            }
            await store.shutdown()
            return outcome
        } catch {
            await store.shutdown()
            throw error
        }
    }

    private static func load(_ request: ImportRequest, into database: any Database,
                             workspace name: String) async throws -> ImportOutcome {
        let importer = BundleImporter(issueLimit: request.issueLimit, dryRun: request.dryRun,
                                      progress: request.progress)
        if request.format == .bundle {
            let summary = try await importBundle(request.source, with: importer, into: database, workspace: name)
            return ImportOutcome(summary: summary, plan: nil, warnings: summary.warnings)
        }
        let index = try await ForeignImporter.index(of: name, in: database, interactionKeys: request.format == .ical)
        let translation = ForeignTranslation.translate(request.format, file: request.source, source: request.sourceName,
                                                       options: request.options, index: index, issueLimit: request.issueLimit,
                                                       progress: request.progress)
        let result = try await ForeignImporter(importer: importer).load(translation, into: database, workspace: name)
        return ImportOutcome(summary: result.bundle, plan: result.plan, warnings: result.warnings)
    }

    /// Writes a committed import to the audit trail. It runs in a task of its own, so that a stop
    /// signal from here on does not cut the entry short; an import is not undone when its entry fails.
    private func audit(_ outcome: ImportOutcome, of request: ImportRequest) async {
        guard let audit = request.audit, !request.dryRun else { return }
        let rows = outcome.summary.totalRows
        try? await Task {
            try await self.audit("import", actor: audit.actor, target: audit.target,
                                 detail: "\(rows) rows from \(audit.source)",
                                 address: audit.address, now: UTCTimestamp.now())
        }.value
    }

    /// A bundle's folder, or one bundle file on its own, imported alone rather than with whatever
    /// else is in its folder.
    private static func importBundle(_ source: URL, with importer: BundleImporter, into database: any Database,
                                     workspace name: String) async throws -> ImportSummary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path,
                                             isDirectory: &isDirectory), !isDirectory.boolValue else {
            return try await importer.importBundle(from: source, into: database, workspace: name)
        }
        let alone = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: alone, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: alone) }
        try FileManager.default.copyItem(at: source,
                                         to: alone.appendingPathComponent(source.lastPathComponent.lowercased()))
        do {
            return try await importer.importBundle(from: alone, into: database, workspace: name)
        } catch let rejected as BundleRejected where rejected.errors.issues.first?.line == 0
                    && rejected.errors.issues.first?.file == BundleFile.organizations.fileName {
            var log = IssueLog()
            log.add(file: source.path, line: 0, column: nil,
                    "a bundle file alone is not a bundle: every bundle has organizations.csv, so import the bundle's folder")
            throw BundleRejected(errors: log, warnings: [])
        }
    }
}
