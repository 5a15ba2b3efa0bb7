import FluentKit
import Foundation
import SQLKit
import TandemCore

extension DirectoryRepository {
    // MARK: - Interactions

    public func saveInteraction(_ draft: InteractionDraft, existing: String? = nil) async throws -> Interaction {
        var checks = FieldChecks()
        let key = existing ?? checks.key(draft.key, "key", required: false) ?? "i-\(UUID().uuidString.lowercased())"
        var time: InteractionTime?
        if let text = draft.date, !text.isEmpty {
            time = InteractionTime(text)
            if time == nil { checks.fail("date", "\"\(text)\": expected a date 2024-03-05 or a timestamp 2024-03-05T09:30:00+01:00") }
        } else {
            checks.fail("date", "required")
        }
        let kind = checks.choice(draft.kind, "kind", InteractionKind.self)
        let initiatorKey = checks.key(draft.initiatorKey, "initiator_key")
        if let minutes = draft.durationMinutes, !(0...100_000).contains(minutes) { checks.fail("duration_minutes", "expected 0 to 100000") }
        let summary = checks.text(draft.summary, "summary", max: 10_000, required: false)
        try checks.throwIfAny()
        guard let time, let kind, let initiatorKey else { throw StoreError.invalid(checks.issues) }
        var keys = [initiatorKey]
        for other in draft.participantKeys ?? [] where !keys.contains(other) { keys.append(other) }
        let participantKeys = keys
        return try await database.transaction { db in
            let repo = DirectoryRepository(database: db, workspaceID: workspaceID)
            var references = FieldChecks()
            var participantIDs: [Int64] = []
            for (index, personKey) in participantKeys.enumerated() {
                if let id = try await repo.idOf("people", key: personKey) {
                    participantIDs.append(id)
                } else {
                    references.fail(index == 0 ? "initiator_key" : "participant_keys", "unknown person \"\(personKey)\"")
                }
            }
            try references.throwIfAny()
            let model = try await repo.model(InteractionModel.self, existing: existing, column: "key", kind: "interaction")
            if existing == nil, try await repo.idOf("interactions", key: key) != nil {
                throw StoreError.conflict("an interaction with key \"\(key)\" already exists")
            }
            model.workspaceID = workspaceID
            model.key = key
            model.occurredOn = time.date.description
            model.occurredAt = time.timestamp
            model.kind = kind.rawValue
            model.initiatorID = participantIDs[0]
            model.durationMinutes = draft.durationMinutes.map(Int64.init)
            model.summary = summary
            try await model.save(on: db)
            let id = model.id!
            try await repo.sql.delete(from: "interaction_participants").where("interaction_id", .equal, id).run()
            let insert = repo.sql.insert(into: "interaction_participants").columns("interaction_id", "person_id")
            for person in participantIDs { insert.values(SQLBind(id), SQLBind(person)) }
            try await insert.run()
            return try await repo.interaction(key: key)
        }
    }

    // MARK: - Deletes

    /// Who refers to a record, so that a delete never silently takes other records with it.
    static let dependents: [String: [(table: String, column: String, what: String)]] = [
        "territories": [("territories", "parent_id", "territories below it"), ("branches", "territory_id", "branches"),
                        ("partnership_territories", "territory_id", "partnerships")],
        "organizations": [("branches", "organization_id", "branches"), ("employments", "organization_id", "employments"),
                          ("partnerships", "counterpart_id", "partnerships"), ("commitments", "party_id", "commitments"),
                          ("risks", "party_id", "risks"), ("sales", "manufacturer_id", "sales rows")],
        "branches": [("employments", "branch_id", "employments"), ("sales", "branch_id", "sales rows")],
        "people": [("employments", "person_id", "employments"), ("interaction_participants", "person_id", "interactions"),
                   ("partnership_signatories", "person_id", "partnership signatures"), ("goal_owners", "person_id", "goals"),
                   ("contributions", "confirmed_by_id", "confirmed contributions")],
    ]

    /// Deletes a keyed record; refuses with a conflict naming what still refers to it.
    public func delete(_ table: String, kind: String, key: String, column: String = "key") async throws {
        try await database.transaction { db in
            let repo = DirectoryRepository(database: db, workspaceID: workspaceID)
            let id = try await repo.require(table, kind: kind, key: key, column: column)
            var uses: [String] = []
            for dependent in Self.dependents[table] ?? [] {
                let count = try await repo.sql.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM \(ident: dependent.table) WHERE \(ident: dependent.column) = \(bind: id) LIMIT 1000) x")
                    .first()?.decode(column: "n", as: Int64.self) ?? 0
                if count > 0 { uses.append("\(count >= 1000 ? "1000+" : String(count)) \(dependent.what)") }
            }
            guard uses.isEmpty else {
                throw StoreError.conflict("\(kind) \"\(key)\" is still referred to by \(uses.joined(separator: ", ")); remove or move those first")
            }
            try await repo.sql.delete(from: table).where("id", .equal, id).run()
        }
    }

    public func deleteEmployment(id: Int64) async throws {
        let deleted = try await sql.raw("DELETE FROM employments WHERE workspace_id = \(bind: workspaceID) AND id = \(bind: id) RETURNING id").all()
        if deleted.isEmpty { throw StoreError.notFound(kind: "employment", key: String(id)) }
    }
}
