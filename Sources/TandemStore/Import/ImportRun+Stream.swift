import SQLKit
import TandemCore

extension ImportRun {
    /// Reads every row of a file, turns the good ones into `T` with `parse` and writes them in
    /// batches with `flush`; returns the number of data rows read.
    func stream<T>(_ reader: inout BundleRowReader, _ meter: ProgressMeter, batchSize: Int = 2000,
                   parse: (inout BundleRow) -> T?, flush: ([T]) async throws -> Void) async throws -> Int {
        var batch: [T] = []
        batch.reserveCapacity(min(batchSize, 4096))
        var count = 0
        while var row = reader.next(log: &log) {
            count += 1
            let value = parse(&row)
            if accept(row), let value { batch.append(value) }
            if batch.count >= batchSize {
                try await flush(batch)
                batch.removeAll(keepingCapacity: true)
            }
            meter.tick(rows: count)
        }
        if !batch.isEmpty { try await flush(batch) }
        return count
    }

    /// Reports a key seen earlier in the same file.
    func checkDuplicate(_ key: String?, column: String, seen: inout [String: Int], row: inout BundleRow) {
        guard let key else { return }
        if let first = seen[key] {
            row.fail(column, "duplicate key \"\(key)\": already defined on line \(first)")
        } else {
            seen[key] = row.line
        }
    }
}
