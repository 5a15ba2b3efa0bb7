import Foundation
import TandemCore

/// Parses and checks a large bundle file on its own thread, a batch ahead of the import, so that
/// reading and checking rows runs on one core while the database writes on the other. The queue
/// holds at most `capacity` batches: memory stays bounded however large the file.
///
/// A row that repeats the identity of an earlier row of the same batch is reported here, with
/// the line of the first; repeats across batches are found when they are written.
final class RowPipeline: @unchecked Sendable {
    /// A row's outcome: what to write, or the issues that stop it. The row itself (its cells)
    /// is freed on the parsing thread.
    struct Parsed: Sendable {
        var issues: [BundleIssue]
        var record: PreparedRow?
        /// Bytes of the file read up to this row, for progress.
        var bytes = 0
    }

    /// How a repeated identity is reported: the column, and the message from the identity and
    /// the line that first had it.
    struct RepeatRule: Sendable {
        var column: String
        var message: @Sendable (String, Int) -> String
    }

    private let condition = NSCondition()
    private var queue: [[Parsed]] = []
    private var finished = false
    private var cancelled = false
    private var waiting: CheckedContinuation<[Parsed]?, Never>?
    private let capacity = 3
    /// Problems in the CSV syntax itself, found by the parsing thread.
    private(set) var syntaxIssues = IssueLog()

    /// Starts parsing `path`; the header has already been checked by the caller.
    init(file: BundleFile, path: String, batchSize: Int, repeats: RepeatRule, prepare: @escaping @Sendable (inout BundleRow) -> PreparedRow?) {
        let thread = Thread { [self] in
            var ignored = IssueLog()
            var log = IssueLog()
            guard var reader = try? BundleRowReader(file: file, path: path, log: &ignored) else {
                log.add(file: file.fileName, line: 0, column: nil, "the file could not be opened again for reading")
                finish(log)
                return
            }
            var batch: [Parsed] = []
            batch.reserveCapacity(batchSize)
            var firstLine: [String: Int] = [:]
            while var row = reader.next(log: &log) {
                var record = prepare(&row)
                if let identity = record?.identity, row.isValid {
                    if let line = firstLine[identity] {
                        row.fail(repeats.column, repeats.message(identity, line))
                        record = nil
                    } else {
                        firstLine[identity] = row.line
                    }
                }
                batch.append(Parsed(issues: row.issues, record: row.isValid ? record : nil, bytes: reader.bytesRead))
                if batch.count >= batchSize {
                    if !send(batch) { return }
                    batch.removeAll(keepingCapacity: true)
                    firstLine.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty, !send(batch) { return }
            finish(log)
        }
        thread.name = "tandem-import-parse"
        thread.start()
    }

    /// The next batch, or nil when the file is done.
    func next() async -> [Parsed]? {
        await withCheckedContinuation { continuation in
            condition.lock()
            if !queue.isEmpty {
                let batch = queue.removeFirst()
                condition.signal()
                condition.unlock()
                continuation.resume(returning: batch)
            } else if finished {
                condition.unlock()
                continuation.resume(returning: nil)
            } else {
                waiting = continuation
                condition.unlock()
            }
        }
    }

    /// Stops the parsing thread when the import ends early.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    private func send(_ batch: [Parsed]) -> Bool {
        condition.lock()
        while queue.count >= capacity, !cancelled { condition.wait() }
        if cancelled {
            condition.unlock()
            return false
        }
        if let waiting {
            self.waiting = nil
            condition.unlock()
            waiting.resume(returning: batch)
        } else {
            queue.append(batch)
            condition.unlock()
        }
        return true
    }

    private func finish(_ log: IssueLog) {
        condition.lock()
        syntaxIssues = log
        finished = true
        let waiting = self.waiting
        self.waiting = nil
        condition.unlock()
        waiting?.resume(returning: nil)
    }
}
