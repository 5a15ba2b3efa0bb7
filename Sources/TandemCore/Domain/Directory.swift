/// A node of the territory tree (country → region → territory).
public struct Territory: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var parentCode: String?
    public var country: String?

    public init(code: String, name: String, parentCode: String? = nil, country: String? = nil) {
        self.code = code
        self.name = name
        self.parentCode = parentCode
        self.country = country
    }
}

/// A company: the home organization or a counterpart.
public struct Organization: Codable, Sendable, Equatable {
    public var key: String
    public var name: String
    public var kind: OrganizationKind
    public var country: String?
    public var currency: String?
    public var isHome: Bool

    public init(key: String, name: String, kind: OrganizationKind, country: String? = nil, currency: String? = nil, isHome: Bool = false) {
        self.key = key
        self.name = name
        self.kind = kind
        self.country = country
        self.currency = currency
        self.isHome = isHome
    }
}

/// A location of an organization, placed in a territory.
public struct Branch: Codable, Sendable, Equatable {
    public var key: String
    public var organizationKey: String
    public var name: String
    public var city: String?
    public var country: String?
    public var territoryCode: String?

    public init(key: String, organizationKey: String, name: String, city: String? = nil, country: String? = nil, territoryCode: String? = nil) {
        self.key = key
        self.organizationKey = organizationKey
        self.name = name
        self.city = city
        self.country = country
        self.territoryCode = territoryCode
    }
}

/// A person; their jobs are `Employment`s.
public struct Person: Codable, Sendable, Equatable {
    public var key: String
    public var name: String
    public var email: String?
    public var phone: String?
    public var country: String?
    /// The person's employment history, oldest first (filled on single-person reads).
    public var employments: [Employment]?

    public init(key: String, name: String, email: String? = nil, phone: String? = nil, country: String? = nil, employments: [Employment]? = nil) {
        self.key = key
        self.name = name
        self.email = email
        self.phone = phone
        self.country = country
        self.employments = employments
    }
}

/// One job of a person at an organization (optionally a branch), over a date range.
public struct Employment: Codable, Sendable, Equatable {
    public var id: Int64
    public var personKey: String
    public var organizationKey: String
    public var branchKey: String?
    public var function: JobFunction
    public var title: String?
    public var startDate: LocalDate
    public var endDate: LocalDate?

    public init(id: Int64, personKey: String, organizationKey: String, branchKey: String? = nil, function: JobFunction,
                title: String? = nil, startDate: LocalDate, endDate: LocalDate? = nil) {
        self.id = id
        self.personKey = personKey
        self.organizationKey = organizationKey
        self.branchKey = branchKey
        self.function = function
        self.title = title
        self.startDate = startDate
        self.endDate = endDate
    }
}

/// A dated dealing between people.
public struct Interaction: Codable, Sendable, Equatable {
    public var key: String
    /// The date, or the full timestamp when one was recorded.
    public var date: String
    public var kind: InteractionKind
    public var initiatorKey: String
    /// Everyone who took part, the initiator first.
    public var participantKeys: [String]
    public var durationMinutes: Int?
    public var summary: String?

    public init(key: String, date: String, kind: InteractionKind, initiatorKey: String, participantKeys: [String],
                durationMinutes: Int? = nil, summary: String? = nil) {
        self.key = key
        self.date = date
        self.kind = kind
        self.initiatorKey = initiatorKey
        self.participantKeys = participantKeys
        self.durationMinutes = durationMinutes
        self.summary = summary
    }
}

/// One page of a list and the cursor for the next, nil on the last page.
public struct ListPage<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
