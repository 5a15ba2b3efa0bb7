import Foundation

/// An interaction kind of FORMATS.md.
enum DemoKind: Int, CaseIterable, Sendable {
    case visit, call, meeting, jointCustomerCall, training, businessReview, event, problemResolution, planning
    case quoteRequest, orderRequest, pricingRequest, expedite, complaint
    case email, other

    static let names = ["visit", "call", "meeting", "joint_customer_call", "training", "business_review", "event",
                        "problem_resolution", "planning", "quote_request", "order_request", "pricing_request", "expedite",
                        "complaint", "email", "other"]

    var csv: String { DemoKind.names[rawValue] }

    var isRelational: Bool { rawValue <= DemoKind.planning.rawValue }
    var isTransactional: Bool { rawValue >= DemoKind.quoteRequest.rawValue && rawValue <= DemoKind.complaint.rawValue }
    /// Asking for an order, a quote, a price or a faster delivery.
    var isOrderSeeking: Bool { rawValue >= DemoKind.quoteRequest.rawValue && rawValue <= DemoKind.expedite.rawValue }

    var minutes: ClosedRange<Int> {
        switch self {
        case .visit: 30...120
        case .call: 5...30
        case .meeting: 30...120
        case .jointCustomerCall: 60...180
        case .training: 60...240
        case .businessReview: 60...180
        case .event: 120...480
        case .problemResolution: 15...90
        case .planning: 60...180
        case .quoteRequest: 5...20
        case .orderRequest: 2...15
        case .pricingRequest: 10...30
        case .expedite: 5...15
        case .complaint: 10...40
        case .email: 2...10
        case .other: 10...60
        }
    }
}

/// How a counterpart deals with the home company: the mix of kinds and who takes the initiative.
enum DemoStyle: Int {
    case close, ordinary, orderSeeker, transactional

    init(_ profile: DemoProfile) {
        switch profile {
        case .partnership, .atRisk, .deep, .buyingGroup: self = .close
        case .orderSeeker: self = .orderSeeker
        case .transactional: self = .transactional
        default: self = .ordinary
        }
    }
}

/// Which counterpart job the dealings go through.
enum DemoDesk: Int {
    case inside, outside, management, purchasing

    init(_ function: DemoFunction) {
        switch function {
        case .insideSales, .other: self = .inside
        case .outsideSales: self = .outside
        case .purchasing: self = .purchasing
        case .salesManagement, .executive, .marketing: self = .management
        }
    }
}

enum DemoMix {
    /// Share of relational, transactional and neutral dealings, per style and desk.
    static let categories: [[[Double]]] = [
        [[0.55, 0.30, 0.15], [0.80, 0.08, 0.12], [0.85, 0.03, 0.12], [0.45, 0.40, 0.15]],
        [[0.40, 0.40, 0.20], [0.62, 0.18, 0.20], [0.75, 0.05, 0.20], [0.25, 0.55, 0.20]],
        [[0.06, 0.84, 0.10], [0.06, 0.84, 0.10], [0.06, 0.84, 0.10], [0.06, 0.84, 0.10]],
        [[0.00, 0.90, 0.10], [0.00, 0.90, 0.10], [0.00, 0.90, 0.10], [0.00, 0.90, 0.10]],
    ]

    /// Relational kinds per desk, as weights over visit … planning.
    static let relational: [[Double]] = [
        [0.05, 0.45, 0.10, 0.00, 0.15, 0.00, 0.05, 0.20, 0.00],
        [0.35, 0.18, 0.10, 0.15, 0.06, 0.00, 0.05, 0.05, 0.06],
        [0.15, 0.08, 0.25, 0.00, 0.00, 0.22, 0.10, 0.00, 0.20],
        [0.10, 0.35, 0.25, 0.00, 0.00, 0.15, 0.00, 0.00, 0.15],
    ]
    /// Transactional kinds (quote, order, pricing, expedite, complaint) for order-seekers and for everyone else.
    static let seekerRequests = [0.25, 0.30, 0.30, 0.12, 0.03]
    static let requests = [0.28, 0.30, 0.15, 0.15, 0.12]

    static func kind(style: DemoStyle, desk: DemoDesk, rng: inout DemoRandom) -> DemoKind {
        switch rng.weighted(categories[style.rawValue][desk.rawValue]) {
        case 0:
            return DemoKind(rawValue: rng.weighted(relational[desk.rawValue])) ?? .call
        case 1:
            let weights = style == .orderSeeker ? seekerRequests : requests
            return DemoKind(rawValue: DemoKind.quoteRequest.rawValue + rng.weighted(weights)) ?? .orderRequest
        default:
            return rng.chance(0.8) ? .email : .other
        }
    }

    /// Probability that the home side takes the initiative.
    static func homeInitiates(_ kind: DemoKind, style: DemoStyle) -> Double {
        if kind.isRelational {
            switch style {
            case .close: return 0.52
            case .ordinary: return 0.68
            case .orderSeeker, .transactional: return 0.85
            }
        }
        if kind.isTransactional {
            switch style {
            case .orderSeeker: return 0.06
            case .transactional: return 0.5
            default: return 0.3
            }
        }
        return style == .orderSeeker ? 0.3 : 0.5
    }

    /// Chance to bring the home manager, chance to bring counterpart colleagues, and how many at most.
    static func company(_ kind: DemoKind) -> (manager: Double, colleagues: Double, most: Int) {
        switch kind {
        case .businessReview: (0.8, 0.7, 2)
        case .meeting, .planning: (0.35, 0.4, 1)
        case .training: (0.1, 0.85, 3)
        case .event: (0.3, 0.4, 2)
        case .visit: (0.05, 0.2, 1)
        case .jointCustomerCall, .problemResolution: (0.0, 0.1, 1)
        default: (0, 0, 0)
        }
    }

    /// Summary templates per kind; `{line}` is replaced by a product line.
    private static let templates: [[String]] = [
        ["Branch visit, new {line} range", "Counter display refresh: {line}", "Visited with the branch manager; stock levels and projects", "Visit"],
        ["Follow-up on {line} availability", "Quick call about delivery dates", "Checked the status of the hospital project", "Call back re. catalogue"],
        ["Quarterly meeting: {line}, pricing, training", "Met the new purchasing lead", "Meeting at the branch, agenda: stock, training, projects"],
        ["Joint visit to an electrical contractor, {line}", "Site visit with contractor: office refurbishment, 400 sockets", "Joint call at \"Müller & Partner\" contractors"],
        ["Counter staff training: {line}", "Lunch & learn: smart home wiring", "Installer evening \"Smart Home Basics\""],
        ["Business review: sell-through, stock, goals", "Quarterly business review, targets and {line}", "QBR – pricing, rebates, growth plan"],
        ["Trade counter open day", "Light + Building trade fair, booth visit", "Installer event, 60 contractors"],
        ["Resolved mis-shipment of {line}", "Warranty case: faulty dimmers replaced", "Credit note for damaged cartons"],
        ["Joint planning for next year, {line}", "Territory plan: key projects, promotions, training"],
        ["Quote for {line}, 250 units", "Quote request: school project, sockets and switches", "Quote, hotel refurbishment"],
        ["Order placed: {line}", "Urgent order, stock replenishment", "Order for project \"Hafen-City\""],
        ["Special pricing (SPA) request: {line}", "Asked for a project price below list", "Price match request vs. competitor"],
        ["Expedite request, contractor waiting", "Chasing backorder of {line}"],
        ["Complaint: late delivery", "Complaint about the price increase on {line}"],
        ["Price list sent", "Catalogue update: {line}", "Re: delivery dates"],
        ["Misc.", "Phone tag"],
    ]
    private static let seekerTemplates = [
        "Wants an extra rebate; says they are a \"partner\"", "Asked for partnership support: marketing funds, rebate, consignment stock",
        "Special price on {line} or they switch supplier", "Needs SPA on {line} today, big project (they say)",
    ]

    /// Templates split around `{line}` once, so a summary is two concatenations.
    static let parts: [[[String]]] = templates.map { $0.map(split) }
    static let seekerParts: [[String]] = seekerTemplates.map(split)
    static let lines = DemoOrgNames.productLines.map { $0.lowercased() }

    private static func split(_ template: String) -> [String] {
        template.components(separatedBy: "{line}")
    }

    static func summary(_ kind: DemoKind, style: DemoStyle, rng: inout DemoRandom) -> String? {
        if rng.chance(0.12) { return nil }
        let pieces = style == .orderSeeker && kind.isTransactional && rng.chance(0.3)
            ? rng.pick(seekerParts)
            : rng.pick(parts[kind.rawValue])
        return pieces.count == 1 ? pieces[0] : pieces[0] + rng.pick(lines) + pieces[1]
    }
}
