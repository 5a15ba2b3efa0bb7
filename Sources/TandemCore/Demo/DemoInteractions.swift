import Foundation

/// What the interaction stream observed, for truth.json: per counterpart person, per branch, per watched pair.
struct DemoDealings {
    static let firstWatchedMonth = 30
    static let watchedMonths = DemoDay.months - firstWatchedMonth

    var total: [Int32]
    var orderSeeking: [Int32]
    var initiated: [Int32]
    /// The first counterpart person dealt with at each branch, and whether there were more.
    var branchFirst: [Int32]
    var branchMany: [Bool]
    var pairs: [UInt64: Int] = [:]
    var pairMonths: [UInt16] = []

    init(people: Int, branches: Int) {
        total = Array(repeating: 0, count: people)
        orderSeeking = total
        initiated = total
        branchFirst = Array(repeating: -1, count: branches)
        branchMany = Array(repeating: false, count: branches)
    }

    static func pairKey(home: Int32, counterpart: Int32) -> UInt64 { UInt64(UInt32(home)) << 32 | UInt64(UInt32(counterpart)) }

    /// Interactions of a watched pair in month `month` (≥ firstWatchedMonth).
    func count(_ key: UInt64, month: Int) -> Int {
        guard let index = pairs[key], month >= DemoDealings.firstWatchedMonth, month < DemoDay.months else { return 0 }
        return Int(pairMonths[index * DemoDealings.watchedMonths + month - DemoDealings.firstWatchedMonth])
    }
}

/// Streams interactions.csv in date order: a calendar queue of channels, each drawing its next day.
private final class DemoInteractionWriter {
    let world: DemoWorld
    var channels: [DemoChannel]
    let factors: [Double]
    let months: [Int]
    var rng: DemoRandom
    let table: DemoTable
    var dealings: DemoDealings
    var number = 0
    private var homeSide: [Int32] = []
    private var counterpartSide: [Int32] = []

    init(world: DemoWorld, table: DemoTable) {
        self.world = world
        self.table = table
        channels = world.buildChannels()
        factors = world.dayFactors()
        months = (0..<Int(world.asOf - world.historyStart + 1)).map { DemoDay.monthIndex(world.historyStart + Int32($0)) }
        rng = world.random(.interactions)
        dealings = DemoDealings(people: world.people.count, branches: world.branches.count)
        world.calibrate(&channels, factors: factors)
    }

    func run() throws {
        let first = world.historyStart
        let days = Int(world.asOf - first + 1)
        var buckets = [[Int32]](repeating: [], count: days)
        let weekends = channels.map { world.fridaySaturday($0) }
        for (index, channel) in channels.enumerated() {
            let draw = channel.start + Int32(rng.unit() * channel.gap)
            let day = world.workday(draw, after: channel.start - 1, fridaySaturday: weekends[index], rng: &rng)
            if day <= world.asOf { buckets[Int(day - first)].append(Int32(index)) }
        }
        for offset in 0..<days {
            let due = buckets[offset]
            buckets[offset] = []
            let day = first + Int32(offset)
            for index in due {
                try emit(Int(index), on: day)
                let draw = day + 1 + Int32(rng.unit() * (2 * channels[Int(index)].gap - 1))
                let next = world.workday(draw, after: day, fridaySaturday: weekends[Int(index)], rng: &rng)
                if next <= world.asOf { buckets[Int(next - first)].append(index) }
            }
        }
    }

    private func emit(_ index: Int, on day: Int32) throws {
        let channel = channels[index]
        let offset = Int(day - world.historyStart)
        guard rng.unit() < world.acceptance(channel, on: day, calendar: factors[offset]),
              let home = world.homeHolder(channel, on: day), let counterpart = world.counterpartHolder(channel, on: day) else { return }
        let style = DemoStyle(channel.profile)
        let kind = DemoMix.kind(style: style, desk: DemoDesk(channel.function), rng: &rng)
        let initiator = rng.chance(DemoMix.homeInitiates(kind, style: style)) ? home : counterpart
        homeSide = [home]
        counterpartSide = [counterpart]
        if !channel.noExtras { addCompany(channel, kind: kind, on: day) }
        var participants = world.people[Int(initiator)].key
        for person in homeSide + counterpartSide where person != initiator {
            participants += ";" + world.people[Int(person)].key
        }
        number += 1
        let duration: String? = kind == .email && rng.chance(0.7) || rng.chance(0.1) ? nil : String(minutes(kind))
        try table.write(["i" + DemoDay.pad(number, 7), date(channel, on: day), kind.csv, world.people[Int(initiator)].key,
                         participants, duration, DemoMix.summary(kind, style: style, rng: &rng)])
        record(channel, kind: kind, initiator: initiator, on: day, month: months[offset])
    }

    /// The home manager and counterpart colleagues who join reviews, meetings and trainings.
    private func addCompany(_ channel: DemoChannel, kind: DemoKind, on day: Int32) {
        let company = DemoMix.company(kind)
        guard company.most > 0, channel.branch >= 0 else { return }
        let branch = world.branches[Int(channel.branch)]
        let close = DemoStyle(channel.profile) == .close ? 1.3 : 1.0
        if branch.homeManager >= 0, rng.chance(company.manager * close),
           let manager = world.seats[branch.homeManager].occupant(on: day), manager != homeSide[0] {
            homeSide.append(manager)
        }
        guard rng.chance(min(1, company.colleagues * close)) else { return }
        var colleagues: [Int32] = []
        for seat in branch.seats where seat != Int(channel.counterpartSeat) && !world.seats[seat].noExtras {
            if let person = world.seats[seat].occupant(on: day), person != counterpartSide[0], !colleagues.contains(person) {
                colleagues.append(person)
            }
        }
        rng.shuffle(&colleagues)
        counterpartSide += colleagues.prefix(rng.int(1...company.most))
    }

    private func minutes(_ kind: DemoKind) -> Int {
        let value = rng.int(kind.minutes)
        return value > 20 ? value / 5 * 5 : value
    }

    /// Mostly a plain date; some full timestamps in the branch's local time, some in UTC.
    private func date(_ channel: DemoChannel, on day: Int32) -> String {
        guard channel.branch >= 0, rng.chance(0.15) else { return world.calendar.date(day) }
        let territory = world.territories[world.branches[Int(channel.branch)].territory]
        let offset = territory.offset + territory.dst.shift(on: day)
        return world.calendar.timestamp(day: day, minutes: 8 * 60 + 15 * rng.int(0...36), offset: offset, utc: rng.chance(0.3))
    }

    private func record(_ channel: DemoChannel, kind: DemoKind, initiator: Int32, on day: Int32, month: Int) {
        for person in counterpartSide {
            let p = Int(person)
            dealings.total[p] += 1
            if kind.isOrderSeeking { dealings.orderSeeking[p] += 1 }
            if person == initiator { dealings.initiated[p] += 1 }
            for span in world.spans[p] where span.start <= day && day < span.end && span.org != Int32(world.homeIndex) && span.branch >= 0 {
                let b = Int(span.branch)
                if dealings.branchFirst[b] < 0 {
                    dealings.branchFirst[b] = person
                } else if dealings.branchFirst[b] != person {
                    dealings.branchMany[b] = true
                }
            }
        }
        guard channel.tracked, month >= DemoDealings.firstWatchedMonth else { return }
        for home in homeSide {
            for counterpart in counterpartSide {
                let key = DemoDealings.pairKey(home: home, counterpart: counterpart)
                let index: Int
                if let known = dealings.pairs[key] {
                    index = known
                } else {
                    index = dealings.pairs.count
                    dealings.pairs[key] = index
                    dealings.pairMonths.append(contentsOf: repeatElement(0, count: DemoDealings.watchedMonths))
                }
                dealings.pairMonths[index * DemoDealings.watchedMonths + month - DemoDealings.firstWatchedMonth] += 1
            }
        }
    }
}

extension DemoWorld {
    /// Streams interactions.csv and returns what the truth needs to know about the dealings.
    func writeInteractions(into directory: URL, counts: inout [String: Int]) throws -> DemoDealings {
        let table = try DemoTable("interactions.csv", in: directory, header: DemoColumns.interactions)
        let writer = DemoInteractionWriter(world: self, table: table)
        try writer.run()
        try table.close(into: &counts)
        return writer.dealings
    }
}
