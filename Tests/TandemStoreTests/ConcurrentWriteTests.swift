import Foundation
import TandemCore
@testable import TandemStore
import Testing

@Suite struct ConcurrentWriteTests {
    @Test(arguments: Backend.available)
    func concurrentWritesOnEveryConnectionAllSucceed(_ backend: Backend) async throws {
        // A server's pool of its own, and a second store on the same database, as a second server:
        // in each store the writes queue for the workspace (`WriteGates`); between the two they meet
        // in the database (SQLite's busy wait, PostgreSQL's row lock on the workspace).
        try await withStore(backend, ownPool: true) { store, workspace in
            let other = try await openTestStore(store.location)
            do {
                let workspaceID = try await WorkspaceRepository(store.database).findOrCreate(named: workspace)
                let loops = Array(store.databases.eventLoopGroup.makeIterator())
                // when 40 people are created at once, alternating stores and event loops
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<40 {
                        let databases = index % 2 == 0 ? store.databases : other.databases
                        let database = databases.database(DatabaseSetup.id, logger: quietLogger(), on: loops[(index / 2) % loops.count])!
                        group.addTask {
                            let repository = try DirectoryRepository(database: database, workspaceID: workspaceID)
                            _ = try await repository.savePerson(PersonDraft(key: "p\(index)", name: "Person \(index)"))
                        }
                    }
                    try await group.waitForAll()
                }
                // then every one of them is there
                var query = ListQuery()
                query.limit = 100
                #expect(try await DirectoryRepository(database: store.database, workspaceID: workspaceID).people(query).items.count == 40)
            } catch {
                await other.shutdown()
                throw error
            }
            await other.shutdown()
        }
    }
}
