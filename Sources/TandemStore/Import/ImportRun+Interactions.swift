import SQLKit
import TandemCore

extension ImportRun {
    struct PreparedInteraction {
        var key: String
        var values: [any SQLExpression]
        var participants: [Int64]
    }

    func loadInteractions(_ reader: inout BundleRowReader, _ meter: ProgressMeter) async throws -> Int {
        var seen = Set<String>()
        return try await stream(&reader, meter, batchSize: 1000, parse: { row -> PreparedInteraction? in
            guard let record = InteractionRecord.parse(&row) else { return nil }
            if !seen.insert(record.key).inserted {
                row.fail("key", "duplicate key \"\(record.key)\": already defined earlier in this file")
            }
            let initiator = resolve(record.initiatorKey, in: people, file: .people, what: "person", row: &row, column: "initiator_key")
            var participants: [Int64] = []
            for key in record.participantKeys {
                let column = key == record.initiatorKey ? "initiator_key" : "participant_keys"
                if key == record.initiatorKey, initiator == nil { continue }
                if let id = resolve(key, in: people, file: .people, what: "person", row: &row, column: column) {
                    participants.append(id)
                }
            }
            guard row.isValid, let initiator else { return nil }
            return PreparedInteraction(key: record.key, values: [
                SQLBind(workspaceID), SQLBind(record.key), SQLBind(record.time.date.description), bind(record.time.timestamp),
                SQLBind(record.kind.rawValue), SQLBind(initiator), bind(record.durationMinutes.map(Int64.init)), bind(record.summary),
            ], participants: participants)
        }, flush: { batch in
            let rows = try await upsert("interactions",
                                        columns: ["workspace_id", "key", "occurred_on", "occurred_at", "kind", "initiator_id", "duration_minutes", "summary"],
                                        conflict: ["workspace_id", "key"], rows: batch.map(\.values), returning: ["id", "key"])
            var ids: [String: Int64] = [:]
            for row in rows { ids[try row.decode(column: "key", as: String.self)] = try row.decode(column: "id", as: Int64.self) }
            var links: [Int64: [Int64]] = [:]
            for item in batch { if let id = ids[item.key] { links[id] = item.participants } }
            try await replaceLinks("interaction_participants", parentColumn: "interaction_id", childColumn: "person_id",
                                   links: links, positioned: false)
        })
    }
}
