import Foundation

/// One CSV record with the physical line on which it starts (1-based).
public struct CSVRecord: Sendable {
    public var line: Int
    public var fields: [String]
}

/// A problem in the CSV syntax itself, located precisely.
public struct CSVSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    /// 1-based field number within the record.
    public var field: Int
    public var message: String
    public var description: String { "field \(field): \(message)" }
}

/// Streams RFC 4180 records from a file in fixed-size chunks: memory stays bounded whatever the file size.
///
/// Accepts a UTF-8 byte-order mark, CRLF or LF line ends, quoted fields with embedded separators,
/// quotes and line breaks. Rejects invalid UTF-8, stray quotes, unterminated quotes, oversize
/// fields and records with absurd numbers of fields.
public struct CSVReader: ~Copyable {
    public static let defaultMaxFieldBytes = 1 << 20
    public static let defaultMaxFields = 1024

    private let fd: Int32
    private var chunk: [UInt8]
    private var position = 0
    private var filled = 0
    private var atEOF = false
    private var line = 1
    private var startedFile = false
    private let maxFieldBytes: Int
    private let maxFields: Int
    /// The errno of a failed read: the file ends there, and `next()` reports it.
    private var readFailure: Int32?
    /// Bytes read so far, for progress reporting.
    public private(set) var bytesRead = 0
    /// Reused between records, so that reading a field does not allocate.
    private var fieldBuffer: [UInt8] = []
    private var lastFieldCount = 8

    public init(path: String, chunkSize: Int = 1 << 18,
                maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes,
                maxFields: Int = CSVReader.defaultMaxFields) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        self.fd = fd
        self.chunk = [UInt8](repeating: 0, count: max(chunkSize, 16))
        self.maxFieldBytes = maxFieldBytes
        self.maxFields = maxFields
    }

    deinit { close(fd) }

    private mutating func refill() -> Bool {
        if atEOF { return false }
        var count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        while count < 0, errno == EINTR {
            count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        }
        if count < 0 { readFailure = errno }
        if count <= 0 {
            atEOF = true
            return false
        }
        position = 0
        filled = count
        bytesRead += count
        return true
    }

    @inline(__always)
    private mutating func nextByte() -> UInt8? {
        if position == filled, !refill() { return nil }
        let byte = chunk[position]
        position += 1
        return byte
    }

    @inline(__always)
    private mutating func peekByte() -> UInt8? {
        if position == filled, !refill() { return nil }
        return chunk[position]
    }

    /// The next record, or nil at the end of the file. Blank lines are skipped.
    public mutating func next() throws(CSVSyntaxError) -> CSVRecord? {
        if !startedFile {
            startedFile = true
            try skipByteOrderMark()
        }
        var fields: [String] = []
        fields.reserveCapacity(lastFieldCount)
        var field: [UInt8] = []
        swap(&field, &fieldBuffer)
        field.removeAll(keepingCapacity: true)
        defer { fieldBuffer = field }
        var startLine = line
        var inQuotes = false
        var wasQuoted = false
        var sawAnything = false

        func finishField() throws(CSVSyntaxError) {
            // Most fields are ASCII, which is valid UTF-8 as it is; only others need validating.
            if field.allSatisfy({ $0 < 0x80 }) {
                fields.append(String(decoding: field, as: UTF8.self))
            } else if let text = String(validating: field, as: UTF8.self) {
                fields.append(text)
            } else {
                throw CSVSyntaxError(line: startLine, field: fields.count + 1, message: "invalid UTF-8")
            }
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
            if fields.count > maxFields {
                throw CSVSyntaxError(line: startLine, field: fields.count,
                                     message: "more than \(maxFields) fields in one record")
            }
        }

        while true {
            guard let byte = nextByte() else {
                if let failure = readFailure {
                    throw CSVSyntaxError(line: line, field: fields.count + 1,
                                         message: "the file could not be read further: \(String(cString: strerror(failure)))")
                }
                if inQuotes {
                    throw CSVSyntaxError(line: startLine, field: fields.count + 1,
                                         message: "unterminated quoted field (file ends inside quotes)")
                }
                if !sawAnything { return nil }
                try finishField()
                lastFieldCount = fields.count
                return CSVRecord(line: startLine, fields: fields)
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if peekByte() == UInt8(ascii: "\"") {
                        position += 1
                        field.append(byte)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                    if field.count > maxFieldBytes {
                        throw CSVSyntaxError(line: startLine, field: fields.count + 1,
                                             message: "field longer than \(maxFieldBytes) bytes")
                    }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                sawAnything = true
                try finishField()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if byte == UInt8(ascii: "\r"), peekByte() == UInt8(ascii: "\n") { position += 1 }
                line += 1
                if !sawAnything {
                    startLine = line
                    continue
                }
                try finishField()
                lastFieldCount = fields.count
                return CSVRecord(line: startLine, fields: fields)
            case UInt8(ascii: "\""):
                sawAnything = true
                if !field.isEmpty || wasQuoted {
                    throw CSVSyntaxError(line: line, field: fields.count + 1,
                                         message: "unexpected quote inside an unquoted field (quote the whole field and double inner quotes)")
                }
                inQuotes = true
                wasQuoted = true
            default:
                sawAnything = true
                if wasQuoted {
                    throw CSVSyntaxError(line: line, field: fields.count + 1,
                                         message: "unexpected character after a closing quote")
                }
                field.append(byte)
                appendPlainRun(to: &field)
                if field.count > maxFieldBytes {
                    throw CSVSyntaxError(line: startLine, field: fields.count + 1,
                                         message: "field longer than \(maxFieldBytes) bytes")
                }
            }
        }
    }

    /// Appends the bytes up to the next delimiter, quote or line end that are already in the
    /// chunk, in one copy instead of byte by byte: most of a file is plain field text.
    @inline(__always)
    private mutating func appendPlainRun(to field: inout [UInt8]) {
        var end = position
        while end < filled {
            switch chunk[end] {
            case UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\""): break
            default:
                end += 1
                continue
            }
            break
        }
        if end > position {
            field.append(contentsOf: chunk[position..<end])
            position = end
        }
    }

    private mutating func skipByteOrderMark() throws(CSVSyntaxError) {
        guard peekByte() == 0xEF else { return }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        // The whole mark is within the first chunk (chunks are at least 16 bytes).
        if filled - position >= 3, Array(chunk[position..<position + 3]) == bom {
            position += 3
        }
    }
}
