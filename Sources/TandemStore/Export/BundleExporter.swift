import FluentKit
import Foundation
import SQLKit
import TandemCore

/// Writes a workspace back out as a bundle (FORMATS.md). Rows come out in creation order, so an
/// export imported into an empty workspace exports to identical files.
public struct BundleExporter: Sendable {
    public init() {}

    /// Exports the named workspace into `directory` (created when missing); returns data rows per file.
    @discardableResult
    public func exportBundle(workspace: String, from database: any Database, to directory: URL) async throws -> [(file: String, count: Int)] {
        // One transaction: every file comes from the same snapshot, so the bundle never refers to a
        // row written by someone else between two files.
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            if sql.dialect.name == "postgresql" {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            }
            return try await Self.write(workspace: workspace, sql: sql, to: directory)
        }.map { (file: $0.file, count: $0.count) }
    }

    static func write(workspace: String, sql: any SQLDatabase, to directory: URL) async throws -> [ExportCount] {
        guard let workspaceID = try await WorkspaceRepository(sql: sql).find(named: workspace) else {
            throw WorkspaceError.notFound(workspace)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var counts: [ExportCount] = []
        for file in BundleFile.allCases {
            let writer = try CSVWriter(url: directory.appendingPathComponent(file.fileName), header: file.header)
            let count = try await ExportQuery(file: file, workspaceID: workspaceID).write(from: sql, to: writer)
            try writer.close()
            counts.append(ExportCount(file: file.fileName, count: count))
        }
        return counts
    }
}

/// Rows written to one file.
struct ExportCount: Sendable {
    var file: String
    var count: Int
}

/// How one bundle file is read back from the tables.
struct ExportQuery {
    enum Kind { case text, number, integer, bool }
    struct Link { var column: String; var table: String; var parent: String; var child: String; var childTable: String; var childKey: String; var initiatorFirst: Bool }

    let file: BundleFile
    let workspaceID: Int64
    let batchSize = 5000

    /// SELECT list (each aliased as its bundle column), FROM clause with joins, value kinds and link columns.
    var shape: (select: String, from: String, kinds: [String: Kind], links: [Link]) {
        switch file {
        case .territories:
            ("t.code AS code, t.name AS name, p.code AS parent_code, t.country AS country",
             "territories t LEFT JOIN territories p ON p.id = t.parent_id", [:], [])
        case .organizations:
            ("t.key AS key, t.name AS name, t.kind AS kind, t.country AS country, t.currency AS currency, t.is_home AS is_home",
             "organizations t", ["is_home": .bool], [])
        case .branches:
            ("t.key AS key, o.key AS organization_key, t.name AS name, t.city AS city, t.country AS country, r.code AS territory_code",
             "branches t JOIN organizations o ON o.id = t.organization_id LEFT JOIN territories r ON r.id = t.territory_id", [:], [])
        case .people:
            ("t.key AS key, t.name AS name, t.email AS email, t.phone AS phone, t.country AS country", "people t", [:], [])
        case .employments:
            ("p.key AS person_key, o.key AS organization_key, b.key AS branch_key, t.function AS function, t.title AS title, t.start_date AS start_date, t.end_date AS end_date",
             "employments t JOIN people p ON p.id = t.person_id JOIN organizations o ON o.id = t.organization_id LEFT JOIN branches b ON b.id = t.branch_id",
             [:], [])
        case .interactions:
            ("t.key AS key, COALESCE(t.occurred_at, t.occurred_on) AS date, t.kind AS kind, p.key AS initiator_key, t.duration_minutes AS duration_minutes, t.summary AS summary",
             "interactions t JOIN people p ON p.id = t.initiator_id", ["duration_minutes": .integer],
             [Link(column: "participant_keys", table: "interaction_participants", parent: "interaction_id", child: "person_id",
                   childTable: "people", childKey: "key", initiatorFirst: true)])
        case .partnerships:
            ("t.key AS key, o.key AS counterpart_key, t.status AS status, t.commitment AS commitment, t.agreement_date AS agreement_date, t.notes AS notes",
             "partnerships t JOIN organizations o ON o.id = t.counterpart_id", [:],
             [Link(column: "signed_by_keys", table: "partnership_signatories", parent: "partnership_id", child: "person_id",
                   childTable: "people", childKey: "key", initiatorFirst: false),
              Link(column: "territory_codes", table: "partnership_territories", parent: "partnership_id", child: "territory_id",
                   childTable: "territories", childKey: "code", initiatorFirst: false)])
        case .goals:
            ("t.key AS key, ps.key AS partnership_key, t.metric AS metric, t.unit AS unit, t.baseline AS baseline, t.target AS target, t.due_date AS due_date",
             "goals t JOIN partnerships ps ON ps.id = t.partnership_id", ["baseline": .number, "target": .number],
             [Link(column: "owner_keys", table: "goal_owners", parent: "goal_id", child: "person_id",
                   childTable: "people", childKey: "key", initiatorFirst: false)])
        case .goalProgress:
            ("g.key AS goal_key, t.date AS date, t.value AS value", "goal_progress t JOIN goals g ON g.id = t.goal_id", ["value": .number], [])
        case .commitments:
            ("t.key AS key, ps.key AS partnership_key, o.key AS party_key, t.asset AS asset, t.amount AS amount, t.unit AS unit, t.currency AS currency, t.due_date AS due_date, t.description AS description",
             "commitments t JOIN partnerships ps ON ps.id = t.partnership_id JOIN organizations o ON o.id = t.party_id",
             ["amount": .number], [])
        case .contributions:
            ("c.key AS commitment_key, t.date AS date, t.amount AS amount, p.key AS confirmed_by_key, t.note AS note",
             "contributions t JOIN commitments c ON c.id = t.commitment_id LEFT JOIN people p ON p.id = t.confirmed_by_id",
             ["amount": .number], [])
        case .risks:
            ("ps.key AS partnership_key, o.key AS party_key, t.description AS description, t.exposure_amount AS exposure_amount, t.currency AS currency",
             "risks t JOIN partnerships ps ON ps.id = t.partnership_id JOIN organizations o ON o.id = t.party_id",
             ["exposure_amount": .number], [])
        case .partnershipEvents:
            ("ps.key AS partnership_key, t.date AS date, t.status AS status, t.note AS note",
             "partnership_events t JOIN partnerships ps ON ps.id = t.partnership_id", [:], [])
        case .reviews:
            ("t.key AS key, ps.key AS partnership_key, t.date AS date, t.visibility AS visibility, t.notes AS notes",
             "reviews t JOIN partnerships ps ON ps.id = t.partnership_id", [:],
             [Link(column: "attendee_keys", table: "review_attendees", parent: "review_id", child: "person_id",
                   childTable: "people", childKey: "key", initiatorFirst: false)])
        case .sales:
            ("t.period AS period, o.key AS manufacturer_key, b.key AS branch_key, t.product_line AS product_line, t.sell_in_amount AS sell_in_amount, t.sell_through_amount AS sell_through_amount, t.manufacturer_gross_profit AS manufacturer_gross_profit, t.distributor_gross_profit AS distributor_gross_profit, t.currency AS currency",
             "sales t JOIN organizations o ON o.id = t.manufacturer_id JOIN branches b ON b.id = t.branch_id",
             ["sell_in_amount": .number, "sell_through_amount": .number, "manufacturer_gross_profit": .number, "distributor_gross_profit": .number], [])
        }
    }

    /// Streams the file's rows in id order, a batch at a time; returns the row count.
    func write(from sql: any SQLDatabase, to writer: CSVWriter) async throws -> Int {
        let shape = self.shape
        var lastID: Int64 = 0
        var count = 0
        while true {
            let rows = try await sql.raw("""
                SELECT t.id AS id, \(unsafeRaw: shape.select) FROM \(unsafeRaw: shape.from) \
                WHERE t.workspace_id = \(bind: workspaceID) AND t.id > \(bind: lastID) ORDER BY t.id LIMIT \(unsafeRaw: String(batchSize))
                """).all()
            guard !rows.isEmpty else { break }
            let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
            var linkValues: [String: [Int64: [String]]] = [:]
            for link in shape.links { linkValues[link.column] = try await fetch(link, ids: ids, from: sql) }
            for (index, row) in rows.enumerated() {
                var cells: [String?] = []
                for column in file.header {
                    if let link = shape.links.first(where: { $0.column == column }) {
                        var keys = linkValues[column]?[ids[index]] ?? []
                        if link.initiatorFirst, let initiator = try row.decode(column: "initiator_key", as: String?.self),
                           let at = keys.firstIndex(of: initiator) {
                            keys.remove(at: at)
                            keys.insert(initiator, at: 0)
                        }
                        cells.append(keys.isEmpty ? nil : keys.joined(separator: ";"))
                        continue
                    }
                    switch shape.kinds[column] ?? .text {
                    case .text: cells.append(try row.decode(column: column, as: String?.self))
                    case .number: cells.append(try row.decode(column: column, as: Double?.self).map(BundleNumber.format))
                    case .integer: cells.append(try row.decode(column: column, as: Int64?.self).map { String($0) })
                    case .bool: cells.append(try row.decode(column: column, as: Bool?.self) == true ? "true" : nil)
                    }
                }
                try writer.write(cells)
            }
            count += rows.count
            lastID = ids[ids.count - 1]
        }
        return count
    }

    /// Keys of linked rows per parent, in stored position order (or by key when unpositioned).
    func fetch(_ link: Link, ids: [Int64], from sql: any SQLDatabase) async throws -> [Int64: [String]] {
        let order = link.initiatorFirst ? "c.\(link.childKey)" : "l.position"
        let rows = try await sql.raw("""
            SELECT l.\(unsafeRaw: link.parent) AS parent, c.\(unsafeRaw: link.childKey) AS child_key \
            FROM \(unsafeRaw: link.table) l JOIN \(unsafeRaw: link.childTable) c ON c.id = l.\(unsafeRaw: link.child) \
            WHERE l.\(unsafeRaw: link.parent) IN (\(unsafeRaw: ids.map { String($0) }.joined(separator: ","))) \
            ORDER BY l.\(unsafeRaw: link.parent), \(unsafeRaw: order)
            """).all()
        var result: [Int64: [String]] = [:]
        for row in rows {
            result[try row.decode(column: "parent", as: Int64.self), default: []].append(try row.decode(column: "child_key", as: String.self))
        }
        return result
    }
}
