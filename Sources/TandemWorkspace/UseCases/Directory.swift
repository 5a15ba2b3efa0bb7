import Foundation
import SQLKit
import TandemCore
import TandemStore

/// A kind of directory record that is kept under a key.
public enum DirectoryRecord: String, Sendable, CaseIterable {
    case territory, organization, branch, person, interaction

    var table: String {
        switch self {
        case .territory: "territories"
        case .organization: "organizations"
        case .branch: "branches"
        case .person: "people"
        case .interaction: "interactions"
        }
    }

    var keyColumn: String { self == .territory ? "code" : "key" }
}

/// The directory: territories, organizations, branches, people and their employment histories.
extension TandemWorkspace {
    // MARK: - Reads

    public func territories(_ query: ListQuery) async throws -> ListPage<Territory> {
        try await directory.territories(query)
    }
    public func territory(code: String) async throws -> Territory { try await directory.territory(code: code) }
    public func organizations(_ query: ListQuery) async throws -> ListPage<Organization> {
        try await directory.organizations(query)
    }
    public func organization(key: String) async throws -> Organization { try await directory.organization(key: key) }
    public func branches(_ query: ListQuery) async throws -> ListPage<Branch> { try await directory.branches(query) }
    public func branch(key: String) async throws -> Branch { try await directory.branch(key: key) }
    public func people(_ query: ListQuery) async throws -> ListPage<Person> { try await directory.people(query) }
    public func person(key: String) async throws -> Person { try await directory.person(key: key) }
    public func employments(_ query: ListQuery) async throws -> ListPage<Employment> {
        try await directory.employments(query)
    }
    public func employment(id: Int64) async throws -> Employment { try await directory.employment(id: id) }

    /// Whether the workspace holds no organization yet.
    public func isEmpty() async throws -> Bool {
        var query = ListQuery()
        query.limit = 1
        return try await directory.organizations(query).items.isEmpty
    }

    /// The names of a few people and organizations by key (for pages that do not need the whole
    /// workspace in memory); keys without a record are left out.
    public func names(people: [String], organizations: [String]) async throws -> (people: [String: String],
            organizations: [String: String]) {
        let sql = try sql, id = id
        func lookup(_ table: String, _ keys: [String]) async throws -> [String: String] {
            let unique = Array(Set(keys))
            guard !unique.isEmpty else { return [:] }
            var names: [String: String] = [:]
            for row in try await sql.select().column("key").column("name").from(table).where("workspace_id", .equal, id)
                .where("key", .in, unique).all() {
                names[try row.decode(column: "key", as: String.self)] = try row.decode(column: "name", as: String.self)
            }
            return names
        }
        return (try await lookup("people", people), try await lookup("organizations", organizations))
    }

    /// The key of the home organization, when there is one.
    public func homeOrganizationKey() async throws -> String? {
        try await sql.raw("SELECT key FROM organizations WHERE workspace_id = \(bind: id) AND is_home = \(bind: true)").first()?
            .decode(column: "key", as: String.self)
    }

    /// The people who work for the organization with `key` on `date`, by name (at most 500).
    public func staff(of key: String, on date: LocalDate) async throws -> [(key: String, name: String)] {
        let day = date.description
        return try await sql.raw("""
            SELECT DISTINCT p.key, p.name FROM people p JOIN employments e ON e.person_id = p.id JOIN organizations o ON o.id = e.organization_id \
            WHERE p.workspace_id = \(bind: id) AND o.key = \(bind: key) AND o.workspace_id = \(bind: id) \
            AND e.start_date <= \(bind: day) AND (e.end_date IS NULL OR e.end_date >= \(bind: day)) ORDER BY p.name LIMIT 500
            """).all().map { (try $0.decode(column: "key", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }

    // MARK: - Writes

    public func saveTerritory(_ draft: TerritoryDraft, existing: String? = nil) async throws -> Territory {
        try await write { try await directory.saveTerritory(draft, existing: existing) }
    }

    public func saveOrganization(_ draft: OrganizationDraft, existing: String? = nil) async throws -> Organization {
        try await write { try await directory.saveOrganization(draft, existing: existing) }
    }

    public func saveBranch(_ draft: BranchDraft, existing: String? = nil) async throws -> Branch {
        try await write { try await directory.saveBranch(draft, existing: existing) }
    }

    public func savePerson(_ draft: PersonDraft, existing: String? = nil) async throws -> Person {
        try await write { try await directory.savePerson(draft, existing: existing) }
    }

    public func saveEmployment(_ draft: EmploymentDraft, existing: Int64? = nil) async throws -> Employment {
        try await write { try await directory.saveEmployment(draft, existing: existing) }
    }

    /// Deletes a keyed record; refuses with a conflict naming what still refers to it.
    public func delete(_ record: DirectoryRecord, key: String) async throws {
        try await write { try await directory.delete(record.table, kind: record.rawValue, key: key,
                                                     column: record.keyColumn) }
    }

    public func deleteEmployment(id: Int64) async throws {
        try await write { try await directory.deleteEmployment(id: id) }
    }
}
