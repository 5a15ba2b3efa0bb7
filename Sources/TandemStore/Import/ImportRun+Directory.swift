import SQLKit
import TandemCore

extension ImportRun {
    func loadTerritories(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var records: [(record: TerritoryRecord, line: Int)] = []
        var seen: [String: Int] = [:]
        let count = try await stream(&reader, meter, batchSize: .max, parse: { row -> (TerritoryRecord, Int)? in
            let record = TerritoryRecord.parse(&row)
            checkDuplicate(record?.code, column: "code", seen: &seen, row: &row)
            if !row.isValid { reject(row.text("code"), of: .territories) }
            return record.map { ($0, row.line) }
        }, flush: { records = $0.map { (record: $0.0, line: $0.1) } })

        // The tree after this import: existing parents overlaid with the bundle's.
        var parentOf: [String: String] = [:]
        let existing = try await sql.raw("""
            SELECT t.code, p.code AS parent_code FROM territories t LEFT JOIN territories p ON p.id = t.parent_id \
            WHERE t.workspace_id = \(bind: workspaceID)
            """).all()
        var known = Set<String>()
        for row in existing {
            let code = try row.decode(column: "code", as: String.self)
            known.insert(code)
            if let parent = try row.decode(column: "parent_code", as: String?.self) { parentOf[code] = parent }
        }
        for (record, _) in records {
            known.insert(record.code)
            parentOf[record.code] = record.parentCode
        }
        var good: [TerritoryRecord] = []
        var inCycle = Set<String>()
        for (record, line) in records {
            if let parent = record.parentCode, !known.contains(parent) {
                let rejectedParent = rejected[.territories]?.contains(parent) == true
                log.add(file: "territories.csv", line: line, column: "parent_code",
                        rejectedParent ? "refers to territory \"\(parent)\" whose own row has errors"
                                       : "unknown territory \"\(parent)\": not in territories.csv nor already in the workspace")
                continue
            }
            if let cycle = Self.cycle(from: record.code, parentOf: parentOf) {
                if inCycle.insert(record.code).inserted {
                    cycle.forEach { inCycle.insert($0) }
                    log.add(file: "territories.csv", line: line, column: "parent_code",
                            "the territory tree has a cycle: \(cycle.joined(separator: " → "))")
                }
                continue
            }
            good.append(record)
        }
        try await upsert("territories", columns: ["workspace_id", "code", "name", "country"], conflict: ["workspace_id", "code"],
                         rows: good.map { [BulkValue(workspaceID), BulkValue($0.code), BulkValue($0.name), BulkValue($0.country)] })
        try await reloadTerritories()
        for record in good where !kept.contains("parent_id") {
            guard let id = territories[record.code] else { continue }
            let parentID = record.parentCode.flatMap { territories[$0] }
            try await sql.update("territories").set("parent_id", to: BulkValue(parentID).expression).where("id", .equal, id).run()
        }
        return count
    }

    /// The cycle reached by walking up from `code`, as a path that starts and ends on the same territory.
    static func cycle(from code: String, parentOf: [String: String]) -> [String]? {
        var path = [code]
        var position = [code: 0]
        var current = code
        while let parent = parentOf[current] {
            if let start = position[parent] { return Array(path[start...]) + [parent] }
            position[parent] = path.count
            path.append(parent)
            current = parent
        }
        return nil
    }

    func loadOrganizations(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        var homeLine: (key: String, line: Int)?
        var secondHome = false
        let count = try await stream(&reader, meter, parse: { row -> OrganizationRecord? in
            let record = OrganizationRecord.parse(&row)
            checkDuplicate(record?.key, column: "key", seen: &seen, row: &row)
            if let record, record.isHome {
                if let first = homeLine {
                    secondHome = true
                    row.fail("is_home", "a second home organization: \"\(first.key)\" on line \(first.line) is already marked is_home; exactly one may be")
                } else {
                    homeLine = (record.key, row.line)
                }
            }
            if !row.isValid { reject(row.text("key"), of: .organizations) }
            return record
        }, flush: { batch in
            try await upsert("organizations", columns: ["workspace_id", "key", "name", "kind", "country", "currency", "is_home"],
                             conflict: ["workspace_id", "key"],
                             rows: batch.map { [BulkValue(workspaceID), BulkValue($0.key), BulkValue($0.name), BulkValue($0.kind.rawValue),
                                                BulkValue($0.country), BulkValue($0.currency), BulkValue($0.isHome)] })
        })
        let homes = try await sql.select().column("key").column("id").from("organizations")
            .where("workspace_id", .equal, workspaceID).where("is_home", .equal, true).orderBy("key").all()
        let homeKeys = try homes.map { try $0.decode(column: "key", as: String.self) }
        if homeKeys.isEmpty, homeLine == nil, rejected[.organizations, default: []].isEmpty {
            log.add(file: "organizations.csv", line: 0, column: "is_home",
                    "no home organization: exactly one organization of the workspace must have is_home `true`")
        } else if homeKeys.count > 1, !secondHome, let homeLine {
            let others = homeKeys.filter { $0 != homeLine.key }.map { "\"\($0)\"" }.joined(separator: ", ")
            log.add(file: "organizations.csv", line: homeLine.line, column: "is_home",
                    "the workspace already has the home organization \(others); exactly one may be (set its is_home to false in this file to change it)")
        }
        try await reloadOrganizations()
        return count
    }

    func loadBranches(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        let count = try await stream(&reader, meter, parse: { row -> [BulkValue]? in
            let record = BranchRecord.parse(&row)
            checkDuplicate(record?.key, column: "key", seen: &seen, row: &row)
            guard let record else { reject(row.text("key"), of: .branches); return nil }
            let org = resolve(record.organizationKey, in: organizations, file: .organizations, what: "organization", row: &row, column: "organization_key")
            var territory: Int64?
            if let code = record.territoryCode {
                territory = resolve(code, in: territories, file: .territories, what: "territory", row: &row, column: "territory_code")
            }
            guard row.isValid, let org else { reject(record.key, of: .branches); return nil }
            return [BulkValue(workspaceID), BulkValue(record.key), BulkValue(org), BulkValue(record.name), BulkValue(record.city),
                    BulkValue(record.country), BulkValue(territory)]
        }, flush: { batch in
            try await upsert("branches", columns: ["workspace_id", "key", "organization_id", "name", "city", "country", "territory_id"],
                             conflict: ["workspace_id", "key"], rows: batch)
        })
        try await reloadBranches()
        return count
    }

    func loadPeople(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        let count = try await stream(&reader, meter, parse: { row -> PersonRecord? in
            let record = PersonRecord.parse(&row)
            checkDuplicate(record?.key, column: "key", seen: &seen, row: &row)
            if !row.isValid { reject(row.text("key"), of: .people) }
            return record
        }, flush: { batch in
            try await upsert("people", columns: ["workspace_id", "key", "name", "email", "phone", "country"],
                             conflict: ["workspace_id", "key"],
                             rows: batch.map { [BulkValue(workspaceID), BulkValue($0.key), BulkValue($0.name), BulkValue($0.email),
                                                BulkValue($0.phone), BulkValue($0.country)] })
        })
        try await reloadPeople()
        return count
    }

    func loadEmployments(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        return try await stream(&reader, meter, parse: { row -> [BulkValue]? in
            guard let record = EmploymentRecord.parse(&row) else { return nil }
            let identity = "\(record.personKey)\u{1F}\(record.organizationKey)\u{1F}\(record.function.rawValue)\u{1F}\(record.startDate)"
            if let first = seen[identity] {
                row.fail("start_date", "duplicate employment: line \(first) already has \"\(record.personKey)\" as \(record.function.rawValue) at \"\(record.organizationKey)\" from \(record.startDate)")
            } else {
                seen[identity] = row.line
            }
            let person = resolve(record.personKey, in: people, file: .people, what: "person", row: &row, column: "person_key")
            let org = resolve(record.organizationKey, in: organizations, file: .organizations, what: "organization", row: &row, column: "organization_key")
            var branch: Int64?
            if let key = record.branchKey {
                branch = resolve(key, in: branches, file: .branches, what: "branch", row: &row, column: "branch_key")
                if let branch, let org, branchOrganization[branch] != org {
                    row.fail("branch_key", "branch \"\(key)\" belongs to another organization than \"\(record.organizationKey)\"")
                }
            }
            guard row.isValid, let person, let org else { return nil }
            return [BulkValue(workspaceID), BulkValue(person), BulkValue(org), BulkValue(branch), BulkValue(record.function.rawValue),
                    BulkValue(record.title), BulkValue(record.startDate.description), BulkValue(record.endDate?.description)]
        }, flush: { batch in
            try await upsert("employments",
                             columns: ["workspace_id", "person_id", "organization_id", "branch_id", "function", "title", "start_date", "end_date"],
                             conflict: ["workspace_id", "person_id", "organization_id", "function", "start_date"], rows: batch)
        })
    }
}
