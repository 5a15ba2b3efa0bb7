import Foundation
import Logging
import Synchronization
import Vapor

/// How the process logs: `LOG_LEVEL` (trace … critical; default `notice` in production, `info`
/// otherwise) and `LOG_FORMAT` (`text`, the default, or `json` for one JSON object per line).
public enum TandemLogging {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public struct BadSetting: Error, CustomStringConvertible {
        public var description: String
    }

    /// Chooses the log handler of the process, once, from the environment (`LOG_LEVEL` in any case).
    public static func bootstrap(from environment: inout Environment) throws {
        let variables = ProcessInfo.processInfo.environment
        var level = try Logger.Level.detect(from: &environment)
        if let text = variables["LOG_LEVEL"] {
            guard let named = Logger.Level(rawValue: text.lowercased()) else {
                throw BadSetting(description: "LOG_LEVEL=\(text): expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            level = named
        }
        let formatText = variables["LOG_FORMAT"] ?? Format.text.rawValue
        guard let format = Format(rawValue: formatText.lowercased()) else {
            throw BadSetting(description: "LOG_FORMAT=\(formatText): expected text or json")
        }
        switch format {
        case .text:
            let console = Terminal()
            LoggingSystem.bootstrap { label in ConsoleLogger(label: label, console: console, level: level) }
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        }
    }
}

/// Writes each record as one line of JSON to standard output:
/// `{"level":"info","logger":"…","message":"…","metadata":{"request-id":"…"},"source":"…","time":"2026-11-28T09:30:00.123Z"}`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit { merged.merge(explicit) { $1 } }
        var record: [String: Any] = [
            "time": Self.timestamp(Date()),
            "level": level.rawValue,
            "logger": label,
            "message": message.description,
            "source": source,
        ]
        if !merged.isEmpty { record["metadata"] = merged.mapValues(Self.json) }
        guard let data = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else { return }
        write(text)
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private static let output = Mutex(())

    /// Whole lines, one writer at a time, so records of concurrent requests never interleave.
    public static let standardOutput: @Sendable (String) -> Void = { line in
        output.withLock { _ in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}

/// Gives every request an id for its log records and its answer's `X-Request-Id`: the one the
/// client or load balancer sent when it is a plain token (letters, digits, `.`, `_`, `:`, `-`; at
/// most 128), else a new UUID, so nobody can write arbitrary text into the logs. Logs each answer
/// at `info`: method, route, status and milliseconds.
struct RequestIDMiddleware: AsyncMiddleware {
    static func acceptable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"): true
            default: false
            }
        }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let id = request.headers.first(name: .xRequestId).flatMap { Self.acceptable($0) ? $0 : nil } ?? UUID().uuidString
        request.logger[metadataKey: "request-id"] = .string(id)
        let clock = ContinuousClock(), start = clock.now
        // Errors come back as answers: the problem middleware is further in.
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .xRequestId, value: id)
        if request.logger.logLevel <= .info {
            let elapsed = clock.now - start
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            request.logger.info("\(request.method.rawValue) \(request.url.path) \(response.status.code) \((milliseconds * 10).rounded() / 10) ms")
        }
        return response
    }
}
