import FluentKit
import Foundation
import SQLKit
import TandemCore

/// The users, tokens and audit trail of one workspace. Passwords and tokens arrive hashed: the
/// store never sees a secret.
public struct AccountRepository: Sendable {
    let database: any Database
    let sql: any SQLDatabase
    public let workspaceID: Int64

    public init(database: any Database, workspaceID: Int64) throws {
        self.database = database
        self.sql = try database.sql()
        self.workspaceID = workspaceID
    }

    /// `name@domain.tld`, trimmed and lower-cased; nil when it is not one.
    public static func normalized(email: String) -> String? {
        let value = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !value.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control || $0 == ";" || $0 == "," })
        else { return nil }
        return value
    }

    /// A new user. A partner guest belongs to a counterpart organization and is invited to at
    /// least one of its partnerships; the home company's users have neither.
    public func createUser(email: String, passwordHash: String, role: UserRole, organizationKey: String?, partnershipKeys: [String],
                           now: String, actor: String) async throws -> UserView {
        var checks = FieldChecks()
        let address = Self.normalized(email: email)
        if address == nil { checks.fail("email", "\"\(email)\" is not an e-mail address") }
        if role == .partnerGuest {
            if organizationKey == nil { checks.fail("organization", "a partner guest belongs to a counterpart organization") }
            if partnershipKeys.isEmpty { checks.fail("partnership", "a partner guest is invited to at least one partnership") }
        } else if organizationKey != nil || !partnershipKeys.isEmpty {
            checks.fail("role", "only a partner guest has an organization and partnerships; \(role.rawValue)s work for the home company")
        }
        try checks.throwIfAny()
        return try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try AccountRepository(database: db, workspaceID: workspaceID)
            try await WorkspaceRepository.beginWrite(repo.sql, workspaceID: repo.workspaceID)
            let directory = try DirectoryRepository(database: db, workspaceID: workspaceID)
            var references = FieldChecks()
            var organization: Int64?
            if let organizationKey {
                organization = try await directory.idOf("organizations", key: organizationKey)
                if organization == nil { references.fail("organization", "unknown organization \"\(organizationKey)\"") }
                if let organization, try await directory.homeKey() == organizationKey {
                    references.fail("organization", "\"\(organizationKey)\" is the home organization: a partner guest is from a counterpart")
                    _ = organization
                }
            }
            var partnerships: [Int64] = []
            for key in partnershipKeys {
                guard let row = try await repo.sql.raw("""
                    SELECT id, counterpart_id FROM partnerships WHERE workspace_id = \(bind: workspaceID) AND key = \(bind: key)
                    """).first() else { references.fail("partnership", "unknown partnership \"\(key)\""); continue }
                if let organization, try row.decode(column: "counterpart_id", as: Int64.self) != organization {
                    references.fail("partnership", "partnership \"\(key)\" is not with \(organizationKey ?? "")")
                }
                partnerships.append(try row.decode(column: "id", as: Int64.self))
            }
            try references.throwIfAny()
            let exists = try await repo.sql.raw("SELECT id FROM users WHERE workspace_id = \(bind: workspaceID) AND email = \(bind: address!)").first()
            if exists != nil { throw StoreError.conflict("a user \(address!) already exists in this workspace") }
            guard let user = try await repo.sql.insert(into: "users")
                .columns("workspace_id", "email", "password_hash", "role", "organization_id", "created_at")
                .values(SQLBind(workspaceID), SQLBind(address!), SQLBind(passwordHash), SQLBind(role.rawValue),
                        organization.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null, SQLBind(now))
                .returning("id").first()?.decode(column: "id", as: Int64.self) else { throw StoreError.conflict("could not create the user") }
            for partnership in Set(partnerships) {
                try await repo.sql.insert(into: "user_partnerships").columns("user_id", "partnership_id").values(SQLBind(user), SQLBind(partnership)).run()
            }
            try await repo.audit("user.create", actor: actor, target: address, detail: role.rawValue, now: now)
            return try await repo.users().first { $0.email == address }!
        }
    }

    public func users() async throws -> [UserView] {
        var result: [UserView] = []
        for row in try await sql.raw("""
            SELECT u.id, u.email, u.role, o.key AS organization_key, u.created_at, u.disabled_at FROM users u \
            LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.workspace_id = \(bind: workspaceID) ORDER BY u.email
            """).all() {
            let id = try row.decode(column: "id", as: Int64.self)
            let partnerships = try await sql.raw("""
                SELECT p.key FROM user_partnerships up JOIN partnerships p ON p.id = up.partnership_id WHERE up.user_id = \(bind: id) ORDER BY p.key
                """).all().map { try $0.decode(column: "key", as: String.self) }
            result.append(UserView(email: try row.decode(column: "email", as: String.self),
                                   role: UserRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .salesperson,
                                   organizationKey: try row.decode(column: "organization_key", as: String?.self), partnershipKeys: partnerships,
                                   createdAt: try row.decode(column: "created_at", as: String.self),
                                   disabled: try row.decode(column: "disabled_at", as: String?.self) != nil))
        }
        return result
    }

    /// The stored password hash of an enabled user, for signing in.
    public func passwordHash(email: String) async throws -> (userID: Int64, hash: String)? {
        guard let address = Self.normalized(email: email), let row = try await sql.raw("""
            SELECT id, password_hash FROM users WHERE workspace_id = \(bind: workspaceID) AND email = \(bind: address) AND disabled_at IS NULL
            """).first() else { return nil }
        return (try row.decode(column: "id", as: Int64.self), try row.decode(column: "password_hash", as: String.self))
    }

    /// Disables a user (their tokens and sessions stop working at once, their sessions are
    /// deleted) or enables them again. The user stays, so that the audit trail keeps its names.
    public func setDisabled(email: String, _ disabled: Bool, now: String, actor: String) async throws {
        try await write { repo in
            let user = try await repo.userID(email: email)
            try await repo.sql.update("users").set("disabled_at", to: disabled ? SQLBind(now) : SQLLiteral.null).where("id", .equal, user).run()
            if disabled { try await repo.sql.delete(from: "sessions").where("user_id", .equal, user).run() }
            try await repo.audit(disabled ? "user.disable" : "user.enable", actor: actor, target: Self.normalized(email: email), detail: nil, now: now)
        }
    }

    /// Replaces a user's password hash and signs them out of every session.
    public func setPassword(email: String, passwordHash: String, now: String, actor: String) async throws {
        try await write { repo in
            let user = try await repo.userID(email: email)
            try await repo.sql.update("users").set("password_hash", to: SQLBind(passwordHash)).where("id", .equal, user).run()
            try await repo.sql.delete(from: "sessions").where("user_id", .equal, user).run()
            try await repo.audit("user.password", actor: actor, target: Self.normalized(email: email), detail: nil, now: now)
        }
    }

    /// Runs `body` as one write of the workspace (`Database.writeTransaction`) on a repository of
    /// its transaction, holding SQLite's write lock before it reads (`WorkspaceRepository.lockForWrite`).
    /// Users and tokens are no part of what servers cache, so the revision stays.
    private func write<T: Sendable>(_ body: @escaping @Sendable (AccountRepository) async throws -> T) async throws -> T {
        let workspaceID = self.workspaceID
        return try await database.writeTransaction(workspaceID: workspaceID) { db in
            let repo = try AccountRepository(database: db, workspaceID: workspaceID)
            try await WorkspaceRepository.lockForWrite(repo.sql)
            return try await body(repo)
        }
    }

    private func userID(email: String) async throws -> Int64 {
        guard let address = Self.normalized(email: email), let id = try await sql.raw("""
            SELECT id FROM users WHERE workspace_id = \(bind: workspaceID) AND email = \(bind: address)
            """).first()?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound(kind: "user", key: email) }
        return id
    }

    /// Stores a new API token's hash for a user; returns its number.
    public func createToken(email: String, tokenHash: String, label: String?, now: String, actor: String) async throws -> Int64 {
        try await write { repo in
            guard let address = Self.normalized(email: email), let user = try await repo.sql.raw("""
                SELECT id FROM users WHERE workspace_id = \(bind: repo.workspaceID) AND email = \(bind: address) AND disabled_at IS NULL
                """).first()?.decode(column: "id", as: Int64.self) else { throw StoreError.notFound(kind: "user", key: email) }
            guard let id = try await repo.sql.insert(into: "api_tokens").columns("workspace_id", "user_id", "token_hash", "label", "created_at")
                .values(SQLBind(repo.workspaceID), SQLBind(user), SQLBind(tokenHash), label.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null, SQLBind(now))
                .returning("id").first()?.decode(column: "id", as: Int64.self) else { throw StoreError.conflict("could not create the token") }
            try await repo.audit("token.create", actor: actor, target: address, detail: "token \(id)", now: now)
            return id
        }
    }

    public func tokens() async throws -> [TokenView] {
        try await sql.raw("""
            SELECT t.id, u.email, t.label, t.created_at, t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
            WHERE t.workspace_id = \(bind: workspaceID) ORDER BY t.id
            """).all().map {
            TokenView(id: try $0.decode(column: "id", as: Int64.self), email: try $0.decode(column: "email", as: String.self),
                      label: try $0.decode(column: "label", as: String?.self), createdAt: try $0.decode(column: "created_at", as: String.self),
                      lastUsedAt: try $0.decode(column: "last_used_at", as: String?.self), revokedAt: try $0.decode(column: "revoked_at", as: String?.self))
        }
    }

    public func revokeToken(id: Int64, now: String, actor: String) async throws {
        try await write { repo in
            guard let row = try await repo.sql.raw("SELECT revoked_at FROM api_tokens WHERE workspace_id = \(bind: repo.workspaceID) AND id = \(bind: id)").first() else {
                throw StoreError.notFound(kind: "token", key: String(id))
            }
            if try row.decode(column: "revoked_at", as: String?.self) != nil { throw StoreError.conflict("token \(id) is already revoked") }
            try await repo.sql.update("api_tokens").set("revoked_at", to: SQLBind(now)).where("id", .equal, id).run()
            try await repo.audit("token.revoke", actor: actor, target: "token \(id)", detail: nil, now: now)
        }
    }

    /// The user a token (by its hash) stands for, when it is live and of this workspace.
    /// `usedSince`: after a use recorded since this time (an hour ago), nothing is written.
    public func principal(tokenHash: String, now: String, usedSince: String? = nil) async throws -> Principal? {
        guard let row = try await sql.raw("""
            SELECT t.id AS token_id, t.last_used_at, u.id, u.email, u.role, u.organization_id, \
            (SELECT revision FROM workspaces w WHERE w.id = t.workspace_id) AS workspace_revision FROM api_tokens t JOIN users u ON u.id = t.user_id \
            WHERE t.token_hash = \(bind: tokenHash) AND t.workspace_id = \(bind: workspaceID) AND u.workspace_id = \(bind: workspaceID) \
            AND t.revoked_at IS NULL AND u.disabled_at IS NULL
            """).first() else { return nil }
        let token = try row.decode(column: "token_id", as: Int64.self)
        let found = try await principal(row)
        // Reads stay reads: a token's use is written (its last use, and the audit trail) once per
        // hour of use, not per request.
        if let last = try row.decode(column: "last_used_at", as: String?.self), last >= usedSince ?? now { return found }
        // Nobody waits for this write: while the workspace is busy (an import), a later request makes it.
        let workspaceID = self.workspaceID
        await database.ifNotBusy(workspaceID: workspaceID) {
            try await database.transaction { db in
                let repo = try AccountRepository(database: db, workspaceID: workspaceID)
                try await repo.sql.update("api_tokens").set("last_used_at", to: SQLBind(now)).where("id", .equal, token).run()
                try await repo.audit("token.use", actor: found.email, target: "token \(token)", detail: nil, now: now)
            }
        }
        return found
    }

    func principal(_ row: any SQLRow) async throws -> Principal {
        let id = try row.decode(column: "id", as: Int64.self)
        let role = UserRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .partnerGuest
        // Only a guest's partnerships limit what they see: a request of anyone else reads none.
        let partnerships = role != .partnerGuest ? [] : try await sql.raw("""
            SELECT p.key FROM user_partnerships up JOIN partnerships p ON p.id = up.partnership_id WHERE up.user_id = \(bind: id) ORDER BY p.key
            """).all().map { try $0.decode(column: "key", as: String.self) }
        let organization = try await row.decode(column: "organization_id", as: Int64?.self).asyncMap { organization in
            try await sql.raw("SELECT key FROM organizations WHERE id = \(bind: organization)").first()?.decode(column: "key", as: String.self)
        } ?? nil
        return Principal(userID: id, email: try row.decode(column: "email", as: String.self), role: role, organizationKey: organization,
                         partnershipKeys: partnerships, workspaceRevision: try row.decode(column: "workspace_revision", as: Int64?.self) ?? 0)
    }

    // MARK: - Sign-in sessions

    /// A new session for a user (stored by the hash of its cookie value), with its CSRF token.
    public func createSession(userID: Int64, tokenHash: String, csrfToken: String, now: String) async throws {
        try await database.whileWriting(workspaceID: workspaceID) {
            try await sql.insert(into: "sessions").columns("workspace_id", "user_id", "token_hash", "csrf_token", "created_at", "last_seen_at")
                .values(SQLBind(workspaceID), SQLBind(userID), SQLBind(tokenHash), SQLBind(csrfToken), SQLBind(now), SQLBind(now)).run()
        }
    }

    /// The user and CSRF token of a live session: not idle since `idleSince`, not older than
    /// `createdSince` (ISO timestamps compare as text). Expired sessions are deleted.
    /// The last-seen time is written only when it is older than `refreshBefore`, so that a page
    /// view is not a write.
    public func session(tokenHash: String, idleSince: String, createdSince: String, now: String,
                        refreshBefore: String? = nil) async throws -> (principal: Principal, csrf: String)? {
        guard let row = try await sql.raw("""
            SELECT s.id AS session_id, s.csrf_token, s.created_at, s.last_seen_at, u.id, u.email, u.role, u.organization_id, \
            (SELECT revision FROM workspaces w WHERE w.id = s.workspace_id) AS workspace_revision FROM sessions s             JOIN users u ON u.id = s.user_id WHERE s.token_hash = \(bind: tokenHash) AND s.workspace_id = \(bind: workspaceID)             AND u.workspace_id = \(bind: workspaceID) AND u.disabled_at IS NULL
            """).first() else { return nil }
        let id = try row.decode(column: "session_id", as: Int64.self)
        // Nobody waits for these writes: while the workspace is busy (an import), a later request makes them.
        guard try row.decode(column: "last_seen_at", as: String.self) >= idleSince, try row.decode(column: "created_at", as: String.self) >= createdSince else {
            await database.ifNotBusy(workspaceID: workspaceID) { try await sql.delete(from: "sessions").where("id", .equal, id).run() }
            return nil
        }
        if try row.decode(column: "last_seen_at", as: String.self) < refreshBefore ?? now {
            await database.ifNotBusy(workspaceID: workspaceID) {
                try await sql.update("sessions").set("last_seen_at", to: SQLBind(now)).where("id", .equal, id).run()
            }
        }
        return (try await principal(row), try row.decode(column: "csrf_token", as: String.self))
    }

    public func deleteSession(tokenHash: String) async throws {
        try await database.whileWriting(workspaceID: workspaceID) {
            try await sql.delete(from: "sessions").where("token_hash", .equal, tokenHash).where("workspace_id", .equal, workspaceID).run()
        }
    }

    /// The latest time until which any of `subjects` may not try to sign in (ISO timestamps).
    public func signInBlockedUntil(_ subjects: [String]) async throws -> String? {
        guard !subjects.isEmpty else { return nil }
        return try await sql.select().column(SQLFunction("MAX", args: SQLColumn("blocked_until")), as: "until").from("sign_in_failures")
            .where("workspace_id", .equal, workspaceID).where("subject", .in, subjects)
            .first()?.decode(column: "until", as: String?.self)
    }

    /// Counts one more failed sign-in of `subject` and returns the count; a count whose last
    /// failure is older than `forgetBefore` starts again. One statement, so that servers sharing
    /// the database never lose a count.
    public func countFailedSignIn(_ subject: String, now: String, forgetBefore: String) async throws -> Int {
        let row = try await database.whileWriting(workspaceID: workspaceID) { try await sql.raw("""
            INSERT INTO sign_in_failures (workspace_id, subject, failures, last_failure_at) VALUES (\(bind: workspaceID), \(bind: subject), 1, \(bind: now)) \
            ON CONFLICT (workspace_id, subject) DO UPDATE SET last_failure_at = \(bind: now), \
            failures = CASE WHEN sign_in_failures.last_failure_at < \(bind: forgetBefore) THEN 1 ELSE sign_in_failures.failures + 1 END \
            RETURNING failures
            """).first() }
        return try row?.decode(column: "failures", as: Int.self) ?? 1
    }

    public func blockSignIn(_ subject: String, until: String) async throws {
        try await database.whileWriting(workspaceID: workspaceID) {
            try await sql.update("sign_in_failures").set("blocked_until", to: SQLBind(until))
                .where("workspace_id", .equal, workspaceID).where("subject", .equal, subject).run()
        }
    }

    public func forgetFailedSignIns(_ subjects: [String]) async throws {
        guard !subjects.isEmpty else { return }
        try await database.whileWriting(workspaceID: workspaceID) {
            try await sql.delete(from: "sign_in_failures").where("workspace_id", .equal, workspaceID)
                .where("subject", .in, subjects).run()
        }
    }

    /// Appends to the audit trail (which nothing updates or deletes).
    public func audit(_ action: String, actor: String?, target: String?, detail: String?, address: String? = nil, now: String) async throws {
        let values: [any SQLExpression] = [SQLBind(workspaceID), SQLBind(now), actor.map { SQLBind($0) } ?? SQLLiteral.null, SQLBind(action),
                                           target.map { SQLBind($0) } ?? SQLLiteral.null, detail.map { SQLBind($0) } ?? SQLLiteral.null,
                                           address.map { SQLBind($0) } ?? SQLLiteral.null]
        // Not queued for the workspace: an entry follows a write that has been made, and must not
        // wait for the writes queued behind it (nor fail that request for them). One row, which
        // on PostgreSQL never waits for the workspace's row either.
        try await sql.insert(into: "audit_events").columns("workspace_id", "at", "actor", "action", "target", "detail", "address").values(values).run()
    }

    public func auditTrail(limit: Int) async throws -> [AuditEntry] {
        try await sql.raw("""
            SELECT id, at, actor, action, target, detail, address FROM audit_events WHERE workspace_id = \(bind: workspaceID) \
            ORDER BY id DESC LIMIT \(literal: min(max(limit, 1), 10_000))
            """).all().map {
            AuditEntry(id: try $0.decode(column: "id", as: Int64.self), at: try $0.decode(column: "at", as: String.self),
                       actor: try $0.decode(column: "actor", as: String?.self), action: try $0.decode(column: "action", as: String.self),
                       target: try $0.decode(column: "target", as: String?.self), detail: try $0.decode(column: "detail", as: String?.self),
                       address: try $0.decode(column: "address", as: String?.self))
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
