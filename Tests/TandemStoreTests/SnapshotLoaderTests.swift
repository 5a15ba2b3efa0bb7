import Foundation
import TandemCore
@testable import TandemStore
import Testing

@Suite struct SnapshotLoaderTests {
    @Test(arguments: Backend.available)
    func loadsTheWorkspaceAndItsRelationships(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            // given
            let bundle = try TestBundle(TestBundle.valid)
            defer { bundle.remove() }
            _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace)
            _ = try await BundleImporter().importBundle(from: bundle.url, into: store.database, workspace: workspace + "-other")
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            // when
            let snapshot = try await SnapshotLoader(sql: store.sql, workspaceID: id).load()
            // then
            #expect(snapshot.organizations.map(\.key) == ["home", "d1"])
            #expect(snapshot.home == 0)
            #expect(snapshot.branches.map(\.key) == ["d1-muc"])
            #expect(snapshot.branches.first?.territoryCode == "DE-S-MUC")
            #expect(snapshot.people.map(\.key) == ["p1", "p2", "p3"])
            #expect(snapshot.employments.count == 4)
            #expect(snapshot.employments.filter { $0.person == 1 }.map(\.function) == [.insideSales, .outsideSales])
            let participants = snapshot.interactions.map { $0.participants.map { snapshot.people[$0].key }.sorted() }
            #expect(snapshot.interactions.map(\.key) == ["i1", "i2", "i3"])
            #expect(participants == [["p1", "p2"], ["p1", "p2"], ["p1", "p2", "p3"]])
            #expect(snapshot.interactions[1].date == LocalDate("2024-03-06"))
            #expect(snapshot.partnerships.map(\.key) == ["ps1"])
            #expect(snapshot.partnerships.first?.signatories == [0, 1])
            #expect(snapshot.partnerships.first?.agreementDate == LocalDate("2023-01-15"))
            #expect(snapshot.goals.first?.owners == [0, 1])
            #expect(snapshot.goals.first?.progress.map(\.value) == [4.5, 9])
            #expect(snapshot.commitments.map(\.key) == ["c1", "c2"])
            #expect(snapshot.commitments.map(\.party) == [0, 1])
            #expect(snapshot.commitments.first?.contributions == [.init(date: LocalDate("2023-05-01")!, amount: 10000, confirmedBy: 1)])
            #expect(snapshot.commitments.last?.contributions.first?.confirmedBy == nil)
            #expect(snapshot.risks.map(\.exposure) == [80000])
            #expect(snapshot.sales.map(\.sellThrough) == [11000, 12500.25])
            #expect(snapshot.sales.first?.period.description == "2024-01")
            let relationships = RelationshipScoring().relationships(in: snapshot, asOf: LocalDate("2024-06-30")!)
            #expect(relationships.map { "\($0.homePerson)-\($0.counterpartPerson)" } == ["p1-p2", "p1-p3"])
            #expect(relationships.first?.dealings == 3)
            #expect(relationships.first?.initiatedByCounterpart == 1)
            // and on SQLite, where the interactions are stepped straight from a connection of
            // the loader's own, they are the same as read through the pool's rows
            let throughRows = try await SnapshotLoader(sql: store.sql, workspaceID: id).loadRows(interactions: true)
            #expect(snapshot.interactions == throughRows.interactions)
        }
    }
}
