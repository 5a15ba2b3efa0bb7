import SQLKit
import TandemCore

extension ImportRun {
    struct PreparedLinked {
        var key: String
        var values: [BulkValue]
        var links: [[Int64]]
    }

    /// Upserts keyed rows and replaces their link-table rows; returns nothing, maps are reloaded by the caller.
    func writeLinked(_ table: String, columns: [String], batch: [PreparedLinked],
                     linkTables: [(table: String, parent: String, child: String)]) async throws {
        let rows = try await upsert(table, columns: columns, conflict: ["workspace_id", "key"], rows: batch.map(\.values),
                                    returning: ["id", "key"])
        var ids: [String: Int64] = [:]
        for row in rows { ids[try row.text("key")] = try row.int("id") }
        for (index, link) in linkTables.enumerated() {
            var links: [Int64: [Int64]] = [:]
            for item in batch { if let id = ids[item.key] { links[id] = item.links[index] } }
            try await replaceLinks(link.table, parentColumn: link.parent, childColumn: link.child, links: links, positioned: true)
        }
    }

    func resolveAll(_ keys: [String], in map: [String: Int64], file: BundleFile, what: String, row: inout BundleRow, column: String) -> [Int64] {
        keys.compactMap { resolve($0, in: map, file: file, what: what, row: &row, column: column) }
    }

    func loadPartnerships(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        let count = try await stream(&reader, meter, parse: { row -> PreparedLinked? in
            let record = PartnershipRecord.parse(&row)
            checkDuplicate(record?.key, column: "key", seen: &seen, row: &row)
            guard let record else { reject(row.text("key"), of: .partnerships); return nil }
            let counterpart = resolve(record.counterpartKey, in: organizations, file: .organizations, what: "organization",
                                      row: &row, column: "counterpart_key")
            if let counterpart, counterpart == homeOrganizationID {
                row.fail("counterpart_key", "\"\(record.counterpartKey)\" is the home organization: a partnership is with a counterpart")
            }
            let signers = resolveAll(record.signedByKeys, in: people, file: .people, what: "person", row: &row, column: "signed_by_keys")
            let places = resolveAll(record.territoryCodes, in: territories, file: .territories, what: "territory", row: &row, column: "territory_codes")
            guard row.isValid, let counterpart else { reject(record.key, of: .partnerships); return nil }
            return PreparedLinked(key: record.key, values: [
                BulkValue(workspaceID), BulkValue(record.key), BulkValue(counterpart), BulkValue(record.status.rawValue),
                BulkValue(record.commitment.rawValue), BulkValue(record.agreementDate?.description), BulkValue(record.notes),
            ], links: [signers, places])
        }, flush: { batch in
            try await writeLinked("partnerships",
                                  columns: ["workspace_id", "key", "counterpart_id", "status", "commitment", "agreement_date", "notes"],
                                  batch: batch,
                                  linkTables: [("partnership_signatories", "partnership_id", "person_id"),
                                               ("partnership_territories", "partnership_id", "territory_id")])
        })
        try await reloadPartnerships()
        return count
    }

    func loadGoals(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        let count = try await stream(&reader, meter, parse: { row -> PreparedLinked? in
            let record = GoalRecord.parse(&row)
            checkDuplicate(record?.key, column: "key", seen: &seen, row: &row)
            guard let record else { reject(row.text("key"), of: .goals); return nil }
            let partnership = resolve(record.partnershipKey, in: partnerships, file: .partnerships, what: "partnership",
                                      row: &row, column: "partnership_key")
            let owners = resolveAll(record.ownerKeys, in: people, file: .people, what: "person", row: &row, column: "owner_keys")
            guard row.isValid, let partnership else { reject(record.key, of: .goals); return nil }
            return PreparedLinked(key: record.key, values: [
                BulkValue(workspaceID), BulkValue(record.key), BulkValue(partnership), BulkValue(record.metric), BulkValue(record.unit),
                BulkValue(record.baseline), BulkValue(record.target), BulkValue(record.dueDate?.description),
            ], links: [owners])
        }, flush: { batch in
            try await writeLinked("goals",
                                  columns: ["workspace_id", "key", "partnership_id", "metric", "unit", "baseline", "target", "due_date"],
                                  batch: batch, linkTables: [("goal_owners", "goal_id", "person_id")])
        })
        try await reloadGoals()
        return count
    }

    func loadGoalProgress(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        return try await stream(&reader, meter, parse: { row -> [BulkValue]? in
            guard let record = GoalProgressRecord.parse(&row) else { return nil }
            if let first = seen["\(record.goalKey)\u{1F}\(record.date)"] {
                row.fail("date", "duplicate progress for goal \"\(record.goalKey)\" on \(record.date): already on line \(first)")
            } else {
                seen["\(record.goalKey)\u{1F}\(record.date)"] = row.line
            }
            let goal = resolve(record.goalKey, in: goals, file: .goals, what: "goal", row: &row, column: "goal_key")
            guard row.isValid, let goal else { return nil }
            return [BulkValue(workspaceID), BulkValue(goal), BulkValue(record.date.description), BulkValue(record.value)]
        }, flush: { batch in
            try await upsert("goal_progress", columns: ["workspace_id", "goal_id", "date", "value"], conflict: ["goal_id", "date"], rows: batch)
        })
    }

    /// The party of a pledge or a risk must be one of the partnership's two sides.
    func checkParty(_ party: Int64?, partnership: Int64?, key: String, row: inout BundleRow) {
        guard let party, let partnership else { return }
        if party != homeOrganizationID, party != partnershipCounterpart[partnership] {
            row.fail("party_key", "\"\(key)\" is neither the home organization nor the partnership's counterpart")
        }
    }

    func loadCommitments(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        let count = try await stream(&reader, meter, parse: { row -> [BulkValue]? in
            let record = CommitmentRecord.parse(&row)
            checkDuplicate(record?.key, column: "key", seen: &seen, row: &row)
            guard let record else { reject(row.text("key"), of: .commitments); return nil }
            let partnership = resolve(record.partnershipKey, in: partnerships, file: .partnerships, what: "partnership",
                                      row: &row, column: "partnership_key")
            let party = resolve(record.partyKey, in: organizations, file: .organizations, what: "organization", row: &row, column: "party_key")
            checkParty(party, partnership: partnership, key: record.partyKey, row: &row)
            guard row.isValid, let partnership, let party else { reject(record.key, of: .commitments); return nil }
            return [BulkValue(workspaceID), BulkValue(record.key), BulkValue(partnership), BulkValue(party), BulkValue(record.asset.rawValue),
                    BulkValue(record.amount), BulkValue(record.unit), BulkValue(record.currency), BulkValue(record.dueDate?.description),
                    BulkValue(record.description)]
        }, flush: { batch in
            try await upsert("commitments",
                             columns: ["workspace_id", "key", "partnership_id", "party_id", "asset", "amount", "unit", "currency", "due_date", "description"],
                             conflict: ["workspace_id", "key"], rows: batch)
        })
        try await reloadCommitments()
        return count
    }

    func loadContributions(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        return try await stream(&reader, meter, parse: { row -> [BulkValue]? in
            guard let record = ContributionRecord.parse(&row) else { return nil }
            let identity = "\(record.commitmentKey)\u{1F}\(record.date)\u{1F}\(record.amount)"
            if let first = seen[identity] {
                row.fail("amount", "duplicate contribution: line \(first) already records \(Self.format(record.amount)) to \"\(record.commitmentKey)\" on \(record.date) (combine them into one row)")
            } else {
                seen[identity] = row.line
            }
            let commitment = resolve(record.commitmentKey, in: commitments, file: .commitments, what: "commitment", row: &row, column: "commitment_key")
            var confirmer: Int64?
            if let key = record.confirmedByKey {
                confirmer = resolve(key, in: people, file: .people, what: "person", row: &row, column: "confirmed_by_key")
            }
            guard row.isValid, let commitment else { return nil }
            return [BulkValue(workspaceID), BulkValue(commitment), BulkValue(record.date.description), BulkValue(record.amount),
                    BulkValue(confirmer), BulkValue(record.note)]
        }, flush: { batch in
            try await upsert("contributions", columns: ["workspace_id", "commitment_id", "date", "amount", "confirmed_by_id", "note"],
                             conflict: ["commitment_id", "date", "amount"], rows: batch)
        })
    }

    func loadRisks(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        return try await stream(&reader, meter, parse: { row -> [BulkValue]? in
            guard let record = RiskRecord.parse(&row) else { return nil }
            let identity = "\(record.partnershipKey)\u{1F}\(record.partyKey)\u{1F}\(record.description)"
            if let first = seen[identity] {
                row.fail("description", "duplicate risk: line \(first) already has this description for \"\(record.partyKey)\" in \"\(record.partnershipKey)\"")
            } else {
                seen[identity] = row.line
            }
            let partnership = resolve(record.partnershipKey, in: partnerships, file: .partnerships, what: "partnership",
                                      row: &row, column: "partnership_key")
            let party = resolve(record.partyKey, in: organizations, file: .organizations, what: "organization", row: &row, column: "party_key")
            checkParty(party, partnership: partnership, key: record.partyKey, row: &row)
            guard row.isValid, let partnership, let party else { return nil }
            return [BulkValue(workspaceID), BulkValue(partnership), BulkValue(party), BulkValue(record.description),
                    BulkValue(record.exposureAmount), BulkValue(record.currency)]
        }, flush: { batch in
            try await upsert("risks", columns: ["workspace_id", "partnership_id", "party_id", "description", "exposure_amount", "currency"],
                             conflict: ["partnership_id", "party_id", "description"], rows: batch)
        })
    }

    static func format(_ value: Double) -> String { BundleNumber.format(value) }

    func loadPartnershipEvents(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        return try await stream(&reader, meter, parse: { row -> [BulkValue]? in
            guard let record = PartnershipEventRecord.parse(&row) else { return nil }
            let identity = "\(record.partnershipKey)\u{1F}\(record.date)\u{1F}\(record.status.rawValue)"
            if let first = seen[identity] {
                row.fail("status", "duplicate event: line \(first) already has \"\(record.partnershipKey)\" \(record.status.rawValue) on \(record.date)")
            } else {
                seen[identity] = row.line
            }
            let partnership = resolve(record.partnershipKey, in: partnerships, file: .partnerships, what: "partnership",
                                      row: &row, column: "partnership_key")
            guard row.isValid, let partnership else { return nil }
            return [BulkValue(workspaceID), BulkValue(partnership), BulkValue(record.date.description), BulkValue(record.status.rawValue),
                    BulkValue(record.note)]
        }, flush: { batch in
            try await upsert("partnership_events", columns: ["workspace_id", "partnership_id", "date", "status", "note"],
                             conflict: ["partnership_id", "date", "status"], rows: batch)
        })
    }

    func loadReviews(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen: [String: Int] = [:]
        return try await stream(&reader, meter, parse: { row -> PreparedLinked? in
            let record = ReviewRecord.parse(&row)
            checkDuplicate(record?.key, column: "key", seen: &seen, row: &row)
            guard let record else { return nil }
            let partnership = resolve(record.partnershipKey, in: partnerships, file: .partnerships, what: "partnership",
                                      row: &row, column: "partnership_key")
            let attendees = resolveAll(record.attendeeKeys, in: people, file: .people, what: "person", row: &row, column: "attendee_keys")
            guard row.isValid, let partnership else { return nil }
            return PreparedLinked(key: record.key, values: [
                BulkValue(workspaceID), BulkValue(record.key), BulkValue(partnership), BulkValue(record.date.description),
                BulkValue(record.visibility.rawValue), BulkValue(record.notes),
            ], links: [attendees])
        }, flush: { batch in
            try await writeLinked("reviews", columns: ["workspace_id", "key", "partnership_id", "date", "visibility", "notes"],
                                  batch: batch, linkTables: [("review_attendees", "review_id", "person_id")])
        })
    }
}
