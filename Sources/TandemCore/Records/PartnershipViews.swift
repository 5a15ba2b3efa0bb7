import Foundation

/// A partnership as the API and CLI show it: its lifecycle and everything both sides share.
public struct PartnershipView: Codable, Sendable, Equatable {
    public struct Event: Codable, Sendable, Equatable {
        public var date: String
        public var status: PartnershipStatus
        public var note: String?

        public init(date: String, status: PartnershipStatus, note: String?) {
            self.date = date; self.status = status; self.note = note
        }
    }

    public var key: String
    public var counterpartKey: String
    public var status: PartnershipStatus
    public var commitment: CommitmentForm
    public var agreementDate: String?
    public var signatoryKeys: [String]
    public var territoryCodes: [String]
    public var notes: String?
    /// Each change of status, oldest first (none for partnerships imported in their current state).
    public var events: [Event]

    public init(key: String, counterpartKey: String, status: PartnershipStatus, commitment: CommitmentForm, agreementDate: String? = nil, signatoryKeys: [String], territoryCodes: [String], notes: String? = nil, events: [Event]) {
        self.key = key
        self.counterpartKey = counterpartKey
        self.status = status
        self.commitment = commitment
        self.agreementDate = agreementDate
        self.signatoryKeys = signatoryKeys
        self.territoryCodes = territoryCodes
        self.notes = notes
        self.events = events
    }
}

public struct GoalView: Codable, Sendable, Equatable {
    public struct Measurement: Codable, Sendable, Equatable {
        public var date: String
        public var value: Double

            public init(date: String, value: Double) {
            self.date = date
            self.value = value
        }
}

    public var key: String
    public var partnershipKey: String
    public var metric: String
    public var unit: String?
    public var baseline: Double?
    public var target: Double
    public var dueDate: String?
    public var ownerKeys: [String]
    public var progress: [Measurement]
    /// The latest value against the straight line from baseline to target, as of today.
    public var status: GoalStatus?

    public init(key: String, partnershipKey: String, metric: String, unit: String? = nil, baseline: Double? = nil, target: Double, dueDate: String? = nil, ownerKeys: [String], progress: [Measurement], status: GoalStatus? = nil) {
        self.key = key
        self.partnershipKey = partnershipKey
        self.metric = metric
        self.unit = unit
        self.baseline = baseline
        self.target = target
        self.dueDate = dueDate
        self.ownerKeys = ownerKeys
        self.progress = progress
        self.status = status
    }
}

public struct ContributionView: Codable, Sendable, Equatable {
    public var id: Int64
    public var pledgeKey: String
    public var date: String
    public var amount: Double
    public var note: String?
    public var confirmedByKey: String?
    /// Confirmed by a person of the other side; otherwise a claim.
    public var confirmed: Bool

    public init(id: Int64, pledgeKey: String, date: String, amount: Double, note: String? = nil, confirmedByKey: String? = nil, confirmed: Bool) {
        self.id = id
        self.pledgeKey = pledgeKey
        self.date = date
        self.amount = amount
        self.note = note
        self.confirmedByKey = confirmedByKey
        self.confirmed = confirmed
    }
}

public struct PledgeView: Codable, Sendable, Equatable {
    public var key: String
    public var partnershipKey: String
    public var partyKey: String
    public var asset: AssetKind
    public var amount: Double
    public var unit: String?
    public var currency: String?
    public var dueDate: String?
    public var description: String?
    public var contributions: [ContributionView]
    /// Sums of the confirmed contributions and of the claims.
    public var delivered: Double
    public var claimed: Double

    public init(key: String, partnershipKey: String, partyKey: String, asset: AssetKind, amount: Double, unit: String? = nil, currency: String? = nil, dueDate: String? = nil, description: String? = nil, contributions: [ContributionView], delivered: Double, claimed: Double) {
        self.key = key
        self.partnershipKey = partnershipKey
        self.partyKey = partyKey
        self.asset = asset
        self.amount = amount
        self.unit = unit
        self.currency = currency
        self.dueDate = dueDate
        self.description = description
        self.contributions = contributions
        self.delivered = delivered
        self.claimed = claimed
    }
}

public struct RiskView: Codable, Sendable, Equatable {
    public var partnershipKey: String
    public var partyKey: String
    public var description: String
    public var exposureAmount: Double?
    public var currency: String?

    public init(partnershipKey: String, partyKey: String, description: String, exposureAmount: Double? = nil, currency: String? = nil) {
        self.partnershipKey = partnershipKey
        self.partyKey = partyKey
        self.description = description
        self.exposureAmount = exposureAmount
        self.currency = currency
    }
}

public struct ReviewView: Codable, Sendable, Equatable {
    public typealias Visibility = ReviewVisibility

    public var key: String
    public var partnershipKey: String
    public var date: String
    public var attendeeKeys: [String]
    public var visibility: Visibility
    public var notes: String?

    public init(key: String, partnershipKey: String, date: String, attendeeKeys: [String], visibility: Visibility, notes: String? = nil) {
        self.key = key
        self.partnershipKey = partnershipKey
        self.date = date
        self.attendeeKeys = attendeeKeys
        self.visibility = visibility
        self.notes = notes
    }
}

/// A partnership with its goals, both sides' pledges and contributions, risks and reviews.
public struct PartnershipDetail: Codable, Sendable, Equatable {
    public var partnership: PartnershipView
    public var goals: [GoalView]
    public var pledges: [PledgeView]
    public var risks: [RiskView]
    public var reviews: [ReviewView]

    public init(partnership: PartnershipView, goals: [GoalView], pledges: [PledgeView], risks: [RiskView], reviews: [ReviewView]) {
        self.partnership = partnership; self.goals = goals; self.pledges = pledges; self.risks = risks; self.reviews = reviews
    }
}

// MARK: - What callers send

public struct PartnershipDraft: Codable, Sendable {
    public var key: String?
    public var counterpartKey: String?
    public var territoryCodes: [String]?
    public var notes: String?

    public init(key: String? = nil, counterpartKey: String? = nil, territoryCodes: [String]? = nil, notes: String? = nil) {
        self.key = key; self.counterpartKey = counterpartKey; self.territoryCodes = territoryCodes; self.notes = notes
    }
}

/// A change of status: activate (with the commitment), suspend or end.
public struct StatusChangeDraft: Codable, Sendable {
    public var date: String?
    public var commitment: String?
    public var signatoryKeys: [String]?
    public var note: String?

    public init(date: String? = nil, commitment: String? = nil, signatoryKeys: [String]? = nil, note: String? = nil) {
        self.date = date; self.commitment = commitment; self.signatoryKeys = signatoryKeys; self.note = note
    }
}

public struct GoalDraft: Codable, Sendable {
    public var key: String?
    public var metric: String?
    public var unit: String?
    public var baseline: Double?
    public var target: Double?
    public var dueDate: String?
    public var ownerKeys: [String]?

    public init(key: String? = nil, metric: String? = nil, unit: String? = nil, baseline: Double? = nil, target: Double? = nil,
                dueDate: String? = nil, ownerKeys: [String]? = nil) {
        self.key = key; self.metric = metric; self.unit = unit; self.baseline = baseline; self.target = target
        self.dueDate = dueDate; self.ownerKeys = ownerKeys
    }
}

public struct MeasurementDraft: Codable, Sendable {
    public var date: String?
    public var value: Double?

    public init(date: String? = nil, value: Double? = nil) { self.date = date; self.value = value }
}

public struct PledgeDraft: Codable, Sendable {
    public var key: String?
    public var partyKey: String?
    public var asset: String?
    public var amount: Double?
    public var unit: String?
    public var currency: String?
    public var dueDate: String?
    public var description: String?

    public init(key: String? = nil, partyKey: String? = nil, asset: String? = nil, amount: Double? = nil, unit: String? = nil,
                currency: String? = nil, dueDate: String? = nil, description: String? = nil) {
        self.key = key; self.partyKey = partyKey; self.asset = asset; self.amount = amount; self.unit = unit
        self.currency = currency; self.dueDate = dueDate; self.description = description
    }
}

public struct ContributionDraft: Codable, Sendable {
    public var date: String?
    public var amount: Double?
    public var note: String?

    public init(date: String? = nil, amount: Double? = nil, note: String? = nil) { self.date = date; self.amount = amount; self.note = note }
}

public struct ConfirmationDraft: Codable, Sendable {
    public var confirmedByKey: String?

    public init(confirmedByKey: String? = nil) { self.confirmedByKey = confirmedByKey }
}

public struct RiskDraft: Codable, Sendable {
    public var partyKey: String?
    public var description: String?
    public var exposureAmount: Double?
    public var currency: String?

    public init(partyKey: String? = nil, description: String? = nil, exposureAmount: Double? = nil, currency: String? = nil) {
        self.partyKey = partyKey; self.description = description; self.exposureAmount = exposureAmount; self.currency = currency
    }
}

public struct ReviewDraft: Codable, Sendable {
    public var key: String?
    public var date: String?
    public var attendeeKeys: [String]?
    public var visibility: String?
    public var notes: String?

    public init(key: String? = nil, date: String? = nil, attendeeKeys: [String]? = nil, visibility: String? = nil, notes: String? = nil) {
        self.key = key; self.date = date; self.attendeeKeys = attendeeKeys; self.visibility = visibility; self.notes = notes
    }
}
