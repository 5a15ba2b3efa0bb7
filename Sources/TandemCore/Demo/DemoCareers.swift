import Foundation

extension DemoWorld {
    /// Fills every seat with a succession of people: departures, hires, promotions up the ladder
    /// (consecutive employments at the same distributor) and moves to other distributors.
    func buildCareers(_ rng: inout DemoRandom) {
        for org in orgs.indices {
            let order = orgs[org].branches.flatMap { branches[$0].seats }
                .sorted { (seats[$0].function.rank, $0) < (seats[$1].function.rank, $1) }
            for seat in order { runChain(seat, rng: &rng) }
        }
    }

    private func runChain(_ seat: Int, rng: inout DemoRandom) {
        guard seats[seat].stints.isEmpty else { return }
        let home = seats[seat].home
        var person = hire(for: seat, start: historyStart, rng: &rng)
        var start: Int32
        if seats[seat].function == .executive || seats[seat].pinned || rng.chance(0.92) {
            start = historyStart - rng.days(200...(seats[seat].function == .executive ? 7000 : 5000))
        } else {
            start = historyStart + rng.days(0...1200)
        }
        while true {
            if seats[seat].pinned {
                seats[seat].stints.append(stint(person, seat: seat, start: start, end: DemoDay.open, rng: &rng))
                return
            }
            let event = max(start, historyStart) + rng.days(1...(home ? 7300 : 6600))
            if event >= asOf - 30 {
                seats[seat].stints.append(stint(person, seat: seat, start: start, end: DemoDay.open, rng: &rng))
                return
            }
            seats[seat].stints.append(stint(person, seat: seat, start: start, end: event, rng: &rng))
            if canMove(from: seat, on: event), rng.chance(0.15), let target = moveTarget(from: seats[seat].org, rng: &rng) {
                relocate(person, from: seat, leftDay: event, to: target, rng: &rng)
            }
            if let candidate = promotionCandidate(for: seat, on: event, rng: &rng) {
                vacate(candidate.seat, on: event, rng: &rng)
                if !home {
                    follows.append(DemoFollow(person: candidate.person, fromSeat: candidate.seat, toSeat: seat, leftDay: event, day: event + 1))
                }
                person = candidate.person
                start = event + 1
            } else {
                start = event + rng.days(20...120)
                if start >= asOf - 30 { return }
                person = hire(for: seat, start: start, rng: &rng)
            }
        }
    }

    /// A new person for `seat`; some home hires come from another manufacturer.
    private func hire(for seat: Int, start: Int32, rng: inout DemoRandom) -> Int32 {
        let country = branches[seats[seat].branch].country
        let person = newPerson(country: country, org: seats[seat].org, rng: &rng)
        if seats[seat].home, start > historyStart, let manufacturer = manufacturers.first, rng.chance(0.2) {
            let source = rng.chance(0.5) ? manufacturer : (manufacturers.last ?? manufacturer)
            let prior = addSeat(branch: orgs[source].branches[0], function: .outsideSales)
            seats[prior].pinned = true
            let end = start - rng.days(10...60)
            seats[prior].stints.append(stint(person, seat: prior, start: end - rng.days(700...2900), end: end, rng: &rng))
        }
        return person
    }

    /// Whoever sits a rung lower at the same branch, with a year in the job, may be promoted into the vacancy.
    private func promotionCandidate(for seat: Int, on day: Int32, rng: inout DemoRandom) -> (seat: Int, person: Int32)? {
        let function = seats[seat].function
        guard function.rank > 0 else { return nil }
        // Home promotions stay out of the last 18 months so they never look like cooling relationships.
        if seats[seat].home && day > asOf - 540 { return nil }
        guard rng.chance(0.5) else { return nil }
        let lower: DemoFunction = function == .salesManagement ? .outsideSales : .insideSales
        for candidate in branches[seats[seat].branch].seats where candidate != seat {
            guard seats[candidate].function == lower, !seats[candidate].pinned,
                  let last = seats[candidate].stints.last, last.end == DemoDay.open, last.start <= day - 365 else { continue }
            return (candidate, last.person)
        }
        return nil
    }

    /// Ends the current holder's stint on `day` and hires a replacement after a vacancy.
    func vacate(_ seat: Int, on day: Int32, rng: inout DemoRandom) {
        guard let last = seats[seat].stints.indices.last else { return }
        seats[seat].stints[last].end = day
        let start = day + rng.days(20...120)
        guard start < asOf - 30 else { return }
        let person = hire(for: seat, start: start, rng: &rng)
        seats[seat].stints.append(stint(person, seat: seat, start: start, end: DemoDay.open, rng: &rng))
    }

    private func canMove(from seat: Int, on day: Int32) -> Bool {
        let holder = seats[seat]
        guard !holder.home, holder.function.rank > 0 || holder.function == .insideSales, day <= asOf - 90 else { return false }
        let profile = orgs[holder.org].profile
        return (profile == .ordinary || profile == .deep) && branches[holder.branch].plan == .normal
    }

    /// Another ordinary or deep-relationship distributor, in the same country when there is one.
    func moveTarget(from org: Int, rng: inout DemoRandom) -> Int? {
        let allowed = distributors.filter { $0 != org && (orgs[$0].profile == .ordinary || orgs[$0].profile == .deep) }
        let local = allowed.filter { orgs[$0].country == orgs[org].country }
        let pool = local.isEmpty ? allowed : local
        return pool.isEmpty ? nil : rng.pick(pool)
    }

    /// `person` left `seat` on `leftDay` and starts, a few weeks later, in a new seat at `target`.
    func relocate(_ person: Int32, from seat: Int, leftDay: Int32, to target: Int, rng: inout DemoRandom) {
        let day = leftDay + rng.days(5...60)
        let places = orgs[target].branches.filter { branches[$0].plan == .normal }
        guard day < asOf - 30, !places.isEmpty else { return }
        let function: DemoFunction = seats[seat].function == .insideSales && rng.chance(0.5) ? .outsideSales : seats[seat].function
        let newSeat = addSeat(branch: rng.pick(places), function: function)
        seats[newSeat].pinned = true
        seats[newSeat].stints.append(stint(person, seat: newSeat, start: day, end: DemoDay.open, rng: &rng))
        moves.append(DemoMove(person: person, fromOrg: seats[seat].org, toOrg: target, day: day))
        follows.append(DemoFollow(person: person, fromSeat: seat, toSeat: newSeat, leftDay: leftDay, day: day))
        if !people[Int(person)].email.isEmpty {
            people[Int(person)].email = address(people[Int(person)].mailbox, at: target)
        }
    }
}
