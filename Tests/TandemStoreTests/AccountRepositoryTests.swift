import Foundation
import TandemCore
@testable import TandemStore
import Testing

@Suite struct AccountRepositoryTests {
    @Test(arguments: Backend.available)
    func usersTokensAndTheAuditTrailStayInTheirWorkspace(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            // given the partnership world of the lifecycle tests, with ps1 with d1
            let (_, partnerships) = try await PartnershipLifecycleTests.directory(store, workspace)
            _ = try await partnerships.propose(PartnershipDraft(key: "ps1", counterpartKey: "d1"), asOf: PartnershipLifecycleTests.today)
            let accounts = try AccountRepository(database: store.database, workspaceID: partnerships.workspaceID)
            let now = "2026-06-30T10:00:00Z"
            // token hashes are unique across the database, which the PostgreSQL test runs share
            let run = UUID().uuidString
            let (digest1, digest2, digest3) = ("digest-1-\(run)", "digest-2-\(run)", "digest-3-\(run)")
            // users: the home company's have no organization; a guest has one and its partnerships
            let admin = try await accounts.createUser(email: " Anna@Voltwerk.example ", passwordHash: "$2b$12$hash", role: .admin,
                                                      organizationKey: nil, partnershipKeys: [], now: now, actor: "test")
            #expect(admin.email == "anna@voltwerk.example")
            let guest = try await accounts.createUser(email: "dirk@sued.example", passwordHash: "$2b$12$hash", role: .partnerGuest,
                                                      organizationKey: "d1", partnershipKeys: ["ps1"], now: now, actor: "test")
            #expect(guest.organizationKey == "d1" && guest.partnershipKeys == ["ps1"])
            for (role, organization, keys, field) in [(UserRole.partnerGuest, "d2", ["ps1"], "partnership"), (.partnerGuest, nil, [], "organization"),
                                                      (.manager, "d1", [], "role"), (.partnerGuest, "home", ["ps1"], "organization")] {
                do {
                    _ = try await accounts.createUser(email: "x@y.example", passwordHash: "h", role: role, organizationKey: organization,
                                                      partnershipKeys: keys, now: now, actor: "test")
                    Issue.record("accepted \(role) with \(organization ?? "no organization")")
                } catch let StoreError.invalid(issues) {
                    #expect(issues.contains { $0.field == field }, "\(issues)")
                }
            }
            await #expect(throws: StoreError.conflict("a user anna@voltwerk.example already exists in this workspace")) {
                _ = try await accounts.createUser(email: "anna@voltwerk.example", passwordHash: "h", role: .manager, organizationKey: nil,
                                                  partnershipKeys: [], now: now, actor: "test")
            }
            #expect(AccountRepository.normalized(email: "no-at-sign") == nil && AccountRepository.normalized(email: "a@b") == nil)
            // tokens resolve to their user in their workspace only, until revoked
            let token = try await accounts.createToken(email: "anna@voltwerk.example", tokenHash: digest1, label: "ci", now: now, actor: "test")
            let principal = try #require(try await accounts.principal(tokenHash: digest1, now: now))
            #expect(principal.email == "anna@voltwerk.example" && principal.role == .admin)
            #expect(try await accounts.principal(tokenHash: digest2, now: now) == nil)
            let elsewhere = try await WorkspaceRepository(store.database).findOrCreate(named: workspace + "-other")
            #expect(try await AccountRepository(database: store.database, workspaceID: elsewhere).principal(tokenHash: digest1, now: now) == nil)
            #expect(try await accounts.principal(tokenHash: digest1, now: now) != nil)
            try await accounts.revokeToken(id: token, now: now, actor: "test")
            #expect(try await accounts.principal(tokenHash: digest1, now: now) == nil)
            await #expect(throws: StoreError.conflict("token \(token) is already revoked")) {
                try await accounts.revokeToken(id: token, now: now, actor: "test")
            }
            #expect(try await accounts.tokens().first?.revokedAt == now)
            // the guest's principal carries its partnerships
            _ = try await accounts.createToken(email: "dirk@sued.example", tokenHash: digest3, label: nil, now: now, actor: "test")
            #expect(try await accounts.principal(tokenHash: digest3, now: now)?.partnershipKeys == ["ps1"])
            // and the audit trail recorded it all, newest first
            // (a token's first use is audited; its use again within the hour is not)
            #expect(try await accounts.auditTrail(limit: 10).map(\.action)
                    == ["token.use", "token.create", "token.revoke", "token.use", "token.create", "user.create", "user.create"])
        }
    }
}
