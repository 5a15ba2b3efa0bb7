import SQLKit
import TandemCore

extension ImportRun {
    func loadInteractions(_ reader: inout BundleRowReader, path: String, _ meter: ProgressMeter) async throws -> Int {
        let writer = try await LargeFileWriter(run: self, table: "interactions",
                                               columns: ["workspace_id", "key", "occurred_on", "occurred_at", "kind", "initiator_id", "duration_minutes", "summary"],
                                               conflict: ["workspace_id", "key"], identity: (["key"], { try $0.text("key") }))
        let people = self.people, rejectedPeople = rejected[.people], workspaceID = self.workspaceID
        let repeats = RowPipeline.RepeatRule(column: "key") { "duplicate key \"\($0)\": already defined on line \($1)" }
        return try await streamInParallel(&reader, path: path, meter, repeats: repeats, prepare: { row -> PreparedRow? in
            guard let record = InteractionRecord.parse(&row) else { return nil }
            func person(_ key: String, _ column: String) -> Int64? {
                ImportRun.resolve(key, in: people, rejected: rejectedPeople, file: .people, what: "person", row: &row, column: column)
            }
            let initiator = person(record.initiatorKey, "initiator_key")
            var participants: [Int64] = []
            participants.reserveCapacity(record.participantKeys.count)
            for key in record.participantKeys {
                if key == record.initiatorKey {
                    if let initiator { participants.append(initiator) }
                } else if let id = person(key, "participant_keys") {
                    participants.append(id)
                }
            }
            guard row.isValid, let initiator else { return nil }
            return PreparedRow(identity: record.key, line: row.line, values: [
                BulkValue(workspaceID), BulkValue(record.key), BulkValue(record.time.date.description), BulkValue(record.time.timestamp),
                BulkValue(record.kind.rawValue), BulkValue(initiator), BulkValue(record.durationMinutes.map(Int64.init)), BulkValue(record.summary),
            ], links: participants)
        }, flush: { batch in
            let (written, repeated) = try await writer.write(batch)
            for row in repeated {
                log.add(file: "interactions.csv", line: row.line, column: "key", "duplicate key \"\(row.identity)\": already defined earlier in this file")
            }
            guard !kept.contains("interaction_participants") else { return }
            let stale = written.filter(\.existed).map(\.id)
            if !stale.isEmpty { try await self.writer.delete(from: "interaction_participants", where: "interaction_id", in: stale) }
            var links: [(Int64, Int64)] = []
            links.reserveCapacity(written.count * 3)
            for item in written { for person in item.row.links { links.append((item.id, person)) } }
            // Links of interactions new to the workspace are all new: on PostgreSQL they are copied.
            try await self.writer.insertPairs("interaction_participants", columns: ("interaction_id", "person_id"), pairs: links,
                                              new: stale.isEmpty)
        })
    }
}
