public struct UserView: Codable, Sendable, Equatable {
    public var email: String
    public var role: UserRole
    /// A partner guest's organization; nil for the home company's users.
    public var organizationKey: String?
    /// The partnerships a partner guest was invited to.
    public var partnershipKeys: [String]
    public var createdAt: String
    public var disabled: Bool

    public init(email: String, role: UserRole, organizationKey: String? = nil, partnershipKeys: [String], createdAt: String, disabled: Bool) {
        self.email = email
        self.role = role
        self.organizationKey = organizationKey
        self.partnershipKeys = partnershipKeys
        self.createdAt = createdAt
        self.disabled = disabled
    }
}

public struct TokenView: Codable, Sendable, Equatable {
    public var id: Int64
    public var email: String
    public var label: String?
    public var createdAt: String
    public var lastUsedAt: String?
    public var revokedAt: String?

    public init(id: Int64, email: String, label: String? = nil, createdAt: String, lastUsedAt: String? = nil, revokedAt: String? = nil) {
        self.id = id
        self.email = email
        self.label = label
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

public struct AuditEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var at: String
    public var actor: String?
    public var action: String
    public var target: String?
    public var detail: String?
    public var address: String?

    public init(id: Int64, at: String, actor: String? = nil, action: String, target: String? = nil, detail: String? = nil, address: String? = nil) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.address = address
    }
}

/// Who is asking: a user of the workspace, with what they may see.
public struct Principal: Sendable, Equatable {
    public var userID: Int64
    public var email: String
    public var role: UserRole
    /// A partner guest's organization and the partnerships they were invited to.
    public var organizationKey: String?
    public var partnershipKeys: [String]
    /// The workspace's revision (`WorkspaceRepository.beginWrite`) when the caller was looked up:
    /// what a cached answer must have been computed from to be served.
    public var workspaceRevision: Int64 = 0

    public var isGuest: Bool { role == .partnerGuest }

    public init(userID: Int64, email: String, role: UserRole, organizationKey: String? = nil, partnershipKeys: [String], workspaceRevision: Int64 = 0) {
        self.userID = userID
        self.email = email
        self.role = role
        self.organizationKey = organizationKey
        self.partnershipKeys = partnershipKeys
        self.workspaceRevision = workspaceRevision
    }
}
