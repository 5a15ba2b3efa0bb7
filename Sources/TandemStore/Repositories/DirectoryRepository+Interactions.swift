import FluentKit
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
        let rows = try await sql.raw("\(unsafeRaw: Self.interactionSelect) WHERE \(scoped(conditions)) ORDER BY t.occurred_on DESC, t.id DESC LIMIT \(literal: limit + 1)").all()
        let kept = Array(rows.prefix(limit))
        let participants = try await participantKeys(of: kept)
        let items = try kept.map { try Self.interaction($0, participants: participants) }
        let next = rows.count > limit
            ? Cursor.encode([try kept[limit - 1].decode(column: "occurred_on", as: String.self), String(try kept[limit - 1].decode(column: "id", as: Int64.self))])
            : nil
        return ListPage(items: items, nextCursor: next)
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
}
