import Testing
@testable import TandemCore

/// The compact forms a workspace in memory is held in read back what was put in.
@Suite struct SnapshotLayoutTests {
    @Test func interactionsAreSmall() {
        #expect(MemoryLayout<LocalDate>.size == 4)
        #expect(MemoryLayout<Snapshot.Interaction>.stride <= 56)
    }

    @Test func datesReadBackTheirParts() throws {
        var date = try #require(LocalDate(year: 1899, month: 12, day: 25))
        var previous: LocalDate?
        for _ in 0..<60_000 {
            let parts = (date.year, date.month, date.day)
            #expect(LocalDate(year: parts.0, month: parts.1, day: parts.2) == date)
            #expect(LocalDate(date.description) == date)
            if let previous { #expect(previous < date && (previous.year, previous.month, previous.day) < parts) }
            previous = date
            date = date.adding(days: 1)
        }
        #expect(LocalDate(year: 9999, month: 12, day: 31)!.adding(days: 1).description == "9999-12-31")
        #expect(LocalDate(year: 1, month: 1, day: 1)!.adding(days: -1).description == "0001-01-01")
        #expect(LocalDate(dayNumber: LocalDate(year: 1, month: 1, day: 1)!.dayNumber - 1) == nil)
        #expect(LocalDate(year: 2023, month: 2, day: 29) == nil)
    }

    @Test func participantsBeyondThreeAreKept() {
        var participants: Snapshot.Participants = [4, 7]
        #expect(participants.count == 2 && participants == [4, 7])
        for person in [9, 12, 15] { participants.append(person) }
        #expect(Array(participants) == [4, 7, 9, 12, 15])
        #expect(participants.contains(12) && !participants.contains(5))
        let interaction = Snapshot.Interaction(key: "i", date: LocalDate(year: 2024, month: 1, day: 2)!, kind: .visit, initiator: 3,
                                               participants: [1, 2], durationMinutes: 45)
        #expect(Array(interaction.participants) == [3, 1, 2])
        #expect(interaction.initiator == 3 && interaction.durationMinutes == 45)
        #expect(Snapshot.Interaction(key: "j", date: interaction.date, kind: .call, initiator: 1, participants: [1]).durationMinutes == nil)
    }
}

extension SnapshotLayoutTests {
    @Test func dealingsAreSmall() {
        #expect(MemoryLayout<Dealing>.stride == 16)
        let dealing = Dealing(day: -12_345, kind: .visit, minutes: nil, weight: 0.75, startedByHome: false)
        #expect(dealing.day == -12_345 && dealing.kind == .visit && dealing.weight == 0.75 && dealing.startedByHome == false)
    }

    /// What the read model keeps of a dealing for its pair is half of that, and gives the dealing
    /// back weighed exactly as it was, whatever its length (none, negative, beyond what is held).
    @Test(arguments: [nil, -5, 0, 45, 240, 65_534, 100_000] as [Int?])
    func heldDealingsAreHalfAndExact(minutes: Int?) {
        #expect(MemoryLayout<Dealing.Held>.stride == 8)
        let settings = RelationshipSettings()
        for kind in InteractionKind.allCases {
            for started in [true, false, nil] as [Bool?] {
                let dealing = Dealing(day: 20_000, kind: kind, minutes: minutes, weight: settings.weight(of: kind, minutes: minutes),
                                      startedByHome: started)
                let back = Dealing.Held(dealing).dealing(settings)
                #expect(back.day == dealing.day && back.kind == kind && back.weight == dealing.weight && back.startedByHome == started)
            }
        }
    }
}
