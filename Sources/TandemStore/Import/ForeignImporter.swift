import FluentKit
import Foundation
import SQLKit
import TandemCore

/// Imports a foreign file through a translation into bundle files: the workspace is read for
/// matching, the translation is written to a temporary bundle folder, and the bundle importer
/// loads it in one transaction. A problem the bundle importer finds is reported at the foreign
/// file's line, so the user never sees the intermediate files.
public struct ForeignImporter: Sendable {
    public var importer: BundleImporter

    public init(importer: BundleImporter) {
        self.importer = importer
    }

    /// Imports `translation` (made against `index`, see `index(of:in:)`).
    /// Throws `BundleRejected` with every problem at its place in the foreign file.
    public func load(_ translation: Translation, into database: any Database, workspace: String) async throws -> ForeignImportSummary {
        if !translation.errors.isEmpty {
            throw BundleRejected(errors: translation.errors, warnings: translation.warnings)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-translation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write(translation, to: folder)
        do {
            let summary = try await importer.importBundle(from: folder, into: database, workspace: workspace)
            return ForeignImportSummary(plan: translation.plan, bundle: summary,
                                        warnings: translation.warnings + summary.warnings.map(translation.locate))
        } catch let rejected as BundleRejected {
            var errors = IssueLog(limit: rejected.errors.limit)
            for issue in rejected.errors.issues { errors.add(translation.locate(issue)) }
            errors.addOmitted(rejected.errors.omitted)
            throw BundleRejected(errors: errors, warnings: translation.warnings + rejected.warnings.map(translation.locate))
        }
    }

    /// Writes the translation's tables as bundle files; organizations.csv is always written, as a bundle needs it.
    static func write(_ translation: Translation, to folder: URL) throws {
        var tables = translation.tables
        if tables[.organizations] == nil { tables[.organizations] = Translation.Table(header: ["key", "name", "kind"]) }
        for (file, table) in tables {
            let writer = try CSVWriter(url: folder.appendingPathComponent(file.fileName), header: table.header)
            for row in table.rows { try writer.write(row) }
            try writer.close()
        }
    }

    /// What the workspace holds that foreign records are matched against; empty for a new workspace.
    /// `interactionKeys`: also the keys of interactions imported from calendars (only a calendar needs them).
    public static func index(of workspace: String, in database: any Database, interactionKeys: Bool = false) async throws -> WorkspaceIndex {
        let sql = try database.sql()
        guard let workspaceID = try await WorkspaceRepository(sql: sql).find(named: workspace) else { return WorkspaceIndex() }
        let people = try await sql.select().columns("key", "name", "email", "phone", "country").from("people")
            .where("workspace_id", .equal, workspaceID).orderBy("id").all().map {
                WorkspaceIndex.Person(key: try $0.decode(column: "key", as: String.self), name: try $0.decode(column: "name", as: String.self),
                                      email: try $0.decode(column: "email", as: String?.self), phone: try $0.decode(column: "phone", as: String?.self),
                                      country: try $0.decode(column: "country", as: String?.self))
            }
        var home: String?
        let organizations = try await sql.select().columns("key", "name", "kind", "is_home").from("organizations")
            .where("workspace_id", .equal, workspaceID).orderBy("id").all().map { row in
                let key = try row.decode(column: "key", as: String.self)
                if try row.decode(column: "is_home", as: Bool.self) { home = key }
                return WorkspaceIndex.Organization(key: key, name: try row.decode(column: "name", as: String.self),
                                                   kind: OrganizationKind(rawValue: try row.decode(column: "kind", as: String.self)))
            }
        let branches = try await sql.raw("""
            SELECT b.key, o.key AS organization_key, b.name FROM branches b JOIN organizations o ON o.id = b.organization_id \
            WHERE b.workspace_id = \(bind: workspaceID) ORDER BY b.id
            """).all().map {
                WorkspaceIndex.Branch(key: try $0.decode(column: "key", as: String.self),
                                      organizationKey: try $0.decode(column: "organization_key", as: String.self),
                                      name: try $0.decode(column: "name", as: String.self))
            }
        let employments = try await sql.raw("""
            SELECT p.key AS person_key, o.key AS organization_key, e.end_date FROM employments e \
            JOIN people p ON p.id = e.person_id JOIN organizations o ON o.id = e.organization_id WHERE e.workspace_id = \(bind: workspaceID)
            """).all().map {
                (person: try $0.decode(column: "person_key", as: String.self), organization: try $0.decode(column: "organization_key", as: String.self),
                 current: try $0.decode(column: "end_date", as: String?.self) == nil)
            }
        var index = WorkspaceIndex(people: people, organizations: organizations, branches: branches, employments: employments, homeOrganizationKey: home)
        guard interactionKeys else { return index }
        index.interactionKeys = Set(try await sql.select().column("key").from("interactions").where("workspace_id", .equal, workspaceID)
            .where("key", .like, "ics:%").all().map { try $0.decode(column: "key", as: String.self) })
        return index
    }
}
