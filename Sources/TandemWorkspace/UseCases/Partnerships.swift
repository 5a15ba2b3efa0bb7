import Foundation
import TandemCore
import TandemStore

/// A partnership's lifecycle and what both sides share: goals and their progress, pledges and
/// contributions (confirmed by the other side), risks and business reviews.
extension TandemWorkspace {
    // MARK: - Reads

    public func partnerships(limit: Int, cursor: String?, counterpart: String?,
                             status: String?) async throws -> ListPage<PartnershipView> {
        try await partnershipRecords.list(limit: limit, cursor: cursor, counterpart: counterpart, status: status)
    }

    public func partnership(key: String) async throws -> PartnershipView {
        try await partnershipRecords.partnership(key: key)
    }

    public func partnershipDetail(key: String, asOf: LocalDate) async throws -> PartnershipDetail {
        try await partnershipRecords.detail(key: key, asOf: asOf)
    }

    public func pledge(key: String,
                       asOf: LocalDate) async throws -> PledgeView { try await partnershipRecords.pledge(key: key,
                               asOf: asOf) }

    public func contribution(id: Int64, asOf: LocalDate) async throws -> ContributionView {
        try await partnershipRecords.contribution(id: id, asOf: asOf)
    }

    // MARK: - Writes

    public func proposePartnership(_ draft: PartnershipDraft, asOf: LocalDate) async throws -> PartnershipDetail {
        try await write { try await partnershipRecords.propose(draft, asOf: asOf) }
    }

    /// Activates, suspends or ends a partnership.
    public func changePartnership(_ key: String, to status: PartnershipStatus, _ draft: StatusChangeDraft,
                                  asOf: LocalDate) async throws -> PartnershipDetail {
        try await write { try await partnershipRecords.change(key, to: status, draft, asOf: asOf) }
    }

    public func addGoal(to partnership: String, _ draft: GoalDraft, asOf: LocalDate) async throws -> GoalView {
        try await write { try await partnershipRecords.addGoal(to: partnership, draft, asOf: asOf) }
    }

    /// Records a goal's measured value on a date.
    public func measure(goal key: String, _ draft: MeasurementDraft, asOf: LocalDate) async throws -> GoalView {
        try await write { try await partnershipRecords.measure(goal: key, draft, asOf: asOf) }
    }

    public func addPledge(to partnership: String, _ draft: PledgeDraft, asOf: LocalDate) async throws -> PledgeView {
        try await write { try await partnershipRecords.addPledge(to: partnership, draft, asOf: asOf) }
    }

    public func addContribution(to pledge: String, _ draft: ContributionDraft,
                                asOf: LocalDate) async throws -> ContributionView {
        try await write { try await partnershipRecords.addContribution(to: pledge, draft, asOf: asOf) }
    }

    /// Confirms a contribution, by a person of the other side.
    public func confirm(contribution id: Int64, _ draft: ConfirmationDraft,
                        asOf: LocalDate) async throws -> ContributionView {
        try await write { try await partnershipRecords.confirm(contribution: id, draft, asOf: asOf) }
    }

    public func addRisk(to partnership: String, _ draft: RiskDraft) async throws -> RiskView {
        try await write { try await partnershipRecords.addRisk(to: partnership, draft) }
    }

    public func addReview(to partnership: String, _ draft: ReviewDraft, asOf: LocalDate) async throws -> ReviewView {
        try await write { try await partnershipRecords.addReview(to: partnership, draft, asOf: asOf) }
    }
}
