import FluentKit
import SQLKit
import TandemCore

extension DirectoryRepository {
    // MARK: - Territories

    static let territorySelect = "SELECT t.id, t.code, t.name, p.code AS parent_code, t.country FROM territories t LEFT JOIN territories p ON p.id = t.parent_id"

    static func territory(_ row: any SQLRow) throws -> Territory {
        Territory(code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                  parentCode: try row.decode(column: "parent_code", as: String?.self), country: try row.decode(column: "country", as: String?.self))
    }

    public func territories(_ query: ListQuery) async throws -> ListPage<Territory> {
        var conditions: [SQLQueryString] = ["t.id > \(bind: try Cursor.id(query.cursor))"]
        if let parent = query.territory { conditions.append("t.parent_id IN (SELECT id FROM territories WHERE workspace_id = \(bind: workspaceID) AND code = \(bind: parent))") }
        if let country = query.country { conditions.append("t.country = \(bind: country.uppercased())") }
        let limit = Self.clamp(query.limit)
        let rows = try await sql.raw("\(unsafeRaw: Self.territorySelect) WHERE \(scoped(conditions)) ORDER BY t.id LIMIT \(literal: limit + 1)").all()
        return try page(rows, limit: limit, map: Self.territory) { [String(try $0.decode(column: "id", as: Int64.self))] }
    }

    public func territory(code: String) async throws -> Territory {
        guard let row = try await sql.raw("\(unsafeRaw: Self.territorySelect) WHERE \(scoped(["t.code = \(bind: code)"]))").first() else {
            throw StoreError.notFound(kind: "territory", key: code)
        }
        return try Self.territory(row)
    }

    // MARK: - Organizations

    static let organizationSelect = "SELECT t.id, t.key, t.name, t.kind, t.country, t.currency, t.is_home FROM organizations t"

    static func organization(_ row: any SQLRow) throws -> Organization {
        Organization(key: try row.decode(column: "key", as: String.self), name: try row.decode(column: "name", as: String.self),
                     kind: OrganizationKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .distributor,
                     country: try row.decode(column: "country", as: String?.self), currency: try row.decode(column: "currency", as: String?.self),
                     isHome: try row.decode(column: "is_home", as: Bool.self))
    }

    public func organizations(_ query: ListQuery) async throws -> ListPage<Organization> {
        var conditions: [SQLQueryString] = ["t.id > \(bind: try Cursor.id(query.cursor))"]
        if let kind = query.kind { conditions.append("t.kind = \(bind: kind)") }
        if let country = query.country { conditions.append("t.country = \(bind: country.uppercased())") }
        if let territory = query.territory {
            conditions.append("EXISTS (SELECT 1 FROM branches b WHERE b.organization_id = t.id AND b.territory_id IN \(territorySubtree(territory)))")
        }
        let limit = Self.clamp(query.limit)
        let rows = try await sql.raw("\(unsafeRaw: Self.organizationSelect) WHERE \(scoped(conditions)) ORDER BY t.id LIMIT \(literal: limit + 1)").all()
        return try page(rows, limit: limit, map: Self.organization) { [String(try $0.decode(column: "id", as: Int64.self))] }
    }

    public func organization(key: String) async throws -> Organization {
        guard let row = try await sql.raw("\(unsafeRaw: Self.organizationSelect) WHERE \(scoped(["t.key = \(bind: key)"]))").first() else {
            throw StoreError.notFound(kind: "organization", key: key)
        }
        return try Self.organization(row)
    }

    // MARK: - Branches

    static let branchSelect = """
        SELECT t.id, t.key, o.key AS organization_key, t.name, t.city, t.country, r.code AS territory_code FROM branches t \
        JOIN organizations o ON o.id = t.organization_id LEFT JOIN territories r ON r.id = t.territory_id
        """

    static func branch(_ row: any SQLRow) throws -> Branch {
        Branch(key: try row.decode(column: "key", as: String.self), organizationKey: try row.decode(column: "organization_key", as: String.self),
               name: try row.decode(column: "name", as: String.self), city: try row.decode(column: "city", as: String?.self),
               country: try row.decode(column: "country", as: String?.self), territoryCode: try row.decode(column: "territory_code", as: String?.self))
    }

    public func branches(_ query: ListQuery) async throws -> ListPage<Branch> {
        var conditions: [SQLQueryString] = ["t.id > \(bind: try Cursor.id(query.cursor))"]
        if let org = query.organization { conditions.append("o.key = \(bind: org)") }
        if let territory = query.territory { conditions.append("t.territory_id IN \(territorySubtree(territory))") }
        if let country = query.country { conditions.append("t.country = \(bind: country.uppercased())") }
        let limit = Self.clamp(query.limit)
        let rows = try await sql.raw("\(unsafeRaw: Self.branchSelect) WHERE \(scoped(conditions)) ORDER BY t.id LIMIT \(literal: limit + 1)").all()
        return try page(rows, limit: limit, map: Self.branch) { [String(try $0.decode(column: "id", as: Int64.self))] }
    }

    public func branch(key: String) async throws -> Branch {
        guard let row = try await sql.raw("\(unsafeRaw: Self.branchSelect) WHERE \(scoped(["t.key = \(bind: key)"]))").first() else {
            throw StoreError.notFound(kind: "branch", key: key)
        }
        return try Self.branch(row)
    }

    // MARK: - People

    static let personSelect = "SELECT t.id, t.key, t.name, t.email, t.phone, t.country FROM people t"

    static func person(_ row: any SQLRow) throws -> Person {
        Person(key: try row.decode(column: "key", as: String.self), name: try row.decode(column: "name", as: String.self),
               email: try row.decode(column: "email", as: String?.self), phone: try row.decode(column: "phone", as: String?.self),
               country: try row.decode(column: "country", as: String?.self))
    }

    /// Conditions on a person's employments (alias `e`) from the organization, territory, function and current filters.
    func employmentConditions(_ query: ListQuery) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let org = query.organization {
            conditions.append("e.organization_id IN (SELECT id FROM organizations WHERE workspace_id = \(bind: workspaceID) AND key = \(bind: org))")
        }
        if let territory = query.territory {
            conditions.append("e.branch_id IN (SELECT id FROM branches WHERE territory_id IN \(territorySubtree(territory)))")
        }
        if let function = query.function { conditions.append("e.function = \(bind: function.rawValue)") }
        if query.current == true { conditions.append("e.end_date IS NULL") }
        return conditions
    }

    public func people(_ query: ListQuery) async throws -> ListPage<Person> {
        var conditions: [SQLQueryString] = ["t.id > \(bind: try Cursor.id(query.cursor))"]
        if let country = query.country { conditions.append("t.country = \(bind: country.uppercased())") }
        let jobs = employmentConditions(query)
        if !jobs.isEmpty {
            conditions.append("EXISTS (SELECT 1 FROM employments e WHERE e.person_id = t.id AND \(jobs.joined(separator: " AND ")))")
        }
        let limit = Self.clamp(query.limit)
        let rows = try await sql.raw("\(unsafeRaw: Self.personSelect) WHERE \(scoped(conditions)) ORDER BY t.id LIMIT \(literal: limit + 1)").all()
        return try page(rows, limit: limit, map: Self.person) { [String(try $0.decode(column: "id", as: Int64.self))] }
    }

    /// The person with their full employment history.
    public func person(key: String) async throws -> Person {
        guard let row = try await sql.raw("\(unsafeRaw: Self.personSelect) WHERE \(scoped(["t.key = \(bind: key)"]))").first() else {
            throw StoreError.notFound(kind: "person", key: key)
        }
        var person = try Self.person(row)
        var query = ListQuery()
        query.person = key
        query.limit = ListQuery.maxLimit
        person.employments = try await employments(query).items.sorted { ($0.startDate, $0.id) < ($1.startDate, $1.id) }
        return person
    }

    // MARK: - Employments

    static let employmentSelect = """
        SELECT e.id, p.key AS person_key, o.key AS organization_key, b.key AS branch_key, e.function, e.title, e.start_date, e.end_date \
        FROM employments e JOIN people p ON p.id = e.person_id JOIN organizations o ON o.id = e.organization_id \
        LEFT JOIN branches b ON b.id = e.branch_id
        """

    static func employment(_ row: any SQLRow) throws -> Employment {
        Employment(id: try row.decode(column: "id", as: Int64.self), personKey: try row.decode(column: "person_key", as: String.self),
                   organizationKey: try row.decode(column: "organization_key", as: String.self),
                   branchKey: try row.decode(column: "branch_key", as: String?.self),
                   function: JobFunction(rawValue: try row.decode(column: "function", as: String.self)) ?? .other,
                   title: try row.decode(column: "title", as: String?.self),
                   startDate: LocalDate(try row.decode(column: "start_date", as: String.self)) ?? LocalDate(year: 1970, month: 1, day: 1)!,
                   endDate: try row.decode(column: "end_date", as: String?.self).flatMap { LocalDate($0) })
    }

    /// Employments in creation order.
    public func employments(_ query: ListQuery) async throws -> ListPage<Employment> {
        var conditions: [SQLQueryString] = ["e.workspace_id = \(bind: workspaceID)", "e.id > \(bind: try Cursor.id(query.cursor))"]
        conditions += employmentConditions(query)
        if let person = query.person { conditions.append("p.key = \(bind: person)") }
        if let branch = query.branch { conditions.append("b.key = \(bind: branch)") }
        let limit = Self.clamp(query.limit)
        let rows = try await sql.raw("\(unsafeRaw: Self.employmentSelect) WHERE \(conditions.joined(separator: " AND ")) ORDER BY e.id LIMIT \(literal: limit + 1)").all()
        return try page(rows, limit: limit, map: Self.employment) { [String(try $0.decode(column: "id", as: Int64.self))] }
    }

    public func employment(id: Int64) async throws -> Employment {
        guard let row = try await sql.raw("\(unsafeRaw: Self.employmentSelect) WHERE e.workspace_id = \(bind: workspaceID) AND e.id = \(bind: id)").first() else {
            throw StoreError.notFound(kind: "employment", key: String(id))
        }
        return try Self.employment(row)
    }
}
