import Foundation
@testable import TandemCore
@testable import TandemStore
import Testing

/// Folding a new dealing into an assessment (`AssessmentState.add`) gives exactly what assessing
/// the whole grown snapshot gives, on the demo's planted situations.
@Suite(.serialized) struct IncrementalAssessmentTests {
    /// The s demo of `seed` as a snapshot, and the date its truth is as of.
    static func demo(seed: UInt64) async throws -> (Snapshot, LocalDate) {
        var result: (Snapshot, LocalDate)?
        try await withStore(.sqlite) { store, workspace in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("incremental-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try generateDemoBundle(size: .s, seed: seed, into: folder)
            struct Truth: Decodable { var as_of: String }
            let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: folder.appendingPathComponent("truth.json")))
            _ = try await BundleImporter().importBundle(from: folder, into: store.database, workspace: workspace)
            let id = try #require(try await WorkspaceRepository(store.database).find(named: workspace))
            result = (try await SnapshotLoader(sql: store.sql, workspaceID: id).load(), try #require(LocalDate(truth.as_of)))
        }
        return try #require(result)
    }

    /// Names the first part of the report that differs, so that a failure says where to look.
    static func difference(_ incremental: AssessmentReport, _ full: AssessmentReport) -> String? {
        if incremental.relationships != full.relationships {
            let pairs = zip(incremental.relationships, full.relationships).first { $0 != $1 }
            return "relationships (\(incremental.relationships.count) against \(full.relationships.count)), first difference: \(String(describing: pairs))"
        }
        if incremental.assessments != full.assessments {
            return "assessments: \(String(describing: zip(incremental.assessments, full.assessments).first { $0 != $1 }))"
        }
        if incremental.orderSeekerPeople != full.orderSeekerPeople { return "order-seeker people" }
        if incremental.coverage != full.coverage { return "coverage: \(String(describing: zip(incremental.coverage, full.coverage).first { $0 != $1 }))" }
        if incremental.alerts != full.alerts {
            return "alerts (\(incremental.alerts.count) against \(full.alerts.count)): \(String(describing: zip(incremental.alerts, full.alerts).first { $0 != $1 }))"
        }
        return incremental == full ? nil : "the report"
    }

    /// Random dealings of every kind, some before the order-seeker window, some after the as-of
    /// date, some with nobody of the home company, some with people new to the home company,
    /// then a burst of order requests from one counterpart: after each, the report equals a full
    /// assessment of the grown snapshot, and the burst changes that counterpart's classification.
    @Test(arguments: [UInt64(1), 2])
    func foldingInDealingsGivesTheFullAssessment(seed: UInt64) async throws {
        // given
        let (snapshot, asOf) = try await Self.demo(seed: seed)
        let home = try #require(snapshot.home)
        let jobs = snapshot.employmentsByPerson()
        let ours = jobs.indices.filter { jobs[$0].contains { $0.organization == home && $0.covers(asOf) } }
        let theirs = jobs.indices.filter { person in
            jobs[person].contains { $0.organization != home && $0.covers(asOf) } && !jobs[person].contains { $0.organization == home && $0.covers(asOf) }
        }
        try #require(!ours.isEmpty && theirs.count > 10)
        let before = Assessor().assess(snapshot, asOf: asOf)
        var state = AssessmentState(snapshot, asOf: asOf)
        #expect(state.report == before)
        var random = DemoRandom(seed: seed, stream: 99)
        var dealings: [Snapshot.Interaction] = []
        for step in 0..<50 {
            var people = [theirs.randomElement(using: &random)!]
            if step % 7 != 3 { people.append(ours.randomElement(using: &random)!) }
            if step % 3 == 0 { people.append(theirs.randomElement(using: &random)!) }
            let days = step % 11 == 5 ? -Int.random(in: 1...30, using: &random) : Int.random(in: 0...500, using: &random)
            dealings.append(Snapshot.Interaction(key: "new-\(step)", date: asOf.adding(days: -days),
                                                 kind: InteractionKind.allCases.randomElement(using: &random)!,
                                                 initiator: people.randomElement(using: &random)!, participants: people,
                                                 durationMinutes: step % 2 == 0 ? Int.random(in: 5...240, using: &random) : nil))
        }
        // One counterpart that is not an order-seeker yet, with few dealings, asks for orders eighty
        // times in the last quarter, through someone who has worked only there for longer.
        let target = try #require(before.assessments.filter { !$0.orderSeeker.flagged && $0.relationships.live > 0 }
            .min { ($0.relationships.recentDealings, $0.organizationKey) < ($1.relationships.recentDealings, $1.organizationKey) })
        let organization = try #require(snapshot.organizations.firstIndex { $0.key == target.organizationKey })
        let asker = try #require(theirs.first { person in
            jobs[person].count == 1 && jobs[person][0].organization == organization && jobs[person][0].start < asOf.adding(days: -100)
        })
        for step in 0..<80 {
            dealings.append(Snapshot.Interaction(key: "ask-\(step)", date: asOf.adding(days: -step), kind: .orderRequest,
                                                 initiator: asker, participants: [asker, ours[step % ours.count]]))
        }
        // when / then
        var grown = snapshot
        for dealing in dealings {
            // Each round assesses the whole demo: let the other suites' tasks run in between,
            // or two such loops hold both of the cooperative pool's threads for seconds.
            await Task.yield()
            let added = state.add(dealing)
            #expect(added)
            grown.interactions.append(dealing)
            let full = Assessor().assess(grown, asOf: asOf)
            let difference = Self.difference(state.report, full)
            #expect(difference == nil, "after \(dealing.key): \(difference ?? "")")
            if difference != nil { break }
        }
        #expect(state.snapshot.interactions == grown.interactions)
        // and folding them in in batches (as a read model catching up with another process does)
        // gives the same
        var batched = AssessmentState(snapshot, asOf: asOf)
        var rest = dealings[...], size = 1
        while !rest.isEmpty {
            let added = batched.add(Array(rest.prefix(size)))
            #expect(added)
            rest = rest.dropFirst(size)
            size += 7
        }
        let batchDifference = Self.difference(batched.report, state.report)
        #expect(batchDifference == nil, "\(batchDifference ?? "")")
        #expect(batched.snapshot.interactions == grown.interactions)
        // and so does a state that let go of the interactions (as the server's read model does):
        // it folds them in from each pair's dealings as the assessment reads them
        var released = AssessmentState(snapshot, asOf: asOf)
        released.releaseInteractions()
        #expect(released.snapshot.interactions.isEmpty && !released.holdsInteractions)
        rest = dealings[...]
        size = 1
        while !rest.isEmpty {
            let added = released.add(Array(rest.prefix(size)))
            #expect(added)
            rest = rest.dropFirst(size)
            size += 7
        }
        #expect(released.snapshot.interactions.isEmpty)
        let releasedDifference = Self.difference(released.report, state.report)
        #expect(releasedDifference == nil, "\(releasedDifference ?? "")")
        // and its people's timelines are those of the grown snapshot's dealings
        let dates = (0...8).reversed().map { asOf.adding(days: -91 * $0) }
        for person in [ours[0], asker].map({ snapshot.people[$0].key }) {
            let expected = RelationshipScoring().strengthHistories(in: grown, person: person, dates: dates)
            let held = released.strengthHistories(of: person, dates: dates)
            #expect(!held.isEmpty)
            #expect(held.map { "\($0.home) \($0.counterpart) \($0.strengths)" } == expected.map { "\($0.home) \($0.counterpart) \($0.strengths)" })
        }
        #expect(state.snapshot.sales.isEmpty && !snapshot.sales.isEmpty, "the state keeps the sales' totals, not the rows")
        #expect(state.report.relationships.count > before.relationships.count)
        let after = try #require(state.report.assessments.first { $0.organizationKey == target.organizationKey })
        #expect(after.orderSeeker.flagged)
        #expect(after.classification != target.classification)
    }

    /// A dealing naming a person the snapshot does not hold changes nothing.
    @Test func refusesUnknownPeople() async throws {
        let (snapshot, asOf) = try await Self.demo(seed: 1)
        var state = AssessmentState(snapshot, asOf: asOf)
        let report = state.report
        let added = state.add(Snapshot.Interaction(key: "x", date: asOf, kind: .visit, initiator: 0, participants: [snapshot.people.count]))
        #expect(!added)
        #expect(state.report == report)
        #expect(state.snapshot.interactions.count == snapshot.interactions.count)
    }
}
