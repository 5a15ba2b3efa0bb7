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

    @Test(arguments: Backend.available)
    func aDisabledUserIsNobodyUntilEnabledAndANewPasswordEndsTheirSessions(_ backend: Backend) async throws {
        try await withStore(backend) { store, workspace in
            let workspaceID = try await WorkspaceRepository(store.database).findOrCreate(named: workspace)
            let accounts = try AccountRepository(database: store.database, workspaceID: workspaceID)
            let now = "2026-06-30T10:00:00Z", run = UUID().uuidString
            _ = try await accounts.createUser(email: "anna@voltwerk.example", passwordHash: "old", role: .manager, organizationKey: nil,
                                              partnershipKeys: [], now: now, actor: "test")
            _ = try await accounts.createToken(email: "anna@voltwerk.example", tokenHash: "token-\(run)", label: nil, now: now, actor: "test")
            func session(_ hash: String) async throws -> Principal? {
                try await accounts.session(tokenHash: hash, idleSince: "2026-06-30T09:00:00Z", createdSince: "2026-06-30T00:00:00Z", now: now)?.principal
            }
            try await accounts.createSession(userID: try #require(try await accounts.passwordHash(email: "anna@voltwerk.example")).userID,
                                             tokenHash: "session-1-\(run)", csrfToken: "c", now: now)
            #expect(try await session("session-1-\(run)") != nil)
            // disabled: no token, no session, no sign-in, no new token
            try await accounts.setDisabled(email: "Anna@Voltwerk.example", true, now: now, actor: "admin")
            #expect(try await accounts.principal(tokenHash: "token-\(run)", now: now) == nil)
            #expect(try await session("session-1-\(run)") == nil)
            #expect(try await accounts.passwordHash(email: "anna@voltwerk.example") == nil)
            #expect(try await accounts.users().first?.disabled == true)
            await #expect(throws: StoreError.notFound(kind: "user", key: "anna@voltwerk.example")) {
                _ = try await accounts.createToken(email: "anna@voltwerk.example", tokenHash: "token-2-\(run)", label: nil, now: now, actor: "test")
            }
            // enabled again: the token works; the session was deleted for good
            try await accounts.setDisabled(email: "anna@voltwerk.example", false, now: now, actor: "admin")
            #expect(try await accounts.principal(tokenHash: "token-\(run)", now: now)?.email == "anna@voltwerk.example")
            #expect(try await session("session-1-\(run)") == nil)
            // a new password replaces the hash and ends every session
            let user = try #require(try await accounts.passwordHash(email: "anna@voltwerk.example")).userID
            try await accounts.createSession(userID: user, tokenHash: "session-2-\(run)", csrfToken: "c", now: now)
            try await accounts.setPassword(email: "anna@voltwerk.example", passwordHash: "new", now: now, actor: "admin")
            #expect(try await accounts.passwordHash(email: "anna@voltwerk.example")?.hash == "new")
            #expect(try await session("session-2-\(run)") == nil)
            await #expect(throws: StoreError.notFound(kind: "user", key: "nobody@voltwerk.example")) {
                try await accounts.setDisabled(email: "nobody@voltwerk.example", true, now: now, actor: "admin")
            }
            #expect(try await accounts.auditTrail(limit: 4).map(\.action) == ["user.password", "token.use", "user.enable", "user.disable"])
        }
    }
}
