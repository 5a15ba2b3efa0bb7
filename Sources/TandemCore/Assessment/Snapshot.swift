/// A workspace in memory, as the assessment reads it: plain values that refer to one another by
/// position, so that the assessment is a pure function that tests build by hand and a store
/// loads in one pass.
public struct Snapshot: Sendable {
    public struct Organization: Sendable, Equatable {
        public var key: String
        public var name: String
        public var kind: OrganizationKind?
        public var isHome: Bool

        public init(key: String, name: String, kind: OrganizationKind? = nil, isHome: Bool = false) {
            self.key = key; self.name = name; self.kind = kind; self.isHome = isHome
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

    public struct Interaction: Sendable, Equatable {
        public var key: String
        public var date: LocalDate
        public var kind: InteractionKind
        public var initiator: Int
        /// Everyone who took part, the initiator included.
        public var participants: [Int]
        public var durationMinutes: Int?

        public init(key: String, date: LocalDate, kind: InteractionKind, initiator: Int, participants: [Int], durationMinutes: Int? = nil) {
            self.key = key; self.date = date; self.kind = kind; self.initiator = initiator
            self.participants = participants.contains(initiator) ? participants : [initiator] + participants
            self.durationMinutes = durationMinutes
        }
    }

    public var organizations: [Organization]
    public var branches: [Branch]
    public var people: [Person]
    public var employments: [Employment]
    public var interactions: [Interaction]

    public init(organizations: [Organization] = [], branches: [Branch] = [], people: [Person] = [],
                employments: [Employment] = [], interactions: [Interaction] = []) {
        self.organizations = organizations
        self.branches = branches
        self.people = people
        self.employments = employments
        self.interactions = interactions
    }

    /// The home organization: the one marked `is_home`, when exactly one is.
    public var home: Int? {
        let homes = organizations.indices.filter { organizations[$0].isHome }
        return homes.count == 1 ? homes[0] : nil
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
