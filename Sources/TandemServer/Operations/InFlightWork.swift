import Foundation
import Synchronization
import Vapor

/// Work a request started that goes on without it — a web import keeps running when its browser
/// leaves — and that a stopping server must let finish before it closes the database.
final class InFlightWork: Sendable {
    private let tasks = Mutex<[UUID: Task<Void, Never>]>([:])

    /// Keeps `task` until it ends.
    func track<Success: Sendable>(_ task: Task<Success, Never>) {
        let id = UUID()
        tasks.withLock { tasks in
            tasks[id] = Task { [weak self] in
                _ = await task.value
                self?.tasks.withLock { _ = $0.removeValue(forKey: id) }
            }
        }
    }

    var count: Int { tasks.withLock { $0.count } }

    /// Waits until every tracked task has ended, or `timeout`; true when they all ended. (It looks
    /// every 50 ms: awaiting the tasks themselves could not be given up at the timeout.)
    func finish(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while count > 0 {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}

struct InFlightWorkKey: StorageKey {
    typealias Value = InFlightWork
}

extension Application {
    /// Set by `configure`; an application it has not configured has started no work to wait for.
    var inFlightWork: InFlightWork { storage[InFlightWorkKey.self] ?? InFlightWork() }

    /// For a stopping server, after it has stopped accepting and answered the requests in flight:
    /// waits for the work they left running (imports whose browser left), at most `timeout`.
    /// Returns how many were still running when the time ran out.
    public func finishInFlightWork(within timeout: Duration) async -> Int {
        let work = inFlightWork
        if await work.finish(within: timeout) { return 0 }
        return work.count
    }
}
