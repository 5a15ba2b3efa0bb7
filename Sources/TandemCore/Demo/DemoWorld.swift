import Foundation

/// A job function as written in employments.csv.
enum DemoFunction: Int, Sendable {
    case insideSales, outsideSales, salesManagement, purchasing, marketing, executive, other

    var csv: String {
        switch self {
        case .insideSales: "inside_sales"
        case .outsideSales: "outside_sales"
        case .salesManagement: "sales_management"
        case .purchasing: "purchasing"
        case .marketing: "marketing"
        case .executive: "executive"
        case .other: "other"
        }
    }

    /// The promotion ladder: inside sales → outside sales → sales management.
    var rank: Int {
        switch self {
        case .outsideSales: 1
        case .salesManagement: 2
        default: 0
        }
    }
}

/// The role an organization plays in the demo story; the planted situations hang on it.
enum DemoProfile: Sendable {
    case home, partnership, atRisk, deep, orderSeeker, transactional, ordinary, repAgency, buyingGroup, manufacturer
}

/// Branch-level plants: no coverage at all, or a single counterpart person carrying the branch.
enum DemoBranchPlan: Sendable {
    case normal, uncovered, singleThreaded
}

struct DemoOrg {
    let key: String
    let name: String
    let kind: String
    let country: Int
    let currency: String
    let domain: String
    var profile: DemoProfile
    /// The mail domain under the reserved `.example` top-level domain (RFC 2606), so demo
    /// addresses can never reach a real company.
    var mailDomain: String {
        let label = domain.split(separator: ".").first.map(String.init) ?? domain
        return label + ".example"
    }
    var branches: [Int] = []
    /// Month index from which an at-risk partner's relationships cool; `DemoDay.months` when never.
    var coolMonth = DemoDay.months

    var isDistributor: Bool { kind == "distributor" }
}

struct DemoBranch {
    let key: String
    let org: Int
    let name: String
    let city: String
    let territory: Int
    let country: Int
    var seats: [Int] = []
    var homeOutside = -1
    var homeInside = -1
    var homeManager = -1
    var plan = DemoBranchPlan.normal
    /// The one seat with dealings in a single-threaded branch.
    var threadSeat = -1
}

/// One person's time in a seat; `end` is the last day of the job (`DemoDay.open` while it lasts).
struct DemoStint {
    let person: Int32
    let start: Int32
    var end: Int32
    let title: String
}

/// A position at a branch, held by a succession of people.
struct DemoSeat {
    let org: Int
    let branch: Int
    let function: DemoFunction
    let home: Bool
    var fixedTitle: String?
    var stints: [DemoStint] = []
    /// No career events: the holder stays put.
    var pinned = false
    /// Never pulled into other people's meetings, so its relationships stay exactly as planted.
    var noExtras = false
    var coolMonth = DemoDay.months
    var coolFactor = 1.0
    var boost = 1.0

    init(org: Int, branch: Int, function: DemoFunction, home: Bool, fixedTitle: String? = nil) {
        self.org = org
        self.branch = branch
        self.function = function
        self.home = home
        self.fixedTitle = fixedTitle
    }

    /// Who holds the seat on `day`; never the last day of a job, so dealings sit strictly inside employment.
    func occupant(on day: Int32) -> Int32? {
        for stint in stints where stint.start <= day && day < stint.end { return stint.person }
        return nil
    }

    /// The holder when one person held the seat without a break from `from` through the as-of date.
    func steadyHolder(since from: Int32) -> Int32? {
        guard let last = stints.last, last.end == DemoDay.open, last.start <= from else { return nil }
        return last.person
    }
}

struct DemoPerson {
    let key: String
    let name: String
    var email: String
    let phone: String
    let country: Int
    let culture: String
    let mailbox: String
}

/// A person leaving one distributor for another.
struct DemoMove {
    let person: Int32
    let fromOrg: Int
    let toOrg: Int
    let day: Int32
}

/// A person who changed seats (promotion or move) and whose relationships follow them from `day`.
struct DemoFollow {
    let person: Int32
    let fromSeat: Int
    let toSeat: Int
    let leftDay: Int32
    let day: Int32
}

/// A stint seen from the person: for employment checks when counting dealings.
struct DemoSpan {
    let start: Int32
    let end: Int32
    let org: Int32
    let branch: Int32
    let seat: Int32
    let title: String
}

/// The whole generated world: directory, careers and plans. Interactions and sales are streamed from it.
final class DemoWorld {
    let size: DemoSize
    let seed: UInt64
    let parameters: DemoParameters
    let calendar = DemoCalendar()
    let countries = DemoGeography.countries
    var territories: [DemoTerritory] = []
    var leavesByCountry: [[Int]] = []
    var orgs: [DemoOrg] = []
    var branches: [DemoBranch] = []
    var seats: [DemoSeat] = []
    var people: [DemoPerson] = []
    /// Addresses given out, so that two people of one company never share a mailbox.
    var addresses: Set<String> = []
    var moves: [DemoMove] = []
    var follows: [DemoFollow] = []
    var partnerships: [DemoPartnershipPlan] = []
    var partnershipByOrg: [Int: Int] = [:]
    var distributors: [Int] = []
    var manufacturers: [Int] = []
    var repAgency = -1
    var buyingGroup = -1
    var homeOffices: [Int: Int] = [:]
    /// CEO, Chief Sales Officer, VP Channel Partnerships, CFO.
    var homeExecutives: [Int] = []
    var spans: [[DemoSpan]] = []

    let homeIndex = 0
    let historyStart = DemoDay.historyStart
    let asOf = DemoDay.asOf

    init(size: DemoSize, seed: UInt64) {
        self.size = size
        self.seed = seed
        parameters = DemoParameters(size: size)
    }

    func random(_ stream: DemoStream) -> DemoRandom { DemoRandom(seed: seed, stream: stream.rawValue) }

    /// Builds everything but the streamed files, in an order where each step sees what it depends on.
    func build() {
        var directory = random(.directory)
        buildDirectory(&directory)
        var plan = random(.plan)
        assignProfiles(&plan)
        var careers = random(.careers)
        buildCareers(&careers)
        plantMovers(&plan)
        addBoardMembers(&plan)
        indexPeople()
        planPartnerships(&plan)
        plantCooling(&plan)
    }

    /// Creates a person living in `country`, mailed at `org`'s domain.
    func newPerson(country: Int, org: Int, rng: inout DemoRandom) -> Int32 {
        let culture = rng.pick(countries[country].cultures)
        let name = DemoNames.person(culture: culture, rng: &rng)
        let email = rng.chance(0.9) ? address(name.mailbox, at: org) : ""
        let phone = rng.chance(0.85) ? phoneNumber(country: country, rng: &rng) : ""
        let index = Int32(people.count)
        people.append(DemoPerson(key: "p" + DemoDay.pad(people.count + 1, 5), name: name.name, email: email, phone: phone,
                                 country: country, culture: culture, mailbox: name.mailbox))
        return index
    }

    /// mailbox@domain, or mailbox2@domain … when someone there has it already (as mail systems do).
    func address(_ mailbox: String, at org: Int) -> String {
        var candidate = mailbox + "@" + orgs[org].mailDomain, number = 2
        while addresses.contains(candidate) {
            candidate = mailbox + String(number) + "@" + orgs[org].mailDomain
            number += 1
        }
        addresses.insert(candidate)
        return candidate
    }

    private func phoneNumber(country: Int, rng: inout DemoRandom) -> String {
        "+" + countries[country].calling + " " + String(rng.int(10...99)) + " " + String(rng.int(100_000...9_999_999))
    }

    /// A new stint for `person` in `seat`, with a title fitting the seat.
    func stint(_ person: Int32, seat: Int, start: Int32, end: Int32, rng: inout DemoRandom) -> DemoStint {
        let title = seats[seat].fixedTitle
            ?? DemoOrgNames.title(function: seats[seat].function, culture: people[Int(person)].culture, home: seats[seat].home, rng: &rng)
        return DemoStint(person: person, start: start, end: end, title: title)
    }

    /// Per-person spans of employment, for the checks made while streaming interactions.
    func indexPeople() {
        spans = Array(repeating: [], count: people.count)
        for (index, seat) in seats.enumerated() {
            for stint in seat.stints {
                spans[Int(stint.person)].append(DemoSpan(start: stint.start, end: stint.end, org: Int32(seat.org),
                                                         branch: Int32(seat.branch), seat: Int32(index), title: stint.title))
            }
        }
        for index in spans.indices { spans[index].sort { $0.start < $1.start } }
    }

    /// Whether `person` holds a job at `org` on `day` (strictly before its last day).
    func isEmployed(_ person: Int32, at org: Int, on day: Int32) -> Bool {
        spans[Int(person)].contains { $0.org == Int32(org) && $0.start <= day && day < $0.end }
    }

    /// The organization a counterpart person works for on `day`, if any.
    func employer(of person: Int32, on day: Int32) -> Int? {
        for span in spans[Int(person)] where span.start <= day && day < span.end && span.org != Int32(homeIndex) {
            return Int(span.org)
        }
        return nil
    }
}
