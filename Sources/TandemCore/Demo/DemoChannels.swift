import Foundation

/// A line of dealings between a home seat (or person) and a counterpart seat (or person), with its
/// own rate of interactions over time.
struct DemoChannel {
    var homeSeat: Int32 = -1
    var homePerson: Int32 = -1
    var counterpartSeat: Int32 = -1
    var counterpartPerson: Int32 = -1
    let org: Int32
    let branch: Int32
    let function: DemoFunction
    let profile: DemoProfile
    var weight: Double
    var start: Int32
    var coolDay = Int32.max
    var coolFactor = 1.0
    var boostDay = Int32.min
    var preBoost = 1.0
    var noExtras = false
    /// Its pairs are watched for the cooling truth.
    var tracked = false
    /// Mean days between two draws.
    var gap = 1.0

    init(org: Int, branch: Int, function: DemoFunction, profile: DemoProfile, weight: Double, start: Int32) {
        self.org = Int32(org)
        self.branch = Int32(branch)
        self.function = function
        self.profile = profile
        self.weight = weight
        self.start = start
    }
}

/// Which home seat a counterpart desk deals with.
private enum DemoHomeRole {
    case outside, inside, manager, executive
}

extension DemoWorld {
    private func links(_ function: DemoFunction, _ profile: DemoProfile) -> [(DemoHomeRole, Double)] {
        switch profile {
        case .home, .manufacturer:
            return []
        case .buyingGroup:
            return function == .executive || function == .marketing ? [(.executive, 0.5)] : []
        case .repAgency:
            switch function {
            case .executive: return [(.manager, 0.6)]
            case .outsideSales: return [(.outside, 1.0)]
            case .insideSales: return [(.inside, 0.8)]
            default: return []
            }
        case .transactional:
            switch function {
            case .insideSales: return [(.inside, 1.2)]
            case .outsideSales: return [(.outside, 0.8)]
            case .purchasing: return [(.inside, 0.5)]
            default: return []
            }
        default:
            switch function {
            case .insideSales: return [(.inside, 1.2), (.outside, 0.3)]
            case .outsideSales: return [(.outside, 1.0)]
            case .salesManagement: return [(.outside, 0.4), (.manager, 0.2)]
            case .purchasing: return [(.inside, 0.4), (.manager, 0.1)]
            case .marketing: return [(.outside, 0.15)]
            case .executive:
                return profile == .ordinary ? [(.manager, 0.15)] : [(.manager, 0.15), (.executive, 0.12)]
            case .other: return []
            }
        }
    }

    private func intensity(_ profile: DemoProfile) -> Double {
        switch profile {
        case .partnership, .deep: 3.0
        case .atRisk: 2.6
        case .orderSeeker: 1.3
        case .transactional: 0.8
        default: 1.0
        }
    }

    /// Applies an organization's plan (partnership boost, at-risk cooling) to a channel.
    private func applyPlan(_ channel: inout DemoChannel, org: Int) {
        if let plan = partnershipByOrg[org].map({ partnerships[$0] }), let agreement = plan.agreement,
           plan.kind == .partner || plan.kind == .atRisk {
            channel.boostDay = agreement
            channel.preBoost = plan.kind == .partner ? 0.7 : 0.8
        }
        if orgs[org].profile == .atRisk {
            channel.coolDay = DemoDay.monthStart(orgs[org].coolMonth)
            channel.coolFactor = 0.1
            channel.tracked = true
        }
    }

    func buildChannels() -> [DemoChannel] {
        var channels: [DemoChannel] = []
        var bySeat: [Int: [Int]] = [:]
        for (index, seat) in seats.enumerated() where !seat.home {
            let branch = branches[seat.branch]
            guard branch.plan != .uncovered, branch.plan == .normal || index == branch.threadSeat else { continue }
            let org = orgs[seat.org]
            for (role, weight) in links(seat.function, org.profile) {
                let homeSeat = switch role {
                case .outside: branch.homeOutside
                case .inside: branch.homeInside
                case .manager: branch.homeManager
                case .executive: homeExecutives[1 + seat.org % 2]
                }
                guard homeSeat >= 0 else { continue }
                var channel = DemoChannel(org: seat.org, branch: seat.branch, function: seat.function, profile: org.profile,
                                          weight: weight * intensity(org.profile) * seat.boost * (branch.plan == .normal ? 1 : 1.5),
                                          start: historyStart)
                channel.homeSeat = Int32(homeSeat)
                channel.counterpartSeat = Int32(index)
                channel.noExtras = seat.noExtras || branch.plan != .normal
                applyPlan(&channel, org: seat.org)
                if seat.coolMonth < DemoDay.months {
                    channel.coolDay = DemoDay.monthStart(seat.coolMonth)
                    channel.coolFactor = seat.coolFactor
                    channel.tracked = true
                }
                bySeat[index, default: []].append(channels.count)
                channels.append(channel)
            }
        }
        // Relationships follow people through promotions and moves, at a lower rate.
        for follow in follows {
            let target = seats[follow.toSeat]
            for old in bySeat[follow.fromSeat] ?? [] {
                guard let homePerson = seats[Int(channels[old].homeSeat)].occupant(on: follow.leftDay - 1) else { continue }
                let profile = orgs[target.org].profile
                var channel = DemoChannel(org: target.org, branch: target.branch, function: target.function, profile: profile,
                                          weight: channels[old].weight * 0.8, start: follow.day)
                channel.homePerson = homePerson
                channel.counterpartPerson = follow.person
                channel.noExtras = true
                applyPlan(&channel, org: target.org)
                channels.append(channel)
            }
        }
        return channels
    }

    /// Calendar effects per day of the history: quieter in August and over the holidays.
    /// (Weekends are skipped when a channel schedules its next day, see `workday`.)
    func dayFactors() -> [Double] {
        (0..<Int(asOf - historyStart + 1)).map { offset in
            let c = DemoDay.civil(historyStart + Int32(offset))
            var factor = 1.0
            if c.month == 8 { factor *= 0.8 }
            if (c.month == 12 && c.day >= 24) || (c.month == 1 && c.day == 1) { factor *= 0.3 }
            return factor
        }
    }

    /// Moves most weekend days to the nearest working day after `after` (Friday–Saturday weekends in Saudi Arabia).
    func workday(_ day: Int32, after: Int32, fridaySaturday: Bool, rng: inout DemoRandom) -> Int32 {
        let weekday = DemoDay.weekday(day)
        let first: Int = fridaySaturday ? 5 : 6
        let second: Int = fridaySaturday ? 6 : 0
        guard weekday == first || weekday == second, rng.chance(0.95) else { return day }
        if weekday == first && day - 1 > after { return day - 1 }
        return day + (weekday == first ? 2 : 1)
    }

    /// Scales every channel so the expected number of interactions matches the size's target.
    func calibrate(_ channels: inout [DemoChannel], factors calendarFactors: [Double]) {
        var expected = 0.0
        for channel in channels {
            var day = channel.start + 3
            var sum = 0.0
            while day <= asOf {
                if occupied(channel, on: day) {
                    sum += acceptance(channel, on: day, calendar: calendarFactors[Int(day - historyStart)])
                }
                day += 10
            }
            expected += sum * 10 * channel.weight
        }
        let rate = expected > 0 ? Double(parameters.interactions) / expected : 0
        for index in channels.indices {
            let perDay = rate * channels[index].weight
            channels[index].gap = perDay > 0 ? max(1.0, 1.0 / perDay) : 1e9
        }
    }

    func fridaySaturday(_ channel: DemoChannel) -> Bool {
        channel.branch >= 0 && countries[branches[Int(channel.branch)].country].friSatWeekend
    }

    func acceptance(_ channel: DemoChannel, on day: Int32, calendar: Double) -> Double {
        var factor = calendar
        if day >= channel.coolDay { factor *= channel.coolFactor }
        if day < channel.boostDay { factor *= channel.preBoost }
        return factor
    }

    private func occupied(_ channel: DemoChannel, on day: Int32) -> Bool {
        homeHolder(channel, on: day) != nil && counterpartHolder(channel, on: day) != nil
    }

    func homeHolder(_ channel: DemoChannel, on day: Int32) -> Int32? {
        if channel.homeSeat >= 0 { return seats[Int(channel.homeSeat)].occupant(on: day) }
        return isEmployed(channel.homePerson, at: homeIndex, on: day) ? channel.homePerson : nil
    }

    func counterpartHolder(_ channel: DemoChannel, on day: Int32) -> Int32? {
        if channel.counterpartSeat >= 0 { return seats[Int(channel.counterpartSeat)].occupant(on: day) }
        return isEmployed(channel.counterpartPerson, at: Int(channel.org), on: day) ? channel.counterpartPerson : nil
    }
}
