import Foundation
import Synchronization
import Testing

/// The tests that start `tandem` processes (a crash-safe import, a clean shutdown) take minutes
/// and all the machine's cores, so they run on their own: `TANDEM_PROCESS_TESTS=1 swift test
/// --filter 'CrashSafeImportTests|ShutdownTests'`, as CI does after the other tests.
let processTestsEnabled = ProcessInfo.processInfo.environment["TANDEM_PROCESS_TESTS"] == "1"

/// The `tandem` command built beside the tests (`swift build` builds it with them), or
/// `$TANDEM_BINARY`.
var tandemBinary: URL {
    get throws {
        if let path = ProcessInfo.processInfo.environment["TANDEM_BINARY"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for folder in [beside, beside.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("tandem")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ChildProcessError(description: "no tandem command beside \(beside.path): run swift build first, or set TANDEM_BINARY")
    }
}

struct ChildProcessError: Error, CustomStringConvertible {
    var description: String
}

/// A `tandem` process run by a test: its output collected as it comes, signals sent to it.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let output = Output()

    final class Output: Sendable {
        private let state = Mutex((text: "", ended: false))
        func append(_ data: Data) { state.withLock { $0.text += String(decoding: data, as: UTF8.self) } }
        func end() { state.withLock { $0.ended = true } }
        var all: String { state.withLock { $0.text } }
        /// True once the pipe has reached its end (the process and any child holding it have closed it).
        var ended: Bool { state.withLock { $0.ended } }
    }

    init(_ arguments: [String], input: String? = nil) throws {
        process.executableURL = try tandemBinary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            if data.isEmpty {
                // The end: without this, Foundation keeps calling with nothing and spins a core.
                handle.readabilityHandler = nil
                output.end()
            } else {
                output.append(data)
            }
        }
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
    }

    /// Standard output and error so far.
    var text: String { output.all }

    /// Waits until the output contains `marker`; false when the process ended or the time ran out first.
    func waitFor(_ marker: String, seconds: Double = 120) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if text.contains(marker) { return true }
            if !process.isRunning { return text.contains(marker) }
            try await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to end; its exit status, or the number of the signal that ended it.
    func finish(seconds: Double = 300) async throws -> (status: Int32, signalled: Bool) {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                send(SIGKILL)
                throw ChildProcessError(description: "tandem \(process.arguments ?? []) did not end within \(seconds) s:\n\(text)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        // The last output: the pipe ends with the process (a few seconds at most, should a child
        // of it still hold the pipe).
        let outputDeadline = min(deadline, ContinuousClock.now + .seconds(5))
        while !output.ended, ContinuousClock.now < outputDeadline { try await Task.sleep(for: .milliseconds(5)) }
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }

    /// Runs `tandem arguments` to its end; throws with its output when it fails.
    @discardableResult
    static func run(_ arguments: [String], input: String? = nil) async throws -> String {
        let child = try ChildProcess(arguments, input: input)
        let (status, signalled) = try await child.finish()
        guard status == 0, !signalled else {
            throw ChildProcessError(description: "tandem \(arguments.joined(separator: " ")) ended with \(signalled ? "signal" : "status") \(status):\n\(child.text)")
        }
        return child.text
    }
}
