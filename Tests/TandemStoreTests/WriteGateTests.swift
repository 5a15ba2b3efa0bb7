import NIOCore
import Synchronization
import TandemCore
@testable import TandemStore
import Testing

@Suite struct WriteGateTests {
    /// A holder that keeps the gate until `release` is called.
    final class Holder: Sendable {
        let started: AsyncStream<Void>
        private let startedContinuation: AsyncStream<Void>.Continuation
        private let released: AsyncStream<Void>
        private let releasedContinuation: AsyncStream<Void>.Continuation

        init() {
            (started, startedContinuation) = AsyncStream.makeStream()
            (released, releasedContinuation) = AsyncStream.makeStream()
        }

        func hold(_ gate: WriteGate, patience: TimeAmount = .seconds(60)) async throws {
            try await gate.run(patience: patience) {
                startedContinuation.yield()
                for await _ in released { break }
            }
        }

        func waitUntilStarted() async {
            for await _ in started { break }
        }

        func release() { releasedContinuation.yield() }
    }

    /// A value tasks share.
    final class Shared<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
    }

    @Test func writersGoThroughOneAtATimeInTheOrderTheyCame() async throws {
        let gate = WriteGate()
        let first = Holder()
        let order = Shared<[Int]>([])
        let running = Shared(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await first.hold(gate) }
            await first.waitUntilStarted()
            for index in 1...5 {
                group.addTask {
                    try await gate.run(patience: .seconds(60)) {
                        #expect(running.value.withLock { $0 += 1; return $0 } == 1)
                        order.value.withLock { $0.append(index) }
                        try await Task.sleep(for: .milliseconds(5))
                        running.value.withLock { $0 -= 1 }
                    }
                }
                // Each waiter is queued before the next one comes.
                while gate.waiting < index { try await Task.sleep(for: .milliseconds(1)) }
            }
            #expect(order.value.withLock { $0 }.isEmpty)
            first.release()
            try await group.waitForAll()
        }
        #expect(order.value.withLock { $0 } == [1, 2, 3, 4, 5])
    }

    @Test func aWriterThatWaitsLongerThanItsPatienceIsToldTheWorkspaceIsBusyAndDoesNotRun() async throws {
        let gate = WriteGate()
        let holder = Holder()
        let holding = Task { try await holder.hold(gate) }
        await holder.waitUntilStarted()
        let ran = Shared(false)
        await #expect(throws: DatabaseBusy.self) {
            try await gate.run(patience: .milliseconds(100)) { ran.value.withLock { $0 = true } }
        }
        #expect(!ran.value.withLock { $0 })
        holder.release()
        try await holding.value
        // The gate is free again, and the expired waiter did not take it.
        #expect(try await gate.run(patience: .milliseconds(100)) { 42 } == 42)
        #expect(DatabaseBusy.recognizes(DatabaseBusy()))
    }

    @Test func aWriteInsideAnotherOfTheSameWorkspaceDoesNotWaitForItself() async throws {
        let gate = WriteGate()
        let inner = try await gate.run(patience: .milliseconds(100)) {
            try await gate.run(patience: .milliseconds(100)) { 7 }
        }
        #expect(inner == 7)
        #expect(!gate.isHeld)
    }

    @Test func workspacesHaveGatesOfTheirOwn() {
        let gates = WriteGates(patience: .seconds(1))
        #expect(gates.gate(for: 1) === gates.gate(for: 1))
        #expect(gates.gate(for: 1) !== gates.gate(for: 2))
    }

    @Test(arguments: Backend.available)
    func anImportHoldsItsWorkspacesWritesUntilItEnds(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let workspaceID = try await WorkspaceRepository(store.database).findOrCreate(named: workspace)
            let gate = try #require((store.database as? MeteredDatabase)?.writeGates.gate(for: workspaceID))
            let seen = Shared<[Bool]>([])
            let bundle = try TestBundle(["organizations.csv": "key,name,kind,is_home\nhome,Home Co,manufacturer,true\nd1,Dist One,distributor,\n"])
            _ = try await BundleImporter(progress: { _ in seen.value.withLock { $0.append(gate.isHeld) } })
                .importBundle(from: bundle.url, into: store.database, workspace: workspace)
            // while it ran, every write of the workspace waited; after it, none does
            let whileImporting = seen.value.withLock { $0 }
            #expect(!whileImporting.isEmpty && whileImporting.allSatisfy { $0 })
            #expect(!gate.isHeld)
        }
    }
}
