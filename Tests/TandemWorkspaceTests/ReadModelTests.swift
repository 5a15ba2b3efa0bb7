import Foundation
import TandemCore
@testable import TandemWorkspace
import Testing

/// When the read model reads the workspace again, and when it answers from what it holds.
@Suite struct ReadModelTests {
    static let day = LocalDate(year: 2026, month: 6, day: 30)!

    static func held(_ revision: Int64) -> AssessedWorkspace {
        AssessedWorkspace(revision: revision, state: AssessmentState(Snapshot(), asOf: day))
    }

    struct Reloaded: Error {}

    /// A model holding revision 5.
    static func model() async throws -> ReadModel {
        let model = ReadModel()
        _ = try await model.entry(revision: 5, asOf: day) { held(5) }
        return model
    }

    @Test func aNewerRevisionOfAnotherProcessIsReadAgain() async throws {
        let model = try await Self.model()
        let entry = try await model.entry(revision: 6, asOf: Self.day) { Self.held(6) }
        #expect(entry.revision == 6)
        #expect(await model.reloads == 2)
    }

    @Test func aReadWhileTheDatabaseStillShowsTheHeldRevisionIsNotHeldUp() async throws {
        let model = try await Self.model()
        // An import under way: the database still shows revision 5.
        #expect(try await model.entry(revision: 5, asOf: Self.day) { throw Reloaded() }.revision == 5)
    }

    @Test func theChangesFoldedInAreLoggedWithWhatTheyTouched() async throws {
        let model = try await Self.model()
        await model.apply(revision: 6) { _ in [.dashboard, .person("a")] }
        await model.apply(revision: 7) { _ in [.dashboard, .organization("o")] }
        #expect(await model.changes(from: 5, to: 7) == [.dashboard, .person("a"), .organization("o")])
        #expect(await model.changes(from: 6, to: 7) == [.dashboard, .organization("o")])
        #expect(await model.changes(from: 7, to: 7) == [])
        // Revision 8 was another process's: what it changed is not known.
        #expect(await model.changes(from: 6, to: 8) == nil)
        #expect(await model.changes(from: .min, to: 7) == nil)
    }

    @Test func aReadOfAnOlderRevisionIsAnsweredFromTheNewerOneHeld() async throws {
        let model = try await Self.model()
        await model.apply(revision: 6) { _ in [.dashboard] }
        // A read that found revision 5 before the write answered.
        #expect(try await model.entry(revision: 5, asOf: Self.day) { throw Reloaded() }.revision == 6)
        #expect(await model.reloads == 1)
    }

    @Test func aChangeThatCannotBeFoldedInLeavesTheNextReadToReload() async throws {
        let model = try await Self.model()
        await model.apply(revision: 6) { _ in nil }
        #expect(try await model.entry(revision: 6, asOf: Self.day) { Self.held(6) }.revision == 6)
        #expect(await model.reloads == 2)
        #expect(await model.deltas == 0)
    }

    @Test func aChangeAfterAGapIsNotFoldedIn() async throws {
        let model = try await Self.model()
        // Revision 6 was another process's: folding 7 into 5 would lose it.
        await model.apply(revision: 7) { _ in [.dashboard] }
        #expect(await model.deltas == 0)
        #expect(try await model.entry(revision: 7, asOf: Self.day) { Self.held(7) }.revision == 7)
        #expect(await model.reloads == 2)
    }

    @Test func anotherProcesssChangesAreFoldedInFromTheirRecordOnceForConcurrentReads() async throws {
        let model = try await Self.model()
        let reads = Counter()
        let feed: ReadModel.Feed = { after, through, _ in
            await reads.add()
            try await Task.sleep(for: .milliseconds(30))
            return ReadModel.Change(revisions: (after + 1)...through) { _ in
                Set(((after + 1)...through).map { .person("p\($0)") })
            }
        }
        // when two reads find revision 7 at once
        async let first = model.entry(revision: 7, asOf: Self.day, feed: feed) { throw Reloaded() }
        async let second = model.entry(revision: 7, asOf: Self.day, feed: feed) { throw Reloaded() }
        #expect(try await [first.revision, second.revision] == [7, 7])
        // then the record was read once, both changes folded in and logged, nothing reloaded
        #expect(await reads.value == 1)
        #expect(await model.caughtUp == 2)
        #expect(await model.reloads == 1)
        #expect(await model.changes(from: 5, to: 7) == [.person("p6"), .person("p7")])
        #expect(await model.deltas == 2)
    }

    @Test func aChangeWithoutARecordOrThatCannotBeFoldedInIsReadAgain() async throws {
        let model = try await Self.model()
        #expect(try await model.entry(revision: 6, asOf: Self.day, feed: { _, _, _ in nil }) { Self.held(6) }.revision == 6)
        #expect(await model.reloads == 2)
        let refused: ReadModel.Feed = { _, through, _ in ReadModel.Change(revisions: through...through) { _ in nil } }
        #expect(try await model.entry(revision: 7, asOf: Self.day, feed: refused) { Self.held(7) }.revision == 7)
        #expect(await model.reloads == 3)
        #expect(await model.caughtUp == 0)
    }

    @Test func anotherDayIsComputedForIt() async throws {
        let model = try await Self.model()
        let next = Self.day.adding(days: 1)
        let entry = try await model.entry(revision: 5, asOf: next) {
            AssessedWorkspace(revision: 5, state: AssessmentState(Snapshot(), asOf: next))
        }
        #expect(entry.asOf == next)
        #expect(await model.reloads == 2)
    }
}

extension ReadModelTests {
    /// A read that may lag others' writes takes what is held while it was caught up less than the
    /// window ago, unless it must show a newer revision (its user's own write).
    @Test func aReadThatMayLagTakesWhatIsHeldWithinTheWindow() async throws {
        let model = try await Self.model()
        let start = ContinuousClock.now
        func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }
        let window = Duration.milliseconds(250)
        let folds = Counter()
        let feed: ReadModel.Feed = { after, through, _ in
            await folds.add()
            return ReadModel.Change(revisions: (after + 1)...through) { _ in [.dashboard] }
        }
        // given the held revision seen to be the latest
        #expect(await model.current(atLeast: 0, latest: 5, asOf: Self.day, window: window, feed: feed, now: at(0)) == 5)
        // when others write revisions 6 and 7, a read within the window takes revision 5, folding nothing
        #expect(await model.current(atLeast: 0, latest: 7, asOf: Self.day, window: window, feed: feed, now: at(100)) == 5)
        #expect(await folds.value == 0)
        // but a read that must show revision 6 catches up to the latest at once
        #expect(await model.current(atLeast: 6, latest: 7, asOf: Self.day, window: window, feed: feed, now: at(110)) == 7)
        #expect(await folds.value == 1)
        // and past the window, any read catches up, both changes at once
        #expect(await model.current(atLeast: 0, latest: 9, asOf: Self.day, window: window, feed: feed, now: at(200)) == 7)
        #expect(await model.current(atLeast: 0, latest: 9, asOf: Self.day, window: window, feed: feed, now: at(400)) == 9)
        #expect(await folds.value == 2)
        #expect(await model.deltas == 4)
        // and when a change cannot be folded in, the read is told to read the latest
        let refused: ReadModel.Feed = { _, _, _ in nil }
        #expect(await model.current(atLeast: 0, latest: 10, asOf: Self.day, window: .zero, feed: refused, now: at(500)) == nil)
        // as it is when nothing is held as of the day
        #expect(await model.current(atLeast: 0, latest: 9, asOf: Self.day.adding(days: 1), window: window, feed: feed) == nil)
    }
}

actor Counter {
    private(set) var value = 0
    func add() { value += 1 }
}
