import FluentKit
import Foundation
import SQLKit
import TandemCore

extension DirectoryRepository {
    // MARK: - Territories

    /// Creates a territory, or replaces the one with `code` when `existing` is given.
    public func saveTerritory(_ draft: TerritoryDraft, existing: String? = nil) async throws -> Territory {
        var checks = FieldChecks()
        let code = existing ?? checks.key(draft.code, "code")
        checks.unchanged(draft.code, existing, "code")
        let name = checks.text(draft.name, "name", max: 200)
        let country = checks.country(draft.country, "country")
        let parentCode = checks.key(draft.parentCode, "parent_code", required: false)
        try checks.throwIfAny()
        guard let code, let name else { throw StoreError.invalid(checks.issues) }
        return try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try DirectoryRepository(database: db, workspaceID: workspaceID)
            try await WorkspaceRepository.beginWrite(repo.sql, workspaceID: repo.workspaceID)
            var parentID: Int64?
            if let parentCode {
                parentID = try await repo.idOf("territories", key: parentCode, column: "code")
                if parentID == nil { throw StoreError.invalid([FieldIssue(field: "parent_code", message: "unknown territory \"\(parentCode)\"")]) }
                let below = existing != nil ? try await repo.isAncestor(code, of: parentCode) : false
                if parentCode == code || below {
                    throw StoreError.invalid([FieldIssue(field: "parent_code", message: "\"\(parentCode)\" is \(code) itself or below it: the tree would have a cycle")])
                }
            }
            let model = try await repo.model(TerritoryModel.self, existing: existing, column: "code", kind: "territory")
            if existing == nil, try await repo.idOf("territories", key: code, column: "code") != nil {
                throw StoreError.conflict("a territory with code \"\(code)\" already exists")
            }
            model.workspaceID = workspaceID
            model.code = code
            model.name = name
            model.country = country
            model.parentID = parentID
            try await model.save(on: db)
            return try await repo.territory(code: code)
        }
    }

    /// Whether `ancestor` is on the path from `code` up to the root.
    func isAncestor(_ ancestor: String, of code: String) async throws -> Bool {
        var current: String? = code
        var steps = 0
        while let node = current, steps < 10_000 {
            if node == ancestor { return true }
            current = try await territory(code: node).parentCode
            steps += 1
        }
        return false
    }

    // MARK: - Organizations

    public func saveOrganization(_ draft: OrganizationDraft, existing: String? = nil) async throws -> Organization {
        var checks = FieldChecks()
        let key = existing ?? checks.key(draft.key, "key")
        checks.unchanged(draft.key, existing, "key")
        let name = checks.text(draft.name, "name", max: 300)
        let kind = checks.choice(draft.kind, "kind", OrganizationKind.self)
        let country = checks.country(draft.country, "country")
        let currency = checks.currency(draft.currency, "currency")
        try checks.throwIfAny()
        guard let key, let name, let kind else { throw StoreError.invalid(checks.issues) }
        return try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try DirectoryRepository(database: db, workspaceID: workspaceID)
            try await WorkspaceRepository.beginWrite(repo.sql, workspaceID: repo.workspaceID)
            let model = try await repo.model(OrganizationModel.self, existing: existing, column: "key", kind: "organization")
            if existing == nil, try await repo.idOf("organizations", key: key) != nil {
                throw StoreError.conflict("an organization with key \"\(key)\" already exists")
            }
            let isHome = draft.isHome ?? (existing != nil ? model.isHome : false)
            let home = try await repo.homeKey()
            if isHome, let home, home != key {
                throw StoreError.conflict("\"\(home)\" is already the home organization; exactly one may be")
            }
            if !isHome, home == key {
                throw StoreError.conflict("\"\(key)\" is the home organization and stays so: the workspace must always have exactly one")
            }
            if !isHome, home == nil {
                throw StoreError.conflict("the workspace has no home organization yet: create it first, with is_home true")
            }
            if let id = model.id, model.kind == OrganizationKind.manufacturer.rawValue, kind != .manufacturer,
               try await repo.sql.raw("SELECT 1 AS used FROM sales WHERE manufacturer_id = \(bind: id) LIMIT 1").first() != nil {
                throw StoreError.conflict("\"\(key)\" has sales rows as their manufacturer, so it stays a manufacturer")
            }
            model.workspaceID = workspaceID
            model.key = key
            model.name = name
            model.kind = kind.rawValue
            model.country = country
            model.currency = currency
            model.isHome = isHome
            try await model.save(on: db)
            return try await repo.organization(key: key)
        }
    }

    func homeKey() async throws -> String? {
        try await sql.select().column("key").from("organizations").where("workspace_id", .equal, workspaceID)
            .where("is_home", .equal, true).first()?.decode(column: "key", as: String.self)
    }

    // MARK: - Branches

    public func saveBranch(_ draft: BranchDraft, existing: String? = nil) async throws -> Branch {
        var checks = FieldChecks()
        let key = existing ?? checks.key(draft.key, "key")
        checks.unchanged(draft.key, existing, "key")
        let orgKey = checks.key(draft.organizationKey, "organization_key")
        let name = checks.text(draft.name, "name", max: 300)
        let city = checks.text(draft.city, "city", max: 200, required: false)
        let country = checks.country(draft.country, "country")
        let territoryCode = checks.key(draft.territoryCode, "territory_code", required: false)
        try checks.throwIfAny()
        guard let key, let orgKey, let name else { throw StoreError.invalid(checks.issues) }
        return try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try DirectoryRepository(database: db, workspaceID: workspaceID)
            try await WorkspaceRepository.beginWrite(repo.sql, workspaceID: repo.workspaceID)
            var references = FieldChecks()
            let orgID = try await repo.idOf("organizations", key: orgKey)
            if orgID == nil { references.fail("organization_key", "unknown organization \"\(orgKey)\"") }
            var territoryID: Int64?
            if let territoryCode {
                territoryID = try await repo.idOf("territories", key: territoryCode, column: "code")
                if territoryID == nil { references.fail("territory_code", "unknown territory \"\(territoryCode)\"") }
            }
            try references.throwIfAny()
            let model = try await repo.model(BranchModel.self, existing: existing, column: "key", kind: "branch")
            if let id = model.id, model.organizationID != orgID,
               try await repo.sql.raw("SELECT 1 AS used FROM employments WHERE branch_id = \(bind: id) LIMIT 1").first() != nil {
                throw StoreError.conflict("branch \"\(key)\" has employments at its organization, so it cannot move to \"\(orgKey)\"")
            }
            if existing == nil, try await repo.idOf("branches", key: key) != nil {
                throw StoreError.conflict("a branch with key \"\(key)\" already exists")
            }
            model.workspaceID = workspaceID
            model.key = key
            model.organizationID = orgID!
            model.name = name
            model.city = city
            model.country = country
            model.territoryID = territoryID
            try await model.save(on: db)
            return try await repo.branch(key: key)
        }
    }

    // MARK: - People

    public func savePerson(_ draft: PersonDraft, existing: String? = nil) async throws -> Person {
        var checks = FieldChecks()
        let key = existing ?? checks.key(draft.key, "key")
        checks.unchanged(draft.key, existing, "key")
        let name = checks.text(draft.name, "name", max: 300)
        let email = checks.text(draft.email, "email", max: 320, required: false)
        if let email, !email.contains("@") { checks.fail("email", "\"\(email)\" is not an e-mail address") }
        let phone = checks.text(draft.phone, "phone", max: 64, required: false)
        let country = checks.country(draft.country, "country")
        try checks.throwIfAny()
        guard let key, let name else { throw StoreError.invalid(checks.issues) }
        return try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try DirectoryRepository(database: db, workspaceID: workspaceID)
            try await WorkspaceRepository.beginWrite(repo.sql, workspaceID: repo.workspaceID)
            let model = try await repo.model(PersonModel.self, existing: existing, column: "key", kind: "person")
            if existing == nil, try await repo.idOf("people", key: key) != nil {
                throw StoreError.conflict("a person with key \"\(key)\" already exists")
            }
            model.workspaceID = workspaceID
            model.key = key
            model.name = name
            model.email = email
            model.phone = phone
            model.country = country
            try await model.save(on: db)
            return try await repo.person(key: key)
        }
    }

    // MARK: - Employments

    public func saveEmployment(_ draft: EmploymentDraft, existing: Int64? = nil) async throws -> Employment {
        var checks = FieldChecks()
        let personKey = checks.key(draft.personKey, "person_key")
        let orgKey = checks.key(draft.organizationKey, "organization_key")
        let branchKey = checks.key(draft.branchKey, "branch_key", required: false)
        let function = checks.choice(draft.function, "function", JobFunction.self)
        let title = checks.text(draft.title, "title", max: 200, required: false)
        let start = checks.date(draft.startDate, "start_date", required: true)
        let end = checks.date(draft.endDate, "end_date")
        if let start, let end, end < start { checks.fail("end_date", "\(end) is before the start date \(start)") }
        try checks.throwIfAny()
        guard let personKey, let orgKey, let function, let start else { throw StoreError.invalid(checks.issues) }
        return try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try DirectoryRepository(database: db, workspaceID: workspaceID)
            try await WorkspaceRepository.beginWrite(repo.sql, workspaceID: repo.workspaceID)
            var references = FieldChecks()
            let personID = try await repo.idOf("people", key: personKey)
            if personID == nil { references.fail("person_key", "unknown person \"\(personKey)\"") }
            let orgID = try await repo.idOf("organizations", key: orgKey)
            if orgID == nil { references.fail("organization_key", "unknown organization \"\(orgKey)\"") }
            var branchID: Int64?
            if let branchKey {
                let branch = try? await repo.branch(key: branchKey)
                if branch == nil { references.fail("branch_key", "unknown branch \"\(branchKey)\"") }
                else if branch?.organizationKey != orgKey { references.fail("branch_key", "branch \"\(branchKey)\" belongs to \"\(branch!.organizationKey)\", not \"\(orgKey)\"") }
                branchID = try await repo.idOf("branches", key: branchKey)
            }
            try references.throwIfAny()
            let model: EmploymentModel
            if let existing {
                guard let found = try await EmploymentModel.query(on: db).filter(\.$id == existing)
                    .filter(\.$workspaceID == workspaceID).first() else { throw StoreError.notFound(kind: "employment", key: String(existing)) }
                model = found
            } else {
                model = EmploymentModel()
            }
            let duplicate = try await EmploymentModel.query(on: db).filter(\.$workspaceID == workspaceID).filter(\.$personID == personID!)
                .filter(\.$organizationID == orgID!).filter(\.$function == function.rawValue).filter(\.$startDate == start.description).first()
            if let duplicate, duplicate.id != model.id {
                throw StoreError.conflict("\"\(personKey)\" already has a \(function.rawValue) employment at \"\(orgKey)\" starting \(start)")
            }
            model.workspaceID = workspaceID
            model.personID = personID!
            model.organizationID = orgID!
            model.branchID = branchID
            model.function = function.rawValue
            model.title = title
            model.startDate = start.description
            model.endDate = end?.description
            try await model.save(on: db)
            return try await repo.employment(id: model.id!)
        }
    }

    // MARK: - Shared

    /// The model to update (scoped to this workspace) or a new one.
    func model<M: Model>(_ type: M.Type, existing: String?, column: String, kind: String) async throws -> M where M.IDValue == Int64 {
        guard let existing else { return M() }
        guard let id = try await idOf(M.schema, key: existing, column: column),
              let model = try await M.find(id, on: database) else { throw StoreError.notFound(kind: kind, key: existing) }
        return model
    }
}
