import Foundation
import TandemCore
@testable import TandemStore
import Testing

@Suite struct PartnershipLifecycleTests {
    static let today = LocalDate("2026-06-30")!

    /// Home with Hanna, distributor d1 with Dirk, distributor d2 with Paula.
    static func directory(_ store: Store, _ workspace: String) async throws -> (DirectoryRepository, PartnershipRepository) {
        let id = try await WorkspaceRepository(store.database).findOrCreate(named: workspace)
        let directory = try DirectoryRepository(database: store.database, workspaceID: id)
        _ = try await directory.saveOrganization(OrganizationDraft(key: "home", name: "Voltwerk", kind: "manufacturer", currency: "EUR", isHome: true))
        _ = try await directory.saveOrganization(OrganizationDraft(key: "d1", name: "Elektro Süd", kind: "distributor", currency: "EUR"))
        _ = try await directory.saveOrganization(OrganizationDraft(key: "d2", name: "Nordlicht", kind: "distributor"))
        for (person, organization) in [("hanna", "home"), ("dirk", "d1"), ("paula", "d2")] {
            _ = try await directory.savePerson(PersonDraft(key: person, name: person.capitalized))
            _ = try await directory.saveEmployment(EmploymentDraft(personKey: person, organizationKey: organization, function: "outside_sales",
                                                                   startDate: "2015-01-01"))
        }
        return (directory, try PartnershipRepository(database: store.database, workspaceID: id))
    }

    func issues(_ body: () async throws -> Void) async -> [String] {
        do {
            try await body()
            return []
        } catch let StoreError.invalid(issues) {
            return issues.map { "\($0.field): \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test(arguments: Backend.available)
    func aPartnershipIsProposedActivatedSuspendedAndEnded(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let (_, partnerships) = try await Self.directory(store, workspace)
            // propose
            let proposed = try await partnerships.propose(PartnershipDraft(key: "ps1", counterpartKey: "d1", notes: "Lighting controls"), asOf: Self.today)
            #expect(proposed.partnership.status == .proposed && proposed.partnership.commitment == CommitmentForm.none)
            // an expressed commitment needs signatures from both sides, by their jobs on the day
            let oneSided = await issues {
                _ = try await partnerships.change("ps1", to: .active, StatusChangeDraft(date: "2026-01-15", commitment: "expressed", signatoryKeys: ["hanna", "paula"]),
                                                  asOf: Self.today)
            }
            #expect(oneSided == ["signatory_keys: an expressed commitment needs someone of the counterpart (by their jobs on 2026-01-15)",
                                 "signatory_keys: paula works for neither side on 2026-01-15"])
            let active = try await partnerships.change("ps1", to: .active, StatusChangeDraft(date: "2026-01-15", commitment: "expressed",
                                                                                              signatoryKeys: ["hanna", "dirk"]), asOf: Self.today)
            #expect(active.partnership.status == .active && active.partnership.agreementDate == "2026-01-15")
            #expect(active.partnership.signatoryKeys == ["hanna", "dirk"])
            // transitions that make no sense are refused, and nothing changes
            await #expect(throws: StoreError.conflict("partnership \"ps1\" is active: it cannot be activated")) {
                _ = try await partnerships.change("ps1", to: .active, StatusChangeDraft(date: "2026-02-01", commitment: "implied"), asOf: Self.today)
            }
            let suspended = try await partnerships.change("ps1", to: .suspended, StatusChangeDraft(date: "2026-03-01", note: "Acquisition"), asOf: Self.today)
            #expect(suspended.partnership.status == .suspended)
            let resumed = try await partnerships.change("ps1", to: .active, StatusChangeDraft(date: "2026-04-01", commitment: "implied"), asOf: Self.today)
            // resuming keeps the agreement date and the signatures
            #expect(resumed.partnership.agreementDate == "2026-01-15" && resumed.partnership.commitment == .implied)
            #expect(resumed.partnership.signatoryKeys == ["hanna", "dirk"])
            let ended = try await partnerships.change("ps1", to: .ended, StatusChangeDraft(date: "2026-06-01"), asOf: Self.today)
            #expect(ended.partnership.events.map(\.status) == [.proposed, .active, .suspended, .active, .ended])
            await #expect(throws: StoreError.conflict("partnership \"ps1\" is ended: it cannot be suspended")) {
                _ = try await partnerships.change("ps1", to: .suspended, StatusChangeDraft(date: "2026-06-02"), asOf: Self.today)
            }
            #expect(await issues { _ = try await partnerships.propose(PartnershipDraft(counterpartKey: "home"), asOf: Self.today) }
                    == ["counterpart_key: \"home\" is the home organization: a partnership is with a counterpart"])
            // nothing dated in the future, nothing new for an ended partnership
            #expect(await issues {
                _ = try await partnerships.change("ps1", to: .ended, StatusChangeDraft(date: "2026-07-01"), asOf: Self.today)
            } == ["date: 2026-07-01 is after today: record a change once it has happened"])
            await #expect(throws: StoreError.conflict("partnership \"ps1\" has ended: a pledge can no longer be added")) {
                _ = try await partnerships.addPledge(to: "ps1", PledgeDraft(partyKey: "home", asset: "money", amount: 1), asOf: Self.today)
            }
            #expect(await issues {
                _ = try await partnerships.addGoal(to: "ps1", GoalDraft(metric: "x", target: 1e300, ownerKeys: ["hanna", "dirk"]), asOf: Self.today)
            } == ["target: expected a number of magnitude below 10^13"])
        }
    }

    @Test(arguments: Backend.available)
    func onlyTheOtherSideConfirmsAContribution(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let (_, partnerships) = try await Self.directory(store, workspace)
            _ = try await partnerships.propose(PartnershipDraft(key: "ps1", counterpartKey: "d1"), asOf: Self.today)
            _ = try await partnerships.change("ps1", to: .active, StatusChangeDraft(date: "2026-01-15", commitment: "implied"), asOf: Self.today)
            let pledge = try await partnerships.addPledge(to: "ps1", PledgeDraft(key: "c1", partyKey: "home", asset: "money", amount: 10_000,
                                                                                 currency: "EUR", dueDate: "2026-05-31"), asOf: Self.today)
            #expect(pledge.delivered == 0 && pledge.claimed == 0)
            let claim = try await partnerships.addContribution(to: "c1", ContributionDraft(date: "2026-02-01", amount: 4_000, note: "Co-op fund"), asOf: Self.today)
            #expect(!claim.confirmed)
            // Hanna works for home, which pledged it: she cannot confirm it; Paula works for neither side.
            for person in ["hanna", "paula"] {
                #expect(await issues { _ = try await partnerships.confirm(contribution: claim.id, ConfirmationDraft(confirmedByKey: person), asOf: Self.today) }
                        .first?.contains("only a person of the other side can confirm") == true)
            }
            // Carl joined d1 after the contribution: he could not have seen it delivered.
            let (directory, _) = (try DirectoryRepository(database: store.database, workspaceID: partnerships.workspaceID), ())
            _ = try await directory.savePerson(PersonDraft(key: "carl", name: "Carl"))
            _ = try await directory.saveEmployment(EmploymentDraft(personKey: "carl", organizationKey: "d1", function: "inside_sales", startDate: "2026-03-01"))
            #expect(await issues { _ = try await partnerships.confirm(contribution: claim.id, ConfirmationDraft(confirmedByKey: "carl"), asOf: Self.today) }
                    .first?.contains("on 2026-02-01") == true)
            let confirmed = try await partnerships.confirm(contribution: claim.id, ConfirmationDraft(confirmedByKey: "dirk"), asOf: Self.today)
            #expect(confirmed.confirmed && confirmed.confirmedByKey == "dirk")
            await #expect(throws: StoreError.conflict("contribution \(claim.id) is already confirmed")) {
                _ = try await partnerships.confirm(contribution: claim.id, ConfirmationDraft(confirmedByKey: "dirk"), asOf: Self.today)
            }
            _ = try await partnerships.addContribution(to: "c1", ContributionDraft(date: "2026-03-01", amount: 1_000), asOf: Self.today)
            let detail = try await partnerships.detail(key: "ps1", asOf: Self.today)
            #expect(detail.pledges.first?.delivered == 4_000 && detail.pledges.first?.claimed == 1_000)
            // pledges belong to one of the two sides
            #expect(await issues { _ = try await partnerships.addPledge(to: "ps1", PledgeDraft(partyKey: "d2", asset: "money", amount: 1), asOf: Self.today) }
                    == ["party_key: \"d2\" is neither side of partnership \"ps1\""])
            // and the assessment sees the same: confirmed 4,000 is delivered, the rest a claim
            let snapshot = try await SnapshotLoader(sql: store.sql, workspaceID: partnerships.workspaceID).load()
            let commitment = try #require(snapshot.commitments.first)
            #expect(commitment.contributions.filter { snapshot.isConfirmedByTheOtherSide($0, of: commitment, jobs: snapshot.employmentsByPerson()) }
                    .map(\.amount) == [4_000])
        }
    }

    @Test(arguments: Backend.available)
    func goalsRisksAndReviewsAreSharedByBothSides(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let (_, partnerships) = try await Self.directory(store, workspace)
            _ = try await partnerships.propose(PartnershipDraft(key: "ps1", counterpartKey: "d1"), asOf: Self.today)
            _ = try await partnerships.change("ps1", to: .active, StatusChangeDraft(date: "2026-01-01", commitment: "implied"), asOf: Self.today)
            #expect(await issues { _ = try await partnerships.addGoal(to: "ps1", GoalDraft(metric: "Growth", target: 20, ownerKeys: ["hanna"]), asOf: Self.today) }
                    == ["owner_keys: a shared goal needs someone of the counterpart"])
            _ = try await partnerships.addGoal(to: "ps1", GoalDraft(key: "g1", metric: "Sell-through growth", unit: "%", baseline: 0, target: 20,
                                                                    dueDate: "2026-12-31", ownerKeys: ["hanna", "dirk"]), asOf: Self.today)
            // half-way through the year 10 is expected: 4 is off track, 9.5 on track (90% of the way)
            let behind = try await partnerships.measure(goal: "g1", MeasurementDraft(date: "2026-07-02", value: 4), asOf: LocalDate("2026-07-02")!)
            #expect(behind.status?.onTrack == false && behind.status?.expected == 10)
            let fine = try await partnerships.measure(goal: "g1", MeasurementDraft(date: "2026-07-02", value: 9.5), asOf: LocalDate("2026-07-02")!)
            #expect(fine.status?.onTrack == true && fine.progress.count == 1)
            _ = try await partnerships.addRisk(to: "ps1", RiskDraft(partyKey: "d1", description: "New range in stock", exposureAmount: 20_000, currency: "EUR"))
            await #expect(throws: StoreError.conflict("d1 already carries that risk in partnership \"ps1\"")) {
                _ = try await partnerships.addRisk(to: "ps1", RiskDraft(partyKey: "d1", description: "New range in stock"))
            }
            let review = try await partnerships.addReview(to: "ps1", ReviewDraft(key: "r1", date: "2026-06-15", attendeeKeys: ["hanna", "dirk"],
                                                                                 visibility: "shared", notes: "Q2 review"), asOf: Self.today)
            #expect(review.visibility == .shared && review.attendeeKeys == ["hanna", "dirk"])
            let internalReview = try await partnerships.addReview(to: "ps1", ReviewDraft(date: "2026-06-16", attendeeKeys: ["hanna", "dirk"]), asOf: Self.today)
            #expect(internalReview.visibility == .internal)
            let detail = try await partnerships.detail(key: "ps1", asOf: Self.today)
            #expect(detail.goals.map(\.key) == ["g1"] && detail.risks.count == 1 && detail.reviews.count == 2)
            #expect(try await partnerships.list(limit: 10, cursor: nil, counterpart: "d1", status: "active").items.map(\.key) == ["ps1"])
            #expect(try await partnerships.list(limit: 10, cursor: nil, counterpart: "d2", status: nil).items.isEmpty)

            // nothing is lost on the way out and back in: events and reviews travel in the bundle
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lifecycle-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try await BundleExporter().exportBundle(workspace: workspace, from: store.database, to: folder.appendingPathComponent("first"))
            let events = try String(contentsOf: folder.appendingPathComponent("first/partnership_events.csv"), encoding: .utf8)
            // recorded after the fact: proposed (today) no later than agreed, so the proposal moved back to the agreement
            #expect(events == "partnership_key,date,status,note\nps1,2026-01-01,proposed,\nps1,2026-01-01,active,\n")
            _ = try await BundleImporter().importBundle(from: folder.appendingPathComponent("first"), into: store.database, workspace: workspace + "-copy")
            _ = try await BundleImporter().importBundle(from: folder.appendingPathComponent("first"), into: store.database, workspace: workspace + "-copy")
            _ = try await BundleExporter().exportBundle(workspace: workspace + "-copy", from: store.database, to: folder.appendingPathComponent("second"))
            for file in BundleFile.allCases {
                let first = try String(contentsOf: folder.appendingPathComponent("first/\(file.fileName)"), encoding: .utf8)
                let second = try String(contentsOf: folder.appendingPathComponent("second/\(file.fileName)"), encoding: .utf8)
                #expect(first == second, "\(file.fileName)")
            }
            let copyID = try #require(try await WorkspaceRepository(store.database).find(named: workspace + "-copy"))
            let copy = try await PartnershipRepository(database: store.database, workspaceID: copyID).detail(key: "ps1", asOf: Self.today)
            #expect(copy.reviews == detail.reviews && copy.partnership.events == detail.partnership.events)
        }
    }
}
