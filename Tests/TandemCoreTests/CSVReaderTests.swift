import Foundation
import Testing
@testable import TandemCore

@Suite struct CSVReaderTests {
    func records(_ text: String, maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes, maxFields: Int = CSVReader.defaultMaxFields) throws -> [CSVRecord] {
        try records(Data(text.utf8), maxFieldBytes: maxFieldBytes, maxFields: maxFields)
    }

    func records(_ data: Data, maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes, maxFields: Int = CSVReader.defaultMaxFields, chunk: Int = 16) throws -> [CSVRecord] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var reader = try CSVReader(path: url.path, chunkSize: chunk, maxFieldBytes: maxFieldBytes, maxFields: maxFields)
        var result: [CSVRecord] = []
        while let record = try reader.next() { result.append(record) }
        return result
    }

    @Test func readsQuotedFieldsWithSeparatorsQuotesAndLineBreaks() throws {
        let rows = try records("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n")
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", ""]])
        #expect(rows.map(\.line) == [1, 2, 4])
    }

    @Test func skipsByteOrderMarkAndBlankLines() throws {
        let rows = try records(Data([0xEF, 0xBB, 0xBF]) + Data("code,name\n\nDE,Deutschland\n".utf8))
        #expect(rows.map(\.fields) == [["code", "name"], ["DE", "Deutschland"]])
        #expect(rows[1].line == 3)
    }

    @Test func keepsMultibyteCharactersAcrossChunkBoundaries() throws {
        let text = "name\n" + String(repeating: "日本語テキスト,", count: 5) + "Ωμέγα\n"
        let rows = try records(Data(text.utf8), chunk: 16)
        #expect(rows[1].fields.last == "Ωμέγα")
        #expect(rows[1].fields.first == "日本語テキスト")
    }

    @Test func lastRecordWithoutLineBreak() throws {
        #expect(try records("a\nb").map(\.fields) == [["a"], ["b"]])
    }

    @Test func rejectsInvalidUTF8WithItsLine() {
        var data = Data("a,b\nok,".utf8)
        data.append(contentsOf: [0xC3, 0x28])
        data.append(contentsOf: Array("\n".utf8))
        #expect(throws: CSVSyntaxError(line: 2, field: 2, message: "invalid UTF-8")) { try records(data) }
    }

    @Test func rejectsUnterminatedQuote() {
        #expect(throws: CSVSyntaxError(line: 2, field: 2, message: "unterminated quoted field (file ends inside quotes)")) {
            try records("a,b\nx,\"open\nmore\n")
        }
    }

    @Test func rejectsStrayQuote() throws {
        #expect(throws: CSVSyntaxError.self) { try records("a,b\nx,ab\"c\n") }
        #expect(throws: CSVSyntaxError.self) { try records("a,b\nx,\"ab\"c\n") }
    }

    @Test func boundsFieldSizeAndFieldCount() {
        #expect(throws: CSVSyntaxError(line: 1, field: 1, message: "field longer than 8 bytes")) {
            try records("123456789\n", maxFieldBytes: 8)
        }
        #expect(throws: CSVSyntaxError(line: 1, field: 5, message: "more than 4 fields in one record")) {
            try records(",,,,,,,,,,\n", maxFields: 4)
        }
    }

    @Test func aReadFailureIsAnErrorNotAnEndOfFile() throws {
        var reader = try CSVReader(path: FileManager.default.temporaryDirectory.path)
        #expect(throws: CSVSyntaxError.self) { _ = try reader.next() }
    }

    @Test func theIssueLogCountsEvenWhenItKeepsNothing() {
        var log = IssueLog(limit: 0)
        log.add(file: "a.csv", line: 2, column: nil, "bad")
        log.add(file: "a.csv", line: 3, column: nil, "bad")
        #expect(!log.isEmpty)
        #expect(log.total == 2)
    }

    @Test func writerOutputReadsBack() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("w-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let rows: [[String?]] = [["plain", nil, "with, comma"], ["quote \"q\"", "line\nbreak", " padded "]]
        let writer = try CSVWriter(url: url, header: ["a", "b", "c"])
        for row in rows { try writer.write(row) }
        try writer.close()
        let read = try records(try Data(contentsOf: url))
        #expect(read.map(\.fields) == [["a", "b", "c"], ["plain", "", "with, comma"], ["quote \"q\"", "line\nbreak", " padded "]])
    }
}
