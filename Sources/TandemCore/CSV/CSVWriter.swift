import Foundation

/// Writes RFC 4180 CSV to a file through a buffer, so memory stays flat however many rows are written.
public final class CSVWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let flushThreshold = 1 << 20

    /// Creates (or truncates) the file at `url` and writes `header` as its first row.
    public init(url: URL, header: [String]) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: url.path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        self.handle = handle
        buffer.reserveCapacity(flushThreshold + 4096)
        try write(header)
    }

    /// Appends one row; `nil` and empty cells are written as empty fields.
    public func write(_ row: [String?]) throws {
        for (index, cell) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            if let cell { append(cell) }
        }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= flushThreshold { try flush() }
    }

    public func write(_ row: [String]) throws {
        try write(row.map { Optional($0) })
    }

    /// Writes what is buffered and closes the file.
    public func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func append(_ cell: String) {
        let utf8 = cell.utf8
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
            || utf8.first == UInt8(ascii: " ") || utf8.last == UInt8(ascii: " ")
        guard needsQuotes else {
            buffer.append(contentsOf: utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
