import Foundation
import TandemCore
import TandemStore

/// The workspace's users, their tokens, sessions and sign-in limits, and the audit trail.
/// Passwords and tokens arrive hashed: nothing here sees a secret. None of it is part of the read
/// model: these writes queue behind the workspace's other writes in the store itself, and the
/// small ones a read makes (a token's last use, a session's last-seen time) are skipped while
/// the workspace is busy rather than waited for.
extension TandemWorkspace {
    /// An e-mail address as users are kept under: trimmed and lower-cased; nil when it is not one.
    public static func normalized(email: String) -> String? { AccountRepository.normalized(email: email) }

    // MARK: - Users

    public func createUser(email: String, passwordHash: String, role: UserRole, organizationKey: String?,
                           partnershipKeys: [String],
                           now: String, actor: String) async throws -> UserView {
        try await accountRecords.createUser(email: email, passwordHash: passwordHash, role: role,
                                            organizationKey: organizationKey,
                                            partnershipKeys: partnershipKeys, now: now, actor: actor)
    }

    public func users() async throws -> [UserView] { try await accountRecords.users() }

    /// The stored password hash of an enabled user, for signing in.
    public func passwordHash(email: String) async throws -> (userID: Int64, hash: String)? {
        try await accountRecords.passwordHash(email: email)
    }

    /// Disables a user (their tokens and sessions stop at once) or enables them again.
    public func setDisabled(email: String, _ disabled: Bool, now: String, actor: String) async throws {
        try await accountRecords.setDisabled(email: email, disabled, now: now, actor: actor)
    }

    /// Replaces a user's password hash and ends every session of theirs.
    public func setPassword(email: String, passwordHash: String, now: String, actor: String) async throws {
        try await accountRecords.setPassword(email: email, passwordHash: passwordHash, now: now, actor: actor)
    }

    // MARK: - Tokens and sessions

    public func createToken(email: String, tokenHash: String, label: String?, now: String,
                            actor: String) async throws -> Int64 {
        try await accountRecords.createToken(email: email, tokenHash: tokenHash, label: label, now: now, actor: actor)
    }

    public func tokens() async throws -> [TokenView] { try await accountRecords.tokens() }

    public func revokeToken(id: Int64, now: String, actor: String) async throws {
        try await accountRecords.revokeToken(id: id, now: now, actor: actor)
    }

    /// The user of a token, with the workspace's revision as of the lookup; nil for an unknown,
    /// revoked or disabled one.
    public func principal(tokenHash: String, now: String, usedSince: String? = nil) async throws -> Principal? {
        try await accountRecords.principal(tokenHash: tokenHash, now: now, usedSince: usedSince)
    }

    public func createSession(userID: Int64, tokenHash: String, csrfToken: String, now: String) async throws {
        try await accountRecords.createSession(userID: userID, tokenHash: tokenHash, csrfToken: csrfToken, now: now)
    }

    /// The user of a web session that is neither idle since `idleSince` nor older than `createdSince`.
    public func session(tokenHash: String, idleSince: String, createdSince: String, now: String,
                        refreshBefore: String? = nil) async throws -> (principal: Principal, csrf: String)? {
        try await accountRecords.session(tokenHash: tokenHash, idleSince: idleSince, createdSince: createdSince,
                                         now: now,
                                         refreshBefore: refreshBefore)
    }

    public func deleteSession(tokenHash: String) async throws {
        try await accountRecords.deleteSession(tokenHash: tokenHash)
    }

    // MARK: - Sign-in limits

    public func signInBlockedUntil(_ subjects: [String]) async throws -> String? {
        try await accountRecords.signInBlockedUntil(subjects)
    }

    public func countFailedSignIn(_ subject: String, now: String, forgetBefore: String) async throws -> Int {
        try await accountRecords.countFailedSignIn(subject, now: now, forgetBefore: forgetBefore)
    }

    public func blockSignIn(_ subject: String,
                            until: String) async throws { try await accountRecords.blockSignIn(subject, until: until) }

    public func forgetFailedSignIns(_ subjects: [String]) async throws {
        try await accountRecords.forgetFailedSignIns(subjects)
    }

    // MARK: - Audit trail

    public func audit(_ action: String, actor: String?, target: String?, detail: String?, address: String? = nil,
                      now: String) async throws {
        // In the write queue: on SQLite, an insert beside another write would wait for its lock in
        // SQLite's sleeping busy handler (tens of milliseconds under a stream of writes).
        try await write { try await accountRecords.audit(action, actor: actor, target: target, detail: detail, address: address, now: now) }
    }

    /// The audit trail, newest first.
    public func auditTrail(limit: Int) async throws -> [AuditEntry] {
        try await accountRecords.auditTrail(limit: limit)
    }
}
