import FluentKit
import Foundation
import SQLKit
import TandemCore

extension DirectoryRepository {
    static let interactionSelect = """
        SELECT t.id, t.key, t.occurred_on, t.occurred_at, t.kind, p.key AS initiator_key, t.duration_minutes, t.summary \
        FROM interactions t JOIN people p ON p.id = t.initiator_id
        """

    /// Interactions, most recent first.
    public func interactions(_ query: ListQuery) async throws -> ListPage<Interaction> {
        var conditions: [SQLQueryString] = []
        if let cursor = query.cursor {
            let parts = try Cursor.decode(cursor, parts: 2)
            guard let id = Int64(parts[1]) else { throw StoreError.invalid([FieldIssue(field: "cursor", message: "not a cursor returned by this API")]) }
            conditions.append("(t.occurred_on < \(bind: parts[0]) OR (t.occurred_on = \(bind: parts[0]) AND t.id < \(bind: id)))")
        }
        if let from = query.from { conditions.append("t.occurred_on >= \(bind: from.description)") }
        if let to = query.to { conditions.append("t.occurred_on <= \(bind: to.description)") }
        if let kind = query.kind { conditions.append("t.kind = \(bind: kind)") }
        if let person = query.person {
            conditions.append("t.id IN (SELECT ip.interaction_id FROM interaction_participants ip WHERE ip.person_id IN (SELECT id FROM people WHERE workspace_id = \(bind: workspaceID) AND key = \(bind: person)))")
        }
        var jobs = employmentConditions(query)
        if !jobs.isEmpty {
            jobs.append("e.start_date <= t.occurred_on AND (e.end_date IS NULL OR e.end_date >= t.occurred_on)")
            conditions.append("EXISTS (SELECT 1 FROM interaction_participants ip JOIN employments e ON e.person_id = ip.person_id WHERE ip.interaction_id = t.id AND \(jobs.joined(separator: " AND ")))")
        }
        let limit = Self.clamp(query.limit)
        var select = Self.interactionSelect
        if let person = query.person, sql.dialect.name == "sqlite", try await participations(of: person) > Self.busyParticipations {
            // SQLite's planner, even with statistics, starts from the person's rows and sorts them
            // all; for someone in thousands of dealings, walking the date index newest first until
            // a page is found is a hundred times faster (and the other way round for a rare one).
            select = select.replacingOccurrences(of: "FROM interactions t ", with: "FROM interactions t INDEXED BY interactions_date ")
        }
        let rows = try await sql.raw("\(unsafeRaw: select) WHERE \(scoped(conditions)) ORDER BY t.occurred_on DESC, t.id DESC LIMIT \(literal: limit + 1)").all()
        let kept = Array(rows.prefix(limit))
        let participants = try await participantKeys(of: kept)
        let items = try kept.map { try Self.interaction($0, participants: participants) }
        let next = rows.count > limit
            ? Cursor.encode([try kept[limit - 1].decode(column: "occurred_on", as: String.self), String(try kept[limit - 1].decode(column: "id", as: Int64.self))])
            : nil
        return ListPage(items: items, nextCursor: next)
    }

    /// Above this many dealings a person's latest are found by date first (see `interactions(_:)`).
    static let busyParticipations = 500

    /// How many interactions the person with `key` took part in (from the participants' index alone).
    func participations(of key: String) async throws -> Int {
        try await sql.raw("""
            SELECT COUNT(*) AS n FROM interaction_participants WHERE person_id IN \
            (SELECT id FROM people WHERE workspace_id = \(bind: workspaceID) AND key = \(bind: key))
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func interaction(key: String) async throws -> Interaction {
        guard let row = try await sql.raw("\(unsafeRaw: Self.interactionSelect) WHERE \(scoped(["t.key = \(bind: key)"]))").first() else {
            throw StoreError.notFound(kind: "interaction", key: key)
        }
        return try Self.interaction(row, participants: try await participantKeys(of: [row]))
    }

    func participantKeys(of rows: [any SQLRow]) async throws -> [Int64: [String]] {
        guard !rows.isEmpty else { return [:] }
        let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
        let links = try await sql.raw("""
            SELECT ip.interaction_id, p.key FROM interaction_participants ip JOIN people p ON p.id = ip.person_id \
            WHERE ip.interaction_id IN (\(unsafeRaw: ids.map(String.init).joined(separator: ","))) ORDER BY p.key
            """).all()
        var result: [Int64: [String]] = [:]
        for link in links {
            result[try link.decode(column: "interaction_id", as: Int64.self), default: []].append(try link.decode(column: "key", as: String.self))
        }
        return result
    }

    static func interaction(_ row: any SQLRow, participants: [Int64: [String]]) throws -> Interaction {
        let id = try row.decode(column: "id", as: Int64.self)
        let initiator = try row.decode(column: "initiator_key", as: String.self)
        let others = (participants[id] ?? []).filter { $0 != initiator }
        return Interaction(
            key: try row.decode(column: "key", as: String.self),
            date: try row.decode(column: "occurred_at", as: String?.self) ?? row.decode(column: "occurred_on", as: String.self),
            kind: InteractionKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
            initiatorKey: initiator, participantKeys: [initiator] + others,
            durationMinutes: try row.decode(column: "duration_minutes", as: Int64?.self).map { Int($0) },
            summary: try row.decode(column: "summary", as: String?.self))
    }

    /// The interactions every one of `people` (keys: one person, or the two of a pair) took part
    /// in, in the order they were stored, with what the assessment reads of them (a relationship
    /// page lists a pair's).
    public func dealings(among people: [String]) async throws -> [DealingRecord] {
        guard !people.isEmpty else { return [] }
        // Found from the rarest of the people (a counterpart in a few hundred, not the salesperson
        // in thousands), probing the others' rows.
        let counts = try await participationCounts(of: Array(Set(people)))
        let ordered = Array(Set(people)).sorted { (counts[$0] ?? 0, $0) < (counts[$1] ?? 0, $1) }
        let person: (String) -> SQLQueryString = { "(SELECT id FROM people WHERE workspace_id = \(bind: self.workspaceID) AND key = \(bind: $0))" }
        var from: SQLQueryString = "interaction_participants a"
        var conditions: [SQLQueryString] = ["a.person_id = \(person(ordered[0]))"]
        for (offset, key) in ordered.dropFirst().enumerated() {
            // CROSS JOIN: SQLite keeps the rarest person's rows outermost.
            from = "\(from) CROSS JOIN interaction_participants \(unsafeRaw: "w\(offset)")"
            conditions.append("\(unsafeRaw: "w\(offset)").interaction_id = a.interaction_id AND \(unsafeRaw: "w\(offset)").person_id = \(person(key))")
        }
        let rows = try await sql.raw("""
            SELECT t.id, t.key, t.occurred_on, t.kind, ini.key AS initiator_key, t.duration_minutes, pp.key AS person_key \
            FROM \(from) JOIN interactions t ON t.id = a.interaction_id JOIN people ini ON ini.id = t.initiator_id \
            JOIN interaction_participants ip ON ip.interaction_id = t.id JOIN people pp ON pp.id = ip.person_id \
            WHERE \(conditions.joined(separator: " AND ")) AND t.workspace_id = \(bind: workspaceID) ORDER BY t.id, pp.key
            """).all()
        // One row per participant; an interaction whose day or kind does not read is left out, as
        // the full assessment leaves it out (`SnapshotLoader`).
        var records: [DealingRecord] = [], last: Int64?, kept = false
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self), person = try row.decode(column: "person_key", as: String.self)
            if id == last {
                if kept { records[records.count - 1].participantKeys.append(person) }
                continue
            }
            last = id
            guard let date = LocalDate(try row.decode(column: "occurred_on", as: String.self)),
                  let kind = InteractionKind(rawValue: try row.decode(column: "kind", as: String.self)) else {
                kept = false
                continue
            }
            kept = true
            records.append(DealingRecord(key: try row.decode(column: "key", as: String.self), date: date, kind: kind,
                                         initiatorKey: try row.decode(column: "initiator_key", as: String.self), participantKeys: [person],
                                         durationMinutes: try row.decode(column: "duration_minutes", as: Int64?.self).map { Int($0) }))
        }
        return records
    }

    /// How many interactions each of `people` (keys) took part in, from the participants' index.
    func participationCounts(of people: [String]) async throws -> [String: Int] {
        guard !people.isEmpty else { return [:] }
        let keys = people.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        var counts: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT p.key, COUNT(*) AS n FROM people p JOIN interaction_participants ip ON ip.person_id = p.id \
            WHERE p.workspace_id = \(bind: workspaceID) AND p.key IN (\(keys)) GROUP BY p.key
            """).all() {
            counts[try row.decode(column: "key", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// The interactions with `keys`, in the order of the keys; those not stored are left out.
    public func interactions(keys: [String]) async throws -> [Interaction] {
        guard !keys.isEmpty else { return [] }
        let bound = keys.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        let rows = try await sql.raw("\(unsafeRaw: Self.interactionSelect) WHERE \(scoped(["t.key IN (\(bound))"]))").all()
        let participants = try await participantKeys(of: rows)
        let found = Dictionary(try rows.map { row in (try row.decode(column: "key", as: String.self), try Self.interaction(row, participants: participants)) },
                               uniquingKeysWith: { first, _ in first })
        return keys.compactMap { found[$0] }
    }

    // MARK: - Writes

    public func saveInteraction(_ draft: InteractionDraft, existing: String? = nil) async throws -> Interaction {
        try await saveInteractionAndRevision(draft, existing: existing).interaction
    }

    /// Saves an interaction; also returns the workspace revision its transaction made, so that a
    /// server can bring what it holds in memory up to that revision instead of reloading it.
    public func saveInteractionAndRevision(_ draft: InteractionDraft, existing: String? = nil) async throws -> (interaction: Interaction, revision: Int64) {
        var checks = FieldChecks()
        let key = existing ?? checks.key(draft.key, "key", required: false) ?? "i-\(UUID().uuidString.lowercased())"
        checks.unchanged(draft.key, existing, "key")
        var time: InteractionTime?
        if let text = draft.date, !text.isEmpty {
            time = InteractionTime(text)
            if time == nil {
                checks.fail("date", "\"\(text)\": expected a date 2024-03-05 or a timestamp 2024-03-05T09:30:00+01:00")
            } else if let date = time?.date, !FieldRules.dates.contains(date) {
                checks.fail("date", "\(text) is \(FieldRules.datesMessage)")
                time = nil
            }
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
        return try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try DirectoryRepository(database: db, workspaceID: workspaceID)
            let revision = try await WorkspaceRepository.beginWrite(repo.sql, workspaceID: repo.workspaceID)
            var references = FieldChecks()
            var participantIDs: [Int64] = []
            // One query for all of them: every query of a write holds the workspace's write queue.
            var ids: [String: Int64] = [:]
            for row in try await repo.sql.select().column("id").column("key").from("people").where("workspace_id", .equal, workspaceID)
                .where("key", .in, participantKeys).all() {
                ids[try row.decode(column: "key", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            }
            for (index, personKey) in participantKeys.enumerated() {
                if let id = ids[personKey] {
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
            if existing != nil { try await repo.sql.delete(from: "interaction_participants").where("interaction_id", .equal, id).run() }
            let insert = repo.sql.insert(into: "interaction_participants").columns("interaction_id", "person_id")
            for person in participantIDs { insert.values(SQLBind(id), SQLBind(person)) }
            try await insert.run()
            if existing == nil {
                try await WorkspaceRepository.recordChange(repo.sql, workspaceID: workspaceID, revision: revision,
                                                           .interactionAdded, subject: key)
            }
            return (try await repo.interaction(key: key), revision)
        }
    }

}

/// What the assessment reads of a stored interaction (`DirectoryRepository.dealings(among:)`): its
/// day, kind, length and people by key, the initiator among them.
public struct DealingRecord: Sendable, Equatable {
    public var key: String
    public var date: LocalDate
    public var kind: InteractionKind
    public var initiatorKey: String
    public var participantKeys: [String]
    public var durationMinutes: Int?
}
