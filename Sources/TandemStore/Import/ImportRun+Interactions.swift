import SQLKit
import TandemCore

extension ImportRun {
    func loadInteractions(_ reader: inout BundleRowReader, path: String, _ meter: ProgressMeter) async throws -> Int {
        var watch = try await InsertionWatch(table: "interactions", sql: sql)
        return try await streamInParallel(&reader, path: path, meter, batchSize: 1000, parse: InteractionRecord.parse, check: { row, record -> PreparedRow? in
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
            return PreparedRow(identity: record.key, line: row.line, values: [
                BulkValue(workspaceID), BulkValue(record.key), BulkValue(record.time.date.description), BulkValue(record.time.timestamp),
                BulkValue(record.kind.rawValue), BulkValue(initiator), BulkValue(record.durationMinutes.map(Int64.init)), BulkValue(record.summary),
            ], links: participants)
        }, flush: { batch in
            let unique = dropRepeats(batch, file: "interactions.csv", column: "key") { "duplicate key \"\($0)\": already defined on line \($1)" }
            let rows = try await upsert("interactions",
                                        columns: ["workspace_id", "key", "occurred_on", "occurred_at", "kind", "initiator_id", "duration_minutes", "summary"],
                                        conflict: ["workspace_id", "key"], rows: unique.map(\.values), returning: ["id", "key"])
            let returned = try rows.map { (id: try $0.int("id"), identity: try $0.text("key")) }
            reportRepeats(watch.repeated(returned), in: unique, file: "interactions.csv", column: "key") {
                "duplicate key \"\($0)\": already defined earlier in this file"
            }
            let lineOf = Dictionary(unique.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
            var links: [Int64: [Int64]] = [:]
            for row in returned { if let item = lineOf[row.identity] { links[row.id] = item.links } }
            // Rows created by this import have no participants to replace yet.
            try await replaceLinks("interaction_participants", parentColumn: "interaction_id", childColumn: "person_id",
                                   links: links, positioned: false, existedBefore: { $0 <= watch.floor })
        })
    }

    /// Keeps the first row of each identity within a batch and reports the others.
    func dropRepeats(_ batch: [PreparedRow], file: String, column: String, message: (String, Int) -> String) -> [PreparedRow] {
        var first: [String: Int] = [:]
        var unique: [PreparedRow] = []
        unique.reserveCapacity(batch.count)
        for row in batch {
            if let line = first[row.identity] {
                log.add(file: file, line: row.line, column: column, message(row.identity, line))
            } else {
                first[row.identity] = row.line
                unique.append(row)
            }
        }
        return unique
    }

    /// Reports rows that repeat an identity written by an earlier batch.
    func reportRepeats(_ identities: [String], in batch: [PreparedRow], file: String, column: String, message: (String) -> String) {
        guard !identities.isEmpty else { return }
        let repeated = Set(identities)
        for row in batch where repeated.contains(row.identity) {
            log.add(file: file, line: row.line, column: column, message(row.identity))
        }
    }
}
