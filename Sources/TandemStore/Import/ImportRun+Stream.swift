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
            meter.tick(rows: count, bytes: reader.bytesRead)
        }
        if !batch.isEmpty { try await flush(batch) }
        return count
    }

    /// Like `stream`, but `prepare` (parsing and checking a row into what gets written) runs on a
    /// thread of its own a few batches ahead, while this task writes: it may only use what does
    /// not change while the file streams, such as the key maps of the files before it. Each batch
    /// `flush` gets holds every identity once. Batches are larger on PostgreSQL, where each is one
    /// `COPY` on a first import, than on SQLite, which writes row by row anyway.
    func streamInParallel(_ reader: inout BundleRowReader, path: String, _ meter: ProgressMeter, batchSize: Int? = nil,
                          repeats: RowPipeline.RepeatRule,
                          prepare: @escaping @Sendable (inout BundleRow) -> PreparedRow?,
                          flush: ([PreparedRow]) async throws -> Void) async throws -> Int {
        guard reader.isReadable else { return 0 }
        let batchSize = batchSize ?? (writer.direct == nil ? 10_000 : 1000)
        let pipeline = RowPipeline(file: reader.file, path: path, batchSize: batchSize, repeats: repeats, prepare: prepare)
        var batch: [PreparedRow] = []
        batch.reserveCapacity(batchSize)
        var count = 0
        do {
            while let parsed = await pipeline.next() {
                for item in parsed {
                    count += 1
                    for issue in item.issues { log.add(issue) }
                    if let value = item.record { batch.append(value) }
                    meter.tick(rows: count, bytes: item.bytes)
                }
                if !batch.isEmpty { try await flush(batch) }
                batch.removeAll(keepingCapacity: true)
            }
        } catch {
            pipeline.cancel()
            throw error
        }
        for issue in pipeline.syntaxIssues.issues { log.add(issue) }
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
