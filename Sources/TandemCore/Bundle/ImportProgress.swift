import Foundation

/// How far an import has got, for a progress line.
public struct ImportProgress: Sendable {
    public var file: String
    public var rows: Int
    public var rowsPerSecond: Double
    public var finished: Bool
    /// How much of the file is read, when known.
    public var bytes = 0
    public var totalBytes = 0

    public init(file: String, rows: Int, rowsPerSecond: Double, finished: Bool, bytes: Int = 0, totalBytes: Int = 0) {
        self.file = file
        self.rows = rows
        self.rowsPerSecond = rowsPerSecond
        self.finished = finished
        self.bytes = bytes
        self.totalBytes = totalBytes
    }

    /// Between 0 and 1, or nil when the file's size is unknown.
    public var fraction: Double? {
        guard totalBytes > 0 else { return nil }
        return finished ? 1 : min(1, Double(bytes) / Double(totalBytes))
    }
}

/// Reports rows done, rows per second and how much of the file is read, at most once a second
/// (every thousandth row is looked at), and once at the end.
public final class ProgressMeter {
    let file: String
    let totalBytes: Int
    let report: (@Sendable (ImportProgress) -> Void)?
    let started = Date()
    var lastReport = Date()
    var reportedAny = false

    public init(file: String, url: URL, report: (@Sendable (ImportProgress) -> Void)?) {
        self.file = file
        self.totalBytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        self.report = report
    }

    public func tick(rows: Int, bytes: Int = 0) {
        guard let report, rows % 1000 == 0 else { return }
        let now = Date()
        guard now.timeIntervalSince(lastReport) >= 1 else { return }
        lastReport = now
        reportedAny = true
        report(ImportProgress(file: file, rows: rows, rowsPerSecond: Double(rows) / max(now.timeIntervalSince(started), 0.001), finished: false,
                              bytes: bytes, totalBytes: totalBytes))
    }

    /// The end of the file; `quietly`, only when the file took long enough to report on before.
    public func finish(rows: Int, quietly: Bool = false) {
        guard let report, !quietly || reportedAny else { return }
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        report(ImportProgress(file: file, rows: rows, rowsPerSecond: Double(rows) / elapsed, finished: true, bytes: totalBytes, totalBytes: totalBytes))
    }
}
