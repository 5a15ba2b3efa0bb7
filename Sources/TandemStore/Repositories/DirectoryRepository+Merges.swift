import FluentKit
import Foundation
import SQLKit
import TandemCore

extension MergeKind {
    var table: String {
        switch self {
        case .person: "people"
        case .organization: "organizations"
        case .branch: "branches"
        }
    }
}

extension DirectoryRepository {
    // MARK: - Duplicates

    /// Likely duplicates: people with the same e-mail, or near-identical names at the same
    /// organization; organizations with near-identical names (legal forms ignored); branches of one
    /// organization with near-identical names, or the same name under two keys.
    public func duplicates() async throws -> [DuplicateCandidate] {
        var found: [DuplicateCandidate] = []
        let people = try await sql.raw("SELECT id, key, name, email FROM people WHERE workspace_id = \(bind: workspaceID) ORDER BY id").all().map {
            (id: try $0.decode(column: "id", as: Int64.self), key: try $0.decode(column: "key", as: String.self),
             name: try $0.decode(column: "name", as: String.self), email: try $0.decode(column: "email", as: String?.self))
        }
        var paired: Set<String> = []
        func add(_ kind: MergeKind, _ a: (key: String, name: String), _ b: (key: String, name: String), _ reason: String) {
            guard paired.insert("\(kind.rawValue)\u{1F}\(a.key)\u{1F}\(b.key)").inserted else { return }
            found.append(DuplicateCandidate(kind: kind, keep: a.key, merge: b.key, keepName: a.name, mergeName: b.name, reason: reason))
        }
        var byEmail: [String: Int] = [:]
        for (index, person) in people.enumerated() {
            guard let email = person.email.map(Matching.email), !email.isEmpty else { continue }
            if let first = byEmail[email] {
                add(.person, (people[first].key, people[first].name), (person.key, person.name), "the same e-mail \(email)")
            } else {
                byEmail[email] = index
            }
        }
        let employments = try await sql.raw("SELECT DISTINCT person_id, organization_id FROM employments WHERE workspace_id = \(bind: workspaceID)").all()
        var staff: [Int64: [Int64]] = [:]
        for row in employments {
            staff[try row.decode(column: "organization_id", as: Int64.self), default: []].append(try row.decode(column: "person_id", as: Int64.self))
        }
        let personByID = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) })
        // The home organization first: it is always the one kept.
        let organizations = try await sql.raw("""
            SELECT id, key, name, kind, is_home FROM organizations WHERE workspace_id = \(bind: workspaceID) ORDER BY is_home DESC, id
            """).all().map {
            (id: try $0.decode(column: "id", as: Int64.self), key: try $0.decode(column: "key", as: String.self), name: try $0.decode(column: "name", as: String.self),
             kind: try $0.decode(column: "kind", as: String.self))
        }
        for organization in organizations {
            let members = (staff[organization.id] ?? []).sorted().compactMap { personByID[$0] }
            for (i, a) in members.enumerated() {
                // Two records with different addresses at one company are two people who share a name.
                for b in members[(i + 1)...] where Self.nearlyEqual(Matching.personName(a.name), Matching.personName(b.name))
                    && (a.email == nil || b.email == nil || Matching.email(a.email!) == Matching.email(b.email!)) {
                    add(.person, (a.key, a.name), (b.key, b.name), "near-identical names at \(organization.name)")
                }
            }
        }
        let normalized = organizations.map { Matching.organizationName($0.name) }
        for i in organizations.indices {
            for j in organizations.indices where j > i && organizations[i].kind == organizations[j].kind && Self.nearlyEqual(normalized[i], normalized[j]) {
                add(.organization, (organizations[i].key, organizations[i].name), (organizations[j].key, organizations[j].name), "near-identical names")
            }
        }
        let branches = try await sql.raw("""
            SELECT b.id, b.key, b.name, b.city, b.organization_id, o.name AS organization FROM branches b JOIN organizations o ON o.id = b.organization_id \
            WHERE b.workspace_id = \(bind: workspaceID) ORDER BY b.organization_id, b.id
            """).all().map {
                (key: try $0.decode(column: "key", as: String.self), name: try $0.decode(column: "name", as: String.self),
                 city: try $0.decode(column: "city", as: String?.self), organization: try $0.decode(column: "organization_id", as: Int64.self),
                 organizationName: try $0.decode(column: "organization", as: String.self))
            }
        for (i, a) in branches.enumerated() {
            for b in branches[(i + 1)...] {
                guard b.organization == a.organization else { break }
                let sameCity = a.city != nil && a.city.map(Matching.personName) == b.city.map(Matching.personName)
                if Self.nearlyEqual(Matching.organizationName(a.name), Matching.organizationName(b.name)) {
                    add(.branch, (a.key, a.name), (b.key, b.name), "near-identical names at \(a.organizationName)" + (sameCity ? " in \(a.city!)" : ""))
                } else if sameCity, let city = a.city, Self.sameBranchName(a.name, b.name, organization: a.organizationName, city: city) {
                    add(.branch, (a.key, a.name), (b.key, b.name), "the same name but for the organization's or the city's in \(city)")
                }
            }
        }
        return found
    }

    /// Two branch names in one city that differ only by the organization's or the city's name:
    /// "Dallas" and "Acme Dallas", "Acme" and "Acme Dallas" at Acme in Dallas.
    static func sameBranchName(_ a: String, _ b: String, organization: String, city: String) -> Bool {
        let filler = Set(Matching.words(organization) + Matching.words(city)).union(Matching.legalForms)
        let x = Set(Matching.words(a)), y = Set(Matching.words(b))
        guard !x.isEmpty, !y.isEmpty, x != y else { return false }
        return x.symmetricDifference(y).isSubset(of: filler)
    }

    /// Equal, or (for names of five letters or more) one letter added, dropped, changed or two swapped.
    static func nearlyEqual(_ a: String, _ b: String) -> Bool {
        if a == b { return !a.isEmpty }
        let x = Array(a), y = Array(b)
        guard min(x.count, y.count) >= 5, abs(x.count - y.count) <= 1 else {
            return !a.isEmpty && a.split(separator: " ").sorted() == b.split(separator: " ").sorted()
        }
        if a.split(separator: " ").sorted() == b.split(separator: " ").sorted() { return true }
        // Numbers tell apart ("Dallas 2", "Dallas 3"), and so do first letters ("Hernández",
        // "Fernández"; 陈记 and 张记): a typo is one letter inside a word.
        guard a.filter(\.isNumber) == b.filter(\.isNumber) else { return false }
        let wordsA = a.split(separator: " "), wordsB = b.split(separator: " ")
        guard zip(wordsA, wordsB).allSatisfy({ $0.first == $1.first }) else { return false }
        // Optimal string alignment distance, stopping once it exceeds one.
        var previous2: [Int] = [], previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { current[j] = Swift.min(current[j], previous2[j - 2] + 1) }
            }
            if current.min()! > 1 { return false }
            previous2 = previous
            previous = current
        }
        return previous[y.count] <= 1
    }

    // MARK: - Merges

    /// Merges `duplicate` into `keep` in one transaction: every row that referred to the duplicate
    /// refers to the kept record, the kept record takes the duplicate's values where it has none,
    /// the duplicate is deleted, and the merge is written to the audit trail.
    public func merge(_ kind: MergeKind, keep: String, duplicate: String, actor: String?, address: String? = nil, now: String) async throws -> MergeResult {
        guard keep != duplicate else { throw StoreError.conflict("\(kind.rawValue) \"\(keep)\" cannot be merged into itself") }
        return try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try DirectoryRepository(database: db, workspaceID: workspaceID)
            try await WorkspaceRepository.beginWrite(repo.sql, workspaceID: repo.workspaceID)
            let kept = try await repo.require(kind.table, kind: kind.rawValue, key: keep)
            let merged = try await repo.require(kind.table, kind: kind.rawValue, key: duplicate)
            var result = MergeResult(kind: kind, kept: keep, merged: duplicate, moved: [:], filled: [])
            switch kind {
            case .person: try await repo.mergePeople(kept, merged, into: &result)
            case .organization: try await repo.mergeOrganizations(kept, merged, into: &result)
            case .branch: try await repo.mergeBranches(kept, merged, into: &result)
            }
            try await repo.sql.delete(from: kind.table).where("id", .equal, merged).run()
            try await repo.sql.insert(into: "audit_events").columns("workspace_id", "at", "actor", "action", "target", "detail", "address")
                .values(SQLBind(workspaceID), SQLBind(now), actor.map { SQLBind($0) } ?? SQLLiteral.null, SQLBind("merge"),
                        SQLBind("\(kind.rawValue) \(keep)"), SQLBind(result.summary), address.map { SQLBind($0) } ?? SQLLiteral.null)
                .run()
            return result
        }
    }

    /// Points `column` of `table` from the duplicate to the kept record; returns the rows moved.
    func repoint(_ table: String, _ column: String, _ kept: Int64, _ merged: Int64) async throws -> Int {
        let count = try await count(table, column, merged)
        if count > 0 { try await sql.raw("UPDATE \(ident: table) SET \(ident: column) = \(bind: kept) WHERE \(ident: column) = \(bind: merged)").run() }
        return count
    }

    func count(_ table: String, _ column: String, _ id: Int64) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(ident: column) = \(bind: id)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A link table keyed by (parent, record): links both records have are kept once.
    func repointLinks(_ table: String, parent: String, _ column: String, _ kept: Int64, _ merged: Int64) async throws -> Int {
        let moved = try await count(table, column, merged)
        try await sql.raw("""
            DELETE FROM \(ident: table) WHERE \(ident: column) = \(bind: merged) \
            AND \(ident: parent) IN (SELECT \(ident: parent) FROM \(ident: table) WHERE \(ident: column) = \(bind: kept))
            """).run()
        try await sql.raw("UPDATE \(ident: table) SET \(ident: column) = \(bind: kept) WHERE \(ident: column) = \(bind: merged)").run()
        return moved
    }

    /// Fills the kept row's empty columns from the duplicate's.
    func fill(_ table: String, columns: [String], _ kept: Int64, _ merged: Int64, into result: inout MergeResult) async throws {
        guard let keptRow = try await sql.select().columns(columns.map { SQLColumn($0) }).from(table).where("id", .equal, kept).first(),
              let mergedRow = try await sql.select().columns(columns.map { SQLColumn($0) }).from(table).where("id", .equal, merged).first() else { return }
        for column in columns {
            guard try keptRow.decodeNil(column: column), !(try mergedRow.decodeNil(column: column)) else { continue }
            try await sql.raw("""
                UPDATE \(ident: table) SET \(ident: column) = (SELECT \(ident: column) FROM \(ident: table) WHERE id = \(bind: merged)) WHERE id = \(bind: kept)
                """).run()
            result.filled.append(column)
        }
    }

    func mergePeople(_ kept: Int64, _ merged: Int64, into result: inout MergeResult) async throws {
        // The e-mail is unique per person only by convention: take it before the duplicate goes.
        try await fill("people", columns: ["email", "phone", "country"], kept, merged, into: &result)
        result.moved["interactions led"] = try await repoint("interactions", "initiator_id", kept, merged)
        result.moved["interactions"] = try await repointLinks("interaction_participants", parent: "interaction_id", "person_id", kept, merged)
        try await sql.raw("""
            DELETE FROM employments WHERE person_id = \(bind: merged) AND EXISTS (SELECT 1 FROM employments k WHERE k.person_id = \(bind: kept) \
            AND k.organization_id = employments.organization_id AND k.function = employments.function AND k.start_date = employments.start_date)
            """).run()
        result.moved["employments"] = try await repoint("employments", "person_id", kept, merged)
        result.moved["partnership signatures"] = try await repointLinks("partnership_signatories", parent: "partnership_id", "person_id", kept, merged)
        result.moved["goal ownerships"] = try await repointLinks("goal_owners", parent: "goal_id", "person_id", kept, merged)
        result.moved["review attendances"] = try await repointLinks("review_attendees", parent: "review_id", "person_id", kept, merged)
        result.moved["confirmed contributions"] = try await repoint("contributions", "confirmed_by_id", kept, merged)
    }

    func mergeOrganizations(_ kept: Int64, _ merged: Int64, into result: inout MergeResult) async throws {
        let rows = try await sql.raw("SELECT id, kind, is_home FROM organizations WHERE id IN (\(bind: kept), \(bind: merged))").all()
        var kinds: [Int64: String] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            kinds[id] = try row.decode(column: "kind", as: String.self)
            if id == merged, try row.decode(column: "is_home", as: Bool.self) {
                throw StoreError.conflict("\"\(result.merged)\" is the home organization: keep it, and merge \"\(result.kept)\" into it instead")
            }
        }
        if kinds[kept] != kinds[merged] {
            throw StoreError.conflict("\"\(result.kept)\" is a \(kinds[kept] ?? "?") and \"\(result.merged)\" a \(kinds[merged] ?? "?"): only organizations of one kind are merged (change the kind of one first)")
        }
        try await fill("organizations", columns: ["country", "currency"], kept, merged, into: &result)
        result.moved["branches"] = try await repoint("branches", "organization_id", kept, merged)
        try await sql.raw("""
            DELETE FROM employments WHERE organization_id = \(bind: merged) AND EXISTS (SELECT 1 FROM employments k WHERE k.organization_id = \(bind: kept) \
            AND k.person_id = employments.person_id AND k.function = employments.function AND k.start_date = employments.start_date)
            """).run()
        result.moved["employments"] = try await repoint("employments", "organization_id", kept, merged)
        result.moved["partnerships"] = try await repoint("partnerships", "counterpart_id", kept, merged)
        result.moved["pledges"] = try await repoint("commitments", "party_id", kept, merged)
        try await sql.raw("""
            DELETE FROM risks WHERE party_id = \(bind: merged) AND EXISTS (SELECT 1 FROM risks k WHERE k.party_id = \(bind: kept) \
            AND k.partnership_id = risks.partnership_id AND k.description = risks.description)
            """).run()
        result.moved["risks"] = try await repoint("risks", "party_id", kept, merged)
        result.moved["users"] = try await repoint("users", "organization_id", kept, merged)
        result.moved["sales rows"] = try await mergeSales("manufacturer_id", kept, merged)
    }

    func mergeBranches(_ kept: Int64, _ merged: Int64, into result: inout MergeResult) async throws {
        let owners = try await sql.raw("SELECT id, organization_id FROM branches WHERE id IN (\(bind: kept), \(bind: merged))").all()
            .map { try $0.decode(column: "organization_id", as: Int64.self) }
        guard Set(owners).count == 1 else {
            throw StoreError.conflict("\"\(result.merged)\" and \"\(result.kept)\" are branches of different organizations: merge the organizations first")
        }
        try await fill("branches", columns: ["city", "country", "territory_id"], kept, merged, into: &result)
        result.moved["employments"] = try await repoint("employments", "branch_id", kept, merged)
        result.moved["sales rows"] = try await mergeSales("branch_id", kept, merged)
    }

    /// Moves sales rows; where both records have a row for the same month, manufacturer, branch and
    /// product line, identical rows are kept once and different ones are added together.
    func mergeSales(_ column: String, _ kept: Int64, _ merged: Int64) async throws -> Int {
        let moved = try await count("sales", column, merged)
        guard moved > 0 else { return 0 }
        let other = column == "branch_id" ? "manufacturer_id" : "branch_id"
        let match: SQLQueryString = """
            k.workspace_id = sales.workspace_id AND k.period = sales.period AND k.\(ident: other) = sales.\(ident: other) \
            AND k.product_line = sales.product_line AND k.\(ident: column) = \(bind: kept)
            """
        let amounts = ["sell_in_amount", "sell_through_amount", "manufacturer_gross_profit", "distributor_gross_profit"]
        let same = SQLQueryString((amounts + ["currency"]).map { "k.\($0) IS NOT DISTINCT FROM sales.\($0)" }.joined(separator: " AND "))
        // Rows for the same month in different currencies cannot be added.
        if let clash = try await sql.raw("""
            SELECT sales.period FROM sales WHERE \(ident: column) = \(bind: merged) AND EXISTS (SELECT 1 FROM sales k WHERE \(match) \
            AND NOT (k.currency IS NOT DISTINCT FROM sales.currency)) LIMIT 1
            """).first() {
            throw StoreError.conflict("both have sales for \(try clash.decode(column: "period", as: String.self)) in different currencies: correct one of them first")
        }
        // Identical rows: the duplicate's copy goes.
        try await sql.raw("DELETE FROM sales WHERE \(ident: column) = \(bind: merged) AND EXISTS (SELECT 1 FROM sales k WHERE \(match) AND \(same))").run()
        // Different rows: the kept row takes the sum, then the duplicate's row goes.
        for amount in amounts {
            try await sql.raw("""
                UPDATE sales SET \(ident: amount) = (SELECT CASE WHEN sales.\(ident: amount) IS NULL AND d.\(ident: amount) IS NULL THEN NULL \
                ELSE COALESCE(sales.\(ident: amount), 0) + COALESCE(d.\(ident: amount), 0) END FROM sales d \
                WHERE d.workspace_id = sales.workspace_id AND d.period = sales.period AND d.\(ident: other) = sales.\(ident: other) \
                AND d.product_line = sales.product_line AND d.\(ident: column) = \(bind: merged)) \
                WHERE \(ident: column) = \(bind: kept) AND EXISTS (SELECT 1 FROM sales d WHERE d.workspace_id = sales.workspace_id \
                AND d.period = sales.period AND d.\(ident: other) = sales.\(ident: other) AND d.product_line = sales.product_line AND d.\(ident: column) = \(bind: merged))
                """).run()
        }
        try await sql.raw("DELETE FROM sales WHERE \(ident: column) = \(bind: merged) AND EXISTS (SELECT 1 FROM sales k WHERE \(match))").run()
        try await sql.raw("UPDATE sales SET \(ident: column) = \(bind: kept) WHERE \(ident: column) = \(bind: merged)").run()
        return moved
    }
}
