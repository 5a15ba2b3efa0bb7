import SQLKit

/// Finds rows that repeat an identity already written by an earlier batch of the same import,
/// from the ids the database returns, so duplicate detection in files of millions of rows
/// needs memory for one batch only.
///
/// Rows that existed before the import are remembered by id once updated (memory grows with
/// the rows a re-import updates, 8 bytes each, not with new rows).
///
/// Ids only grow (SQLite rowids within a transaction, PostgreSQL sequences), so a returned id
/// above `floor` (the largest id before the import) but not above `ceiling` (the largest id
/// after the previous batch) belongs to a row this import created earlier.
struct InsertionWatch {
    let floor: Int64
    private(set) var ceiling: Int64
    /// Rows that existed before the import and that this import has already updated once.
    private var updatedBefore: Set<Int64> = []

    init(table: String, sql: any SQLDatabase) async throws {
        let largest = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS largest FROM \(ident: table)").first()?
            .decode(column: "largest", as: Int64.self) ?? 0
        floor = largest
        ceiling = largest
    }

    /// The identities among `returned` that an earlier batch of this import created.
    mutating func repeated(_ returned: [(id: Int64, identity: String)]) -> [String] {
        var repeats: [String] = []
        var largest = ceiling
        for row in returned {
            if row.id > floor {
                if row.id <= ceiling { repeats.append(row.identity) }
            } else if !updatedBefore.insert(row.id).inserted {
                repeats.append(row.identity)
            }
            largest = max(largest, row.id)
        }
        ceiling = largest
        return repeats
    }
}

/// A row ready to write, with what identifies it and where it came from.
struct PreparedRow: Sendable {
    var identity: String
    var line: Int
    var values: [BulkValue]
    var links: [Int64] = []
}
