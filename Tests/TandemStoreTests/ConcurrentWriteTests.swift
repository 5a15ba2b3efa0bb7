import Foundation
import TandemCore
@testable import TandemStore
import Testing

@Suite struct ConcurrentWriteTests {
    @Test(arguments: Backend.available)
    func concurrentWritesOnEveryConnectionAllSucceed(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
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
