import Foundation

extension DemoWorld {
    /// Chooses which distributors are true partners, partners at risk, deep relationships,
    /// order-seekers and transactional-only, and which branches go uncovered or single-threaded.
    func assignProfiles(_ rng: inout DemoRandom) {
        var shuffled = distributors
        rng.shuffle(&shuffled)
        let position = Dictionary(uniqueKeysWithValues: shuffled.enumerated().map { ($1, $0) })
        // Partnerships go to the larger distributors: they are the ones that can afford them.
        let bySize = shuffled.sorted {
            (orgs[$0].branches.count, -(position[$0] ?? 0)) > (orgs[$1].branches.count, -(position[$1] ?? 0))
        }
        let p = parameters
        var large = Array(bySize.prefix(max(p.partnerships + p.atRisk, bySize.count / 3)))
        rng.shuffle(&large)
        for org in large.prefix(p.partnerships) { orgs[org].profile = .partnership }
        for org in large.dropFirst(p.partnerships).prefix(p.atRisk) {
            orgs[org].profile = .atRisk
            orgs[org].coolMonth = DemoDay.months - rng.int(7...11)
        }
        var rest = shuffled.filter { orgs[$0].profile == .ordinary }
        rng.shuffle(&rest)
        var cursor = 0
        for (profile, count) in [(DemoProfile.deep, p.deep), (.orderSeeker, p.orderSeekers), (.transactional, p.transactional)] {
            for org in rest.dropFirst(cursor).prefix(count) { orgs[org].profile = profile }
            cursor += count
        }
        planBranches(&rng)
    }

    private func planBranches(_ rng: inout DemoRandom) {
        let total = Double(distributors.reduce(0) { $0 + orgs[$1].branches.count })
        func outlying(_ profiles: [DemoProfile]) -> [Int] {
            distributors.filter { profiles.contains(orgs[$0].profile) }.flatMap { orgs[$0].branches.dropFirst() }
                .filter { branches[$0].plan == .normal }
        }
        var single = outlying([.ordinary])
        rng.shuffle(&single)
        for branch in single.prefix(max(1, Int((parameters.singleThreadedShare * total).rounded()))) {
            guard let seat = branches[branch].seats.first(where: { seats[$0].function == .outsideSales }) else { continue }
            branches[branch].plan = .singleThreaded
            branches[branch].threadSeat = seat
            seats[seat].pinned = true
            seats[seat].noExtras = true
        }
        var uncovered = outlying([.ordinary, .transactional])
        rng.shuffle(&uncovered)
        for branch in uncovered.prefix(max(1, Int((parameters.uncoveredShare * total).rounded()))) {
            branches[branch].plan = .uncovered
        }
    }

    /// Key people (outside sales or managers with years at their distributor) who moved to another distributor
    /// in the last one and a half years; their relationships follow them.
    func plantMovers(_ rng: inout DemoRandom) {
        var candidates = seats.indices.filter { index in
            let seat = seats[index]
            let profile = orgs[seat.org].profile
            return !seat.home && seat.function.rank > 0 && !seat.pinned && seat.stints.count == 1
                && (profile == .partnership || profile == .deep || profile == .ordinary)
                && branches[seat.branch].plan == .normal && seat.steadyHolder(since: historyStart - 365) != nil
        }
        rng.shuffle(&candidates)
        var planted = 0
        for seat in candidates where planted < parameters.plantedMovers {
            guard let person = seats[seat].steadyHolder(since: historyStart - 365),
                  let target = moveTarget(from: seats[seat].org, rng: &rng) else { continue }
            let day = asOf - rng.days(90...540)
            vacate(seat, on: day, rng: &rng)
            relocate(person, from: seat, leftDay: day, to: target, rng: &rng)
            planted += 1
        }
    }

    /// Some distributor executives also sit on the buying group's board: overlapping employments.
    func addBoardMembers(_ rng: inout DemoRandom) {
        guard buyingGroup >= 0, let place = orgs[buyingGroup].branches.first else { return }
        var candidates = distributors.filter {
            [.partnership, .deep, .ordinary].contains(orgs[$0].profile)
        }.compactMap { org in
            orgs[org].branches.first.flatMap { hq in branches[hq].seats.first { seats[$0].function == .executive } }
        }.filter { seats[$0].steadyHolder(since: historyStart - 730) != nil }
        rng.shuffle(&candidates)
        for seat in candidates.prefix(max(1, distributors.count / 20)) {
            guard let holder = seats[seat].stints.last else { continue }
            let board = addSeat(branch: place, function: .other, title: "Aufsichtsrat (board member)")
            seats[board].pinned = true
            seats[board].noExtras = true
            let start = max(holder.start + 365, historyStart - rng.days(0...1500))
            seats[board].stints.append(stint(holder.person, seat: board, start: start, end: DemoDay.open, rng: &rng))
        }
    }

    /// Pairs of people who dealt with each other often, until their dealings stopped or thinned 6–12 months ago.
    func plantCooling(_ rng: inout DemoRandom) {
        var candidates = seats.indices.filter { index in
            let seat = seats[index]
            let profile = orgs[seat.org].profile
            return !seat.home && !seat.pinned && seat.stints.count == 1
                && (seat.function == .insideSales || seat.function == .outsideSales)
                && (profile == .ordinary || profile == .deep) && branches[seat.branch].plan == .normal
        }
        rng.shuffle(&candidates)
        var usedOrgs = Set<Int>()
        var planted = 0
        for seat in candidates where planted < parameters.plantedCooling {
            let org = seats[seat].org
            if usedOrgs.contains(org) && usedOrgs.count < distributors.count / 2 { continue }
            let month = DemoDay.months - rng.int(6...12)
            let since = DemoDay.monthStart(month) - 400
            let branch = branches[seats[seat].branch]
            let homeSeats = seats[seat].function == .insideSales ? [branch.homeInside, branch.homeOutside] : [branch.homeOutside]
            guard let person = seats[seat].steadyHolder(since: since), spans[Int(person)].count == 1,
                  homeSeats.allSatisfy({ $0 >= 0 && seats[$0].steadyHolder(since: since) != nil }) else { continue }
            seats[seat].coolMonth = month
            seats[seat].coolFactor = rng.chance(0.5) ? 0 : 0.08
            seats[seat].boost = 5
            seats[seat].noExtras = true
            usedOrgs.insert(org)
            planted += 1
        }
    }
}
