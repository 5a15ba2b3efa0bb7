import FluentKit
import Foundation
import SQLKit
import TandemCore

/// People as vCard 4.0 (RFC 6350): name, e-mail, phone, country, and the organization and title
/// of their current job, so that an address book (or Tandem's own import) reads them back.
public struct VCardExporter: Sendable {
    public init() {}

    /// Every person of the workspace, or those of one organization (employed there now), or one person; nil when the key is unknown.
    public func cards(workspaceID: Int64, in database: any Database, organization: String? = nil, person: String? = nil) async throws -> String? {
        let sql = try database.sql()
        var people = try await sql.raw("""
            SELECT id, key, name, email, phone, country FROM people WHERE workspace_id = \(bind: workspaceID) ORDER BY id
            """).all().map {
                (id: try $0.decode(column: "id", as: Int64.self), key: try $0.decode(column: "key", as: String.self),
                 name: try $0.decode(column: "name", as: String.self), email: try $0.decode(column: "email", as: String?.self),
                 phone: try $0.decode(column: "phone", as: String?.self), country: try $0.decode(column: "country", as: String?.self))
            }
        // The current job: the latest employment without an end date.
        var jobs: [Int64: (organization: String, organizationKey: String, title: String?)] = [:]
        for row in try await sql.raw("""
            SELECT e.person_id, o.name, o.key, e.title FROM employments e JOIN organizations o ON o.id = e.organization_id \
            WHERE e.workspace_id = \(bind: workspaceID) AND e.end_date IS NULL ORDER BY e.start_date, e.id
            """).all() {
            jobs[try row.decode(column: "person_id", as: Int64.self)] = (try row.decode(column: "name", as: String.self),
                                                                          try row.decode(column: "key", as: String.self),
                                                                          try row.decode(column: "title", as: String?.self))
        }
        if let person {
            people = people.filter { $0.key == person }
            if people.isEmpty { return nil }
        }
        if let organization {
            guard try await sql.raw("SELECT 1 AS one FROM organizations WHERE workspace_id = \(bind: workspaceID) AND key = \(bind: organization)").first() != nil else {
                return nil
            }
            people = people.filter { jobs[$0.id]?.organizationKey == organization }
        }
        return people.map { person in
            let job = jobs[person.id]
            return VCardFormat.write(uid: "tandem:" + person.key, name: person.name, email: person.email, phone: person.phone,
                                     organization: job?.organization, title: job?.title, country: person.country)
        }.joined()
    }
}
