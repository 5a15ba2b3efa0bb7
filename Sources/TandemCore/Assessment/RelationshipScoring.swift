import Foundation

/// Where a relationship stands, after Dwyer, Schurr & Oh (1987), plus the two ways it fades.
public enum RelationshipStage: String, CaseIterable, Codable, Sendable {
    case awareness, exploration, expansion, commitment, cooling, dissolved
}

public enum TrendDirection: String, Codable, Sendable {
    case rising, steady, falling
}

/// Every weight and threshold of relationship scoring; `docs/scoring.md` explains each one.
public struct RelationshipSettings: Codable, Sendable, Equatable {
    /// What one dealing of each kind adds before decay, for a dealing of `referenceMinutes`.
    public var kindWeights: [InteractionKind: Double] = [
        .visit: 1.0, .jointCustomerCall: 1.2, .businessReview: 1.2, .training: 1.0, .planning: 1.0, .meeting: 0.9,
        .problemResolution: 0.9, .event: 0.7, .call: 0.5, .email: 0.15, .other: 0.3,
        .quoteRequest: 0.25, .orderRequest: 0.2, .pricingRequest: 0.2, .expedite: 0.15, .complaint: 0.3,
    ]
    /// A dealing's weight scales with the square root of its length against this, within `durationFactorRange`.
    public var referenceMinutes: Double = 60
    public var durationFactorRange: ClosedRange<Double> = 0.5...2.0
    /// Days after which a dealing counts half.
    public var halfLifeDays: Double = 180
    /// The decayed sum at which strength reaches 63 (1 − 1/e of 100).
    public var saturation: Double = 8
    /// Trend: strength now against `trendDays` earlier; a change beyond `trendPoints` is a direction.
    public var trendDays: Int = 90
    public var trendPoints: Double = 5
    /// Reciprocity and transactional share look at this many days (or at all dealings when
    /// fewer than `minimumRecentDealings` fall in them).
    public var recentDays: Int = 365
    public var minimumRecentDealings: Int = 3
    /// No contact for this long: dissolved.
    public var dissolvedAfterDays: Int = 365
    /// Cooling: for one of these many days back, the pace of dealings since is at most
    /// `coolingPace` of the pace in the year before, and that year held at least
    /// `coolingDealings` dealings.
    public var coolingDays: [Int] = [180, 270, 365]
    public var coolingPace: Double = 0.25
    public var coolingDealings: Int = 6
    /// Commitment: at least this strength, tenure, reciprocity, and at most this transactional share.
    public var commitmentStrength: Double = 60
    public var commitmentTenureDays: Int = 365
    public var commitmentReciprocity: Double = 0.4
    public var commitmentTransactionalShare: Double = 0.5
    /// Expansion: at least this strength and tenure.
    public var expansionStrength: Double = 35
    public var expansionTenureDays: Int = 90
    /// Exploration: at least this many dealings; fewer is awareness.
    public var explorationDealings: Int = 3
    /// A relationship at least this strong is "strong"; at least `liveStrength` is "live".
    public var strongStrength: Double = 60
    public var liveStrength: Double = 20

    public init() {}

    /// What a dealing adds before decay.
    public func weight(of kind: InteractionKind, minutes: Int?) -> Double {
        let base = kindWeights[kind] ?? 0
        guard let minutes else { return base }
        let factor = (Double(max(minutes, 0)) / referenceMinutes).squareRoot()
        return base * min(max(factor, durationFactorRange.lowerBound), durationFactorRange.upperBound)
    }

    /// The share of a dealing's weight left after `days`.
    public func decay(afterDays days: Int) -> Double {
        days <= 0 ? 1 : pow(0.5, Double(days) / halfLifeDays)
    }

    /// Strength 0–100 from a decayed sum of weights.
    public func strength(fromScore score: Double) -> Double {
        100 * (1 - exp(-max(score, 0) / saturation))
    }
}

/// One part of a relationship's strength and where it comes from: the dealings of one kind.
/// A read model holds several for each of tens of thousands of relationships, so the words are
/// made when it is shown (`factor`, `detail`), not held.
public struct StrengthFactor: Codable, Sendable, Equatable {
    // Declared largest first, which is how Swift lays them out: 24 bytes.
    /// Strength points this part contributes; the factors add up to the strength.
    public var points: Double
    /// How many dealings of the kind there were, and the day of the last.
    public var count: Int
    public var last: LocalDate
    public var kind: InteractionKind

    public init(kind: InteractionKind, points: Double, count: Int, last: LocalDate) {
        self.kind = kind; self.points = points; self.count = count; self.last = last
    }

    public var factor: String { kind.rawValue }
    /// "3 visits, the last on 2026-05-04".
    public var detail: String {
        "\(count) \(kind.rawValue.replacingOccurrences(of: "_", with: " "))\(count == 1 ? "" : "s"), the last on \(last)"
    }

    enum CodingKeys: String, CodingKey {
        case factor, points, detail
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(factor, forKey: .factor)
        try container.encode(points, forKey: .points)
        try container.encode(detail, forKey: .detail)
    }

    /// Reads what `encode(to:)` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let factor = try container.decode(String.self, forKey: .factor), detail = try container.decode(String.self, forKey: .detail)
        guard let kind = InteractionKind(rawValue: factor) else {
            throw DecodingError.dataCorruptedError(forKey: .factor, in: container, debugDescription: "not a kind of interaction: \(factor)")
        }
        guard let count = detail.split(separator: " ").first.flatMap({ Int($0) }), let last = LocalDate(String(detail.suffix(10))) else {
            throw DecodingError.dataCorruptedError(forKey: .detail, in: container,
                                                   debugDescription: "expected \"N \(factor)s, the last on YYYY-MM-DD\": \(detail)")
        }
        self.init(kind: kind, points: try container.decode(Double.self, forKey: .points), count: count, last: last)
    }
}

/// Two people across the fence and how they stand, as of a date.
public struct Relationship: Codable, Sendable, Equatable {
    public var homePerson: String
    public var counterpartPerson: String
    /// The counterpart's organization as of the date (or the last one they worked for).
    public var counterpartOrganization: String?
    public var strength: Double
    public var stage: RelationshipStage
    /// 1 when both sides start dealings equally often, 0 when one side starts them all.
    public var reciprocity: Double
    public var transactionalShare: Double
    public var dealings: Int
    public var initiatedByHome: Int
    public var initiatedByCounterpart: Int
    public var firstContact: LocalDate
    public var lastContact: LocalDate
    public var tenureDays: Int
    public var trend: TrendDirection
    public var trendPoints: Double
    public var explanation: [StrengthFactor]
    /// Why the relationship is cooling; nil when it is not.
    public var cooling: Cooling?
    /// Both people still hold their jobs on their sides of the fence on the date.
    public var bothInPlace: Bool
}

/// The evidence of a cooling relationship: dealings in the year before `since`, and after it.
public struct Cooling: Codable, Sendable, Equatable {
    public var since: LocalDate
    public var dealingsBefore: Int
    public var dealingsSince: Int

    public init(since: LocalDate, dealingsBefore: Int, dealingsSince: Int) {
        self.since = since
        self.dealingsBefore = dealingsBefore
        self.dealingsSince = dealingsSince
    }
}

/// One dealing as a relationship sees it.
/// A full assessment holds one per pair and dealing at once, so it is kept to 16 bytes.
struct Dealing {
    var weight: Double
    private var dayNumber: Int32
    /// Its length, within 0...65534, or 65535 for none: what the weight is worked out from again
    /// (`Held`). A longer one weighs the same while `RelationshipSettings.referenceMinutes` times
    /// the square of the top of `durationFactorRange` is within that (240 minutes by default).
    private var minutes: UInt16
    var kind: InteractionKind
    /// Who started it: the home person's side (true), the counterpart's (false), or someone else (nil).
    var startedByHome: Bool?

    var day: Int { Int(dayNumber) }

    init(day: Int, kind: InteractionKind, minutes: Int?, weight: Double, startedByHome: Bool?) {
        self.weight = weight; dayNumber = Int32(clamping: day); self.kind = kind; self.startedByHome = startedByHome
        self.minutes = minutes.map { UInt16(min(max($0, 0), 65534)) } ?? 65535
    }

    /// A dealing as the read model keeps it for its pair, in 8 bytes: the weight is worked out
    /// again from the kind and the length when the pair is scored.
    struct Held {
        private var dayNumber: Int32
        private var minutes: UInt16
        private var kindIndex: UInt8
        /// 1: the home side started it, 0: the counterpart's, -1: someone else.
        private var started: Int8

        private static let kinds = InteractionKind.allCases

        init(_ dealing: Dealing) {
            dayNumber = dealing.dayNumber; minutes = dealing.minutes
            kindIndex = UInt8(Self.kinds.firstIndex(of: dealing.kind)!)
            started = dealing.startedByHome.map { $0 ? 1 : 0 } ?? -1
        }

        var day: Int { Int(dayNumber) }

        /// The dealing, weighed by `settings` (as `RelationshipScoring.forEachPair` weighs it).
        func dealing(_ settings: RelationshipSettings) -> Dealing {
            let kind = Self.kinds[Int(kindIndex)], minutes = minutes == 65535 ? nil : Int(minutes)
            return Dealing(day: day, kind: kind, minutes: minutes, weight: settings.weight(of: kind, minutes: minutes),
                           startedByHome: started < 0 ? nil : started == 1)
        }
    }
}

/// Computes every relationship across the fence as of a date. Pure: the same snapshot, date
/// and settings give the same result; the wall clock is never read.
public struct RelationshipScoring: Sendable {
    public var settings: RelationshipSettings

    public init(settings: RelationshipSettings = RelationshipSettings()) {
        self.settings = settings
    }

    /// The relationships of `snapshot` as of `asOf`, strongest first. A pair counts when a
    /// home-company person and a person of another organization (each by their jobs on the
    /// day) took part in the same dealing on or before `asOf`.
    public func relationships(in snapshot: Snapshot, asOf: LocalDate) -> [Relationship] {
        guard let home = snapshot.home else { return [] }
        let jobs = snapshot.employmentsByPerson()
        return relationships(from: dealings(in: snapshot, jobs: jobs, home: home, upTo: asOf), snapshot: snapshot, jobs: jobs, home: home, asOf: asOf)
    }

    /// Every pair's relationship from its dealings (each list oldest first), in order.
    func relationships(from dealings: [PairKey: [Dealing]], snapshot: Snapshot, jobs: [[Snapshot.Employment]], home: Int,
                       asOf: LocalDate) -> [Relationship] {
        var result: [Relationship] = []
        result.reserveCapacity(dealings.count)
        for (pair, list) in dealings {
            result.append(relationship(pair, list, snapshot: snapshot, jobs: jobs, home: home, asOf: asOf))
        }
        result.sort(by: Self.isOrderedBefore)
        return result
    }

    /// The order relationships are listed in: strongest first, then by the two people's keys.
    public static func isOrderedBefore(_ lhs: Relationship, _ rhs: Relationship) -> Bool {
        (lhs.strength, rhs.homePerson, rhs.counterpartPerson) > (rhs.strength, lhs.homePerson, lhs.counterpartPerson)
    }

    /// One pair's relationship from its dealings, oldest first.
    func relationship(_ pair: PairKey, _ dealings: [Dealing], snapshot: Snapshot, jobs: [[Snapshot.Employment]], home: Int,
                      asOf: LocalDate) -> Relationship {
        let organization = Self.organization(of: jobs[pair.counterpart], asOf: asOf, home: home).map { snapshot.organizations[$0].key }
        let inPlace = jobs[pair.home].contains { $0.organization == home && $0.covers(asOf) }
            && jobs[pair.counterpart].contains { $0.organization != home && $0.covers(asOf) }
            && !jobs[pair.counterpart].contains { $0.organization == home && $0.covers(asOf) }
        return evaluate(dealings, asOf: asOf, home: snapshot.people[pair.home].key, counterpart: snapshot.people[pair.counterpart].key,
                        organization: organization, bothInPlace: inPlace)
    }

    /// The strength, on each of `dates`, of every relationship `person` (a key) has across the
    /// fence: a relationship's timeline. Only the dealings `person` took part in are read: give
    /// them as `interactions` when they are at hand (a read model has each pair's: `AssessmentState.strengthHistories`).
    public func strengthHistories(in snapshot: Snapshot, person: String, dates: [LocalDate], interactions: [Snapshot.Interaction]? = nil,
                                  jobs: [[Snapshot.Employment]]? = nil) -> [(home: String, counterpart: String, strengths: [Double])] {
        guard let home = snapshot.home, let last = dates.max(), let index = snapshot.people.firstIndex(where: { $0.key == person }) else { return [] }
        var theirs = snapshot
        let theirInteractions: [Snapshot.Interaction] = interactions?.filter({ $0.date <= last && $0.participants.contains(index) })
            ?? snapshot.interactions.filter { $0.date <= last && $0.participants.contains(index) }
        theirs.interactions = ChunkedArray(theirInteractions)
        let dealings = self.dealings(in: theirs, jobs: jobs ?? snapshot.employmentsByPerson(), home: home, upTo: last)
        return dealings.filter { $0.key.home == index || $0.key.counterpart == index }
            .map { pair, list in
                (snapshot.people[pair.home].key, snapshot.people[pair.counterpart].key,
                 dates.map { settings.strength(fromScore: score(list, upTo: $0.dayNumber)) })
            }
            .sorted { ($0.strengths.last ?? 0, $1.home, $1.counterpart) > ($1.strengths.last ?? 0, $0.home, $0.counterpart) }
    }

    /// Every pair's dealings up to a date, oldest first.
    func dealings(in snapshot: Snapshot, jobs: [[Snapshot.Employment]], home: Int, upTo asOf: LocalDate) -> [PairKey: [Dealing]] {
        var dealings: [PairKey: [Dealing]] = [:]
        for interaction in snapshot.interactions where interaction.date <= asOf {
            forEachPair(of: interaction, sides: Sides(interaction, jobs: jobs, home: home)) { pair, dealing in
                dealings[pair, default: []].append(dealing)
            }
        }
        for key in dealings.keys { dealings[key]!.sort { $0.day < $1.day } }
        return dealings
    }

    /// Calls `body` with each pair across the fence that one dealing makes (every home-side
    /// participant with every other-side one), and what the dealing is to that pair.
    func forEachPair(of interaction: Snapshot.Interaction, sides: Sides, _ body: (PairKey, Dealing) -> Void) {
        guard !sides.home.isEmpty, !sides.others.isEmpty else { return }
        let weight = settings.weight(of: interaction.kind, minutes: interaction.durationMinutes)
        let day = interaction.date.dayNumber
        let initiatorIsHome = sides.home.contains(interaction.initiator)
        let initiatorOrganization = sides.others.first { $0.person == interaction.initiator }?.organization
        for homePerson in sides.home {
            for (other, organization) in sides.others {
                // Started by the counterpart's side only when someone of their organization started it.
                let started: Bool? = initiatorIsHome ? true : initiatorOrganization == organization ? false : nil
                body(PairKey(home: homePerson, counterpart: other), Dealing(day: day, kind: interaction.kind, minutes: interaction.durationMinutes,
                                                                                         weight: weight, startedByHome: started))
            }
        }
    }

    /// The organization (not the home one) a person works for on `asOf`, else the last they
    /// worked for; nil once they work for the home company.
    static func organization(of jobs: [Snapshot.Employment], asOf: LocalDate, home: Int) -> Int? {
        if jobs.contains(where: { $0.organization == home && $0.covers(asOf) }) { return nil }
        let outside = jobs.filter { $0.organization != home && $0.start <= asOf }
        return (outside.last { $0.covers(asOf) } ?? outside.max { ($0.end ?? .distantFuture) < ($1.end ?? .distantFuture) })?.organization
    }

    /// The decayed sum of the dealings up to `day`.
    func score(_ dealings: [Dealing], upTo day: Int) -> Double {
        var sum = 0.0
        for dealing in dealings where dealing.day <= day {
            sum += dealing.weight * settings.decay(afterDays: day - dealing.day)
        }
        return sum
    }

    /// Evaluates one pair. Only a pair whose two people still hold their jobs on their sides
    /// (`bothInPlace`) can be cooling: when one has left, the person-left alert says so.
    func evaluate(_ dealings: [Dealing], asOf: LocalDate, home: String, counterpart: String, organization: String?,
                  bothInPlace: Bool) -> Relationship {
        let today = asOf.dayNumber
        let score = score(dealings, upTo: today)
        let strength = settings.strength(fromScore: score)
        let earlier = settings.strength(fromScore: self.score(dealings, upTo: today - settings.trendDays))
        let change = strength - earlier
        let trend: TrendDirection = change > settings.trendPoints ? .rising : change < -settings.trendPoints ? .falling : .steady

        var recent = dealings.filter { today - $0.day < settings.recentDays }
        if recent.count < settings.minimumRecentDealings { recent = dealings }
        let byHome = recent.filter { $0.startedByHome == true }.count
        let byCounterpart = recent.filter { $0.startedByHome == false }.count
        let reciprocity = byHome + byCounterpart == 0 ? 0 : 2 * Double(min(byHome, byCounterpart)) / Double(byHome + byCounterpart)
        let transactional = Double(recent.filter { $0.kind.category == .transactional }.count) / Double(max(recent.count, 1))

        let first = dealings.first!.day, last = dealings.last!.day
        let tenure = today - first
        let stage: RelationshipStage
        let cooling = today - last >= settings.dissolvedAfterDays || !bothInPlace ? nil : self.cooling(dealings, today: today)
        if today - last >= settings.dissolvedAfterDays {
            stage = .dissolved
        } else if cooling != nil {
            stage = .cooling
        } else if strength >= settings.commitmentStrength, tenure >= settings.commitmentTenureDays,
                  reciprocity >= settings.commitmentReciprocity, transactional <= settings.commitmentTransactionalShare {
            stage = .commitment
        } else if strength >= settings.expansionStrength, tenure >= settings.expansionTenureDays {
            stage = .expansion
        } else if dealings.count >= settings.explorationDealings {
            stage = .exploration
        } else {
            stage = .awareness
        }

        return Relationship(homePerson: home, counterpartPerson: counterpart, counterpartOrganization: organization,
                            strength: strength, stage: stage, reciprocity: reciprocity, transactionalShare: transactional,
                            dealings: dealings.count, initiatedByHome: dealings.filter { $0.startedByHome == true }.count,
                            initiatedByCounterpart: dealings.filter { $0.startedByHome == false }.count,
                            firstContact: LocalDate(dayNumber: first)!, lastContact: LocalDate(dayNumber: last)!, tenureDays: tenure,
                            trend: trend, trendPoints: change, explanation: explain(dealings, today: today, score: score, strength: strength),
                            cooling: cooling, bothInPlace: bothInPlace)
    }

    /// The first of `coolingDays` since which the pace of dealings fell to `coolingPace` of the year before, if any.
    func cooling(_ dealings: [Dealing], today: Int) -> Cooling? {
        for days in settings.coolingDays where days > 0 {
            let split = today - days
            let before = dealings.count { $0.day <= split && $0.day > split - 365 }
            let since = dealings.count { $0.day > split && $0.day <= today }
            if before >= settings.coolingDealings, Double(since) / Double(days) <= settings.coolingPace * Double(before) / 365 {
                return Cooling(since: LocalDate(dayNumber: split)!, dealingsBefore: before, dealingsSince: since)
            }
        }
        return nil
    }

    /// The strength split by kind of dealing, in proportion to what each kind adds after decay.
    func explain(_ dealings: [Dealing], today: Int, score: Double, strength: Double) -> [StrengthFactor] {
        var byKind: [InteractionKind: (sum: Double, count: Int, last: Int)] = [:]
        for dealing in dealings {
            var entry = byKind[dealing.kind] ?? (0, 0, dealing.day)
            entry.sum += dealing.weight * settings.decay(afterDays: today - dealing.day)
            entry.count += 1
            entry.last = max(entry.last, dealing.day)
            byKind[dealing.kind] = entry
        }
        return byKind.map { kind, entry in
            StrengthFactor(kind: kind, points: score > 0 ? strength * entry.sum / score : 0, count: entry.count,
                           last: LocalDate(dayNumber: entry.last)!)
        }.sorted { ($0.points, $1.factor) > ($1.points, $0.factor) }
    }
}

struct PairKey: Hashable {
    var home: Int
    var counterpart: Int
}

/// Who took part in a dealing on which side of the fence, by each person's jobs on the day:
/// a person with a job at the home organization is on the home side; a person with jobs only
/// elsewhere is on the other side, with the organization of that job. People without a job on
/// the day are left out.
struct Sides {
    var home: [Int] = []
    var others: [(person: Int, organization: Int)] = []

    init(_ interaction: Snapshot.Interaction, jobs: [[Snapshot.Employment]], home organization: Int) {
        var seen = Set<Int>()
        for person in interaction.participants where jobs.indices.contains(person) && seen.insert(person).inserted {
            var outside: Int?
            var atHome = false
            for job in jobs[person] where job.covers(interaction.date) {
                if job.organization == organization { atHome = true } else if outside == nil { outside = job.organization }
            }
            if atHome {
                home.append(person)
            } else if let outside {
                others.append((person, outside))
            }
        }
    }
}
