/// A workspace in memory, as the assessment reads it: plain values that refer to one another by
/// position, so that the assessment is a pure function that tests build by hand and a store
/// loads in one pass.
public struct Snapshot: Sendable {
    public struct Organization: Sendable, Equatable {
        public var key: String
        public var name: String
        public var kind: OrganizationKind?
        public var isHome: Bool
        /// The currency its amounts are in when a row names none.
        public var currency: String?

        public init(key: String, name: String, kind: OrganizationKind? = nil, isHome: Bool = false, currency: String? = nil) {
            self.key = key; self.name = name; self.kind = kind; self.isHome = isHome; self.currency = currency
        }
    }

    /// A node of the territory tree.
    public struct Territory: Sendable, Equatable {
        public var code: String
        public var parentCode: String?

        public init(code: String, parentCode: String? = nil) {
            self.code = code; self.parentCode = parentCode
        }
    }

    public struct Branch: Sendable, Equatable {
        public var key: String
        public var organization: Int
        public var territoryCode: String?

        public init(key: String, organization: Int, territoryCode: String? = nil) {
            self.key = key; self.organization = organization; self.territoryCode = territoryCode
        }
    }

    public struct Person: Sendable, Equatable {
        public var key: String
        public var name: String

        public init(key: String, name: String) {
            self.key = key; self.name = name
        }
    }

    /// A job: a person may hold several at once, and a relationship follows the person, not the job.
    public struct Employment: Sendable, Equatable {
        public var person: Int
        public var organization: Int
        public var branch: Int?
        public var function: JobFunction
        public var start: LocalDate
        public var end: LocalDate?

        public init(person: Int, organization: Int, branch: Int? = nil, function: JobFunction, start: LocalDate, end: LocalDate? = nil) {
            self.person = person; self.organization = organization; self.branch = branch
            self.function = function; self.start = start; self.end = end
        }

        /// Whether the job was held on `date` (the end date is the last day).
        public func covers(_ date: LocalDate) -> Bool { start <= date && end.map { date <= $0 } ?? true }
    }

    /// A workspace holds millions of these, so positions and minutes are held in four bytes
    /// and the participants inline: 56 bytes and no allocation of their own.
    public struct Interaction: Sendable, Equatable {
        // Declared largest first, which is how Swift lays them out.
        public var key: String
        /// Everyone who took part, the initiator included.
        public var participants: Participants
        public var date: LocalDate
        private var initiatorPosition: Int32
        private var minutes: Int32?
        public var kind: InteractionKind

        public var initiator: Int {
            get { Int(initiatorPosition) }
            set { initiatorPosition = Int32(newValue) }
        }

        public var durationMinutes: Int? {
            get { minutes.map(Int.init) }
            set { minutes = newValue.map { Int32(clamping: $0) } }
        }

        public init(key: String, date: LocalDate, kind: InteractionKind, initiator: Int, participants: [Int], durationMinutes: Int? = nil) {
            self.key = key; self.date = date; self.kind = kind; initiatorPosition = Int32(initiator)
            self.participants = Participants(participants.contains(initiator) ? participants : [initiator] + participants)
            minutes = durationMinutes.map { Int32(clamping: $0) }
        }
    }

    /// The people of one interaction, by position: up to three held inline (most dealings have
    /// two or three), more in an array of their own.
    public struct Participants: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral, CustomStringConvertible {
        private var inline: (Int32, Int32, Int32) = (0, 0, 0)
        private var inlineCount: UInt8 = 0
        /// All of them, when there are more than three.
        private var overflow: [Int32] = []

        public init(_ people: some Sequence<Int>) {
            for person in people { append(person) }
        }

        public init(arrayLiteral people: Int...) {
            self.init(people)
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { overflow.isEmpty ? Int(inlineCount) : overflow.count }

        public subscript(position: Int) -> Int {
            precondition(position >= 0 && position < endIndex, "participant index out of range")
            if !overflow.isEmpty { return Int(overflow[position]) }
            return Int(position == 0 ? inline.0 : position == 1 ? inline.1 : inline.2)
        }

        public mutating func append(_ person: Int) {
            let value = Int32(person)
            if !overflow.isEmpty {
                overflow.append(value)
                return
            }
            switch inlineCount {
            case 0: inline.0 = value
            case 1: inline.1 = value
            case 2: inline.2 = value
            default:
                overflow = [inline.0, inline.1, inline.2, value]
                return
            }
            inlineCount += 1
        }

        public static func == (lhs: Participants, rhs: Participants) -> Bool { lhs.elementsEqual(rhs) }

        public var description: String { Array(self).description }
    }

    /// A partnership between the home organization and `counterpart`.
    public struct Partnership: Sendable, Equatable {
        public var key: String
        public var counterpart: Int
        public var status: PartnershipStatus
        public var commitment: CommitmentForm
        public var agreementDate: LocalDate?
        public var signatories: [Int]
        /// The territories it is scoped to; empty for all of the counterpart's branches.
        public var territoryCodes: [String]
        /// When it ended, when its end was recorded.
        public var endDate: LocalDate?

        public init(key: String, counterpart: Int, status: PartnershipStatus, commitment: CommitmentForm,
                    agreementDate: LocalDate? = nil, signatories: [Int] = [], territoryCodes: [String] = []) {
            self.key = key; self.counterpart = counterpart; self.status = status; self.commitment = commitment
            self.agreementDate = agreementDate; self.signatories = signatories; self.territoryCodes = territoryCodes
        }
    }

    public struct Goal: Sendable, Equatable {
        public var key: String
        public var partnership: Int
        public var metric: String
        public var baseline: Double?
        public var target: Double
        public var dueDate: LocalDate?
        public var owners: [Int]
        /// Measured values, oldest first.
        public var progress: [(date: LocalDate, value: Double)]

        public init(key: String, partnership: Int, metric: String, baseline: Double? = nil, target: Double, dueDate: LocalDate? = nil,
                    owners: [Int] = [], progress: [(date: LocalDate, value: Double)] = []) {
            self.key = key; self.partnership = partnership; self.metric = metric; self.baseline = baseline; self.target = target
            self.dueDate = dueDate; self.owners = owners; self.progress = progress
        }

        public static func == (lhs: Goal, rhs: Goal) -> Bool {
            lhs.key == rhs.key && lhs.partnership == rhs.partnership && lhs.metric == rhs.metric && lhs.baseline == rhs.baseline
                && lhs.target == rhs.target && lhs.dueDate == rhs.dueDate && lhs.owners == rhs.owners
                && lhs.progress.map(\.date) == rhs.progress.map(\.date) && lhs.progress.map(\.value) == rhs.progress.map(\.value)
        }
    }

    /// What one party pledged to a partnership, and what it delivered.
    public struct Commitment: Sendable, Equatable {
        public struct Contribution: Sendable, Equatable {
            public var date: LocalDate
            public var amount: Double
            /// A person of the other side who confirmed it; unconfirmed contributions are claims.
            public var confirmedBy: Int?

            public init(date: LocalDate, amount: Double, confirmedBy: Int? = nil) {
                self.date = date; self.amount = amount; self.confirmedBy = confirmedBy
            }
        }

        public var key: String
        public var partnership: Int
        public var party: Int
        public var asset: AssetKind
        public var amount: Double
        public var dueDate: LocalDate?
        public var contributions: [Contribution]
        public var unit: String?
        /// The currency of money and inventory amounts.
        public var currency: String?

        public init(key: String, partnership: Int, party: Int, asset: AssetKind, amount: Double, dueDate: LocalDate? = nil,
                    contributions: [Contribution] = [], unit: String? = nil, currency: String? = nil) {
            self.key = key; self.partnership = partnership; self.party = party; self.asset = asset; self.amount = amount
            self.dueDate = dueDate; self.contributions = contributions; self.unit = unit; self.currency = currency
        }
    }

    public struct Risk: Sendable, Equatable {
        public var partnership: Int
        public var party: Int
        public var description: String
        public var exposure: Double?

        public init(partnership: Int, party: Int, description: String, exposure: Double? = nil) {
            self.partnership = partnership; self.party = party; self.description = description; self.exposure = exposure
        }
    }

    /// One month of one product line at one branch.
    public struct Sale: Sendable, Equatable {
        public var period: YearMonth
        public var manufacturer: Int
        public var branch: Int
        public var productLine: String
        public var sellIn: Double?
        public var sellThrough: Double?
        public var manufacturerGrossProfit: Double?
        public var distributorGrossProfit: Double?
        /// The amounts' currency; amounts in different currencies are never added up.
        public var currency: String?

        public init(period: YearMonth, manufacturer: Int, branch: Int, productLine: String = "", sellIn: Double? = nil, sellThrough: Double? = nil,
                    manufacturerGrossProfit: Double? = nil, distributorGrossProfit: Double? = nil, currency: String? = nil) {
            self.period = period; self.manufacturer = manufacturer; self.branch = branch; self.productLine = productLine
            self.sellIn = sellIn; self.sellThrough = sellThrough
            self.manufacturerGrossProfit = manufacturerGrossProfit; self.distributorGrossProfit = distributorGrossProfit
            self.currency = currency
        }
    }

    public var organizations: [Organization]
    public var territories: [Territory] = []
    public var branches: [Branch]
    public var people: [Person]
    public var employments: [Employment]
    /// In chunks, so that the read model's copy grows without copying them all (`ChunkedArray`).
    public var interactions: ChunkedArray<Interaction>
    public var partnerships: [Partnership]
    public var goals: [Goal]
    public var commitments: [Commitment]
    public var risks: [Risk]
    public var sales: [Sale]

    public init(organizations: [Organization] = [], branches: [Branch] = [], people: [Person] = [],
                employments: [Employment] = [], interactions: [Interaction] = [], partnerships: [Partnership] = [],
                goals: [Goal] = [], commitments: [Commitment] = [], risks: [Risk] = [], sales: [Sale] = []) {
        self.organizations = organizations
        self.branches = branches
        self.people = people
        self.employments = employments
        self.interactions = ChunkedArray(interactions)
        self.partnerships = partnerships
        self.goals = goals
        self.commitments = commitments
        self.risks = risks
        self.sales = sales
    }

    /// The home organization: the one marked `is_home`, when exactly one is.
    public var home: Int? {
        let homes = organizations.indices.filter { organizations[$0].isHome }
        return homes.count == 1 ? homes[0] : nil
    }

    /// Whether a contribution was confirmed by a person of the other side of the partnership: the
    /// pledging party's partner, by the confirming person's jobs on the day (or, without a job on
    /// the day, by any job there and none at the pledging party). Other contributions are claims.
    public func isConfirmedByTheOtherSide(_ contribution: Commitment.Contribution, of commitment: Commitment,
                                          jobs: [[Employment]]) -> Bool {
        guard let person = contribution.confirmedBy, jobs.indices.contains(person),
              partnerships.indices.contains(commitment.partnership), let home else { return false }
        let partnership = partnerships[commitment.partnership]
        let other = commitment.party == home ? partnership.counterpart : home
        let onTheDay = jobs[person].filter { $0.covers(contribution.date) }
        if !onTheDay.isEmpty { return onTheDay.contains { $0.organization == other } && !onTheDay.contains { $0.organization == commitment.party } }
        return jobs[person].contains { $0.organization == other } && !jobs[person].contains { $0.organization == commitment.party }
    }

    /// Each person's jobs, by person position, oldest first.
    public func employmentsByPerson() -> [[Employment]] {
        var byPerson = Array(repeating: [Employment](), count: people.count)
        for employment in employments where byPerson.indices.contains(employment.person) {
            byPerson[employment.person].append(employment)
        }
        for index in byPerson.indices where byPerson[index].count > 1 {
            byPerson[index].sort { ($0.start, $0.end ?? .distantFuture) < ($1.start, $1.end ?? .distantFuture) }
        }
        return byPerson
    }
}

extension LocalDate {
    static let distantFuture = LocalDate(year: 9999, month: 12, day: 31)!
}
