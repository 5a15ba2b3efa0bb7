import Dispatch
import Foundation
import Synchronization

/// Lets SIGTERM and SIGINT stop long work cleanly: the work runs as a task the signal cancels, so
/// it ends at its next cancellation point and rolls back, instead of the process dying mid-write.
enum StopSignals {
    /// The work was stopped by a signal.
    struct Stopped: Error {
        var signal: Int32
        var name: String { signal == SIGINT ? "SIGINT" : "SIGTERM" }
        /// The exit status of a process ended by the signal: 128 + its number.
        var exitCode: Int32 { 128 + signal }
    }

    static func cancelling<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await work() }
        let received = Mutex<Int32?>(nil)
        let queue = DispatchQueue(label: "tandem.stop-signals")
        let sources = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                received.withLock { $0 = $0 ?? number }
                task.cancel()
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        do {
            return try await task.value
        } catch {
            if let number = received.withLock({ $0 }) { throw Stopped(signal: number) }
            throw error
        }
    }
}
