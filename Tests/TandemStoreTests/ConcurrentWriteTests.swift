import Foundation
import TandemCore
@testable import TandemStore
import Testing

@Suite struct ConcurrentWriteTests {
    @Test(arguments: Backend.available)
    func concurrentWritesOnEveryConnectionAllSucceed(_ backend: Backend) async throws {
        // A server's pool: 40 writes to one workspace queue on its row, each holding a connection
        // meanwhile, which would leave the other tests' shared pool nothing to give.
        try await withStore(backend, ownPool: true) { store, workspace in
            // given one repository per pooled connection
            let workspaceID = try await WorkspaceRepository(store.database).findOrCreate(named: workspace)
            let loops = Array(store.databases.eventLoopGroup.makeIterator())
            // when 40 people are created at once, alternating connections
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    let database = store.databases.database(DatabaseSetup.id, logger: quietLogger(), on: loops[index % loops.count])!
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
        }
    }
}
