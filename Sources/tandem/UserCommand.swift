import ArgumentParser
import Foundation
import TandemCore
import TandemServer
import TandemWorkspace

/// Opens the workspace (which must exist), runs `body` and closes it; store errors become
/// messages, with each field named as its command-line flag.
func withWorkspace<T>(_ data: DataOptions, flag: (String) -> String = { "--" + $0.replacingOccurrences(of: "_", with: "-") },
                      _ body: (TandemWorkspace) async throws -> T) async throws -> T {
    let workspace: TandemWorkspace
    do {
        workspace = try await TandemWorkspace.open(data.location, name: data.workspace, creating: false, logger: commandLogger())
    } catch WorkspaceError.notFound(let name) {
        printError("no workspace \"\(name)\" in this database (see tandem workspaces)")
        throw ExitCode(1)
    }
    do {
        let result = try await body(workspace)
        await workspace.close()
        return result
    } catch let error as StoreError {
        await workspace.close()
        switch error {
        case let .invalid(issues): for issue in issues { printError("\(flag(issue.field)): \(issue.message)") }
        default: printError(error.description)
        }
        throw ExitCode(1)
    } catch {
        await workspace.close()
        throw error
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, list, disable and enable the users of a workspace, and set their passwords.",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Password.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user. The password (12 characters or more) is read from standard input when that is not a terminal, else asked for.",
            discussion: "With --demo, creates an admin and a partner guest (of the first active partnership's counterpart) and prints their credentials."
        )

        @OptionGroup var data: DataOptions
        @Option(help: "The user's e-mail address (their sign-in name).") var email: String?
        @Option(help: "admin, manager, salesperson or partner_guest.") var role: String?
        @Option(help: ArgumentHelp("A partner guest's organization.", valueName: "key")) var organization: String?
        @Option(help: ArgumentHelp("A partnership a guest is invited to (repeat for more).", valueName: "key")) var partnership: [String] = []
        @Flag(help: "Create a demo admin and partner guest with generated passwords.") var demo = false

        func validate() throws {
            if demo { return }
            guard email != nil, let role else { throw ValidationError("--email and --role are required (or --demo)") }
            if UserRole(rawValue: role) == nil { throw ValidationError("--role must be one of \(UserRole.spellings)") }
        }

        func run() async throws {
            if demo { return try await runDemo() }
            let hash = try readPasswordHash()
            let user = try await withWorkspace(data) { workspace in
                try await workspace.createUser(email: email!, passwordHash: hash, role: UserRole(rawValue: role!)!, organizationKey: organization,
                                              partnershipKeys: partnership, now: Accounts.now(), actor: "cli")
            }
            print("added \(user.email) (\(user.role.rawValue)) to workspace \"\(data.workspace)\"")
        }

        func runDemo() async throws {
            let adminPassword = Accounts.newPassword(), guestPassword = Accounts.newPassword()
            let adminHash = try Accounts.hash(password: adminPassword), guestHash = try Accounts.hash(password: guestPassword)
            let (admin, guest) = try await withWorkspace(data) { workspace in
                let admin = try await workspace.createUser(email: "admin@tandem.example", passwordHash: adminHash, role: .admin, organizationKey: nil,
                                                          partnershipKeys: [], now: Accounts.now(), actor: "cli")
                let active = try await workspace.partnerships(limit: 500, cursor: nil, counterpart: nil, status: PartnershipStatus.active.rawValue).items
                guard let first = active.first else { return (admin, nil as UserView?) }
                let guest = try await workspace.createUser(email: "guest@\(first.counterpartKey).example", passwordHash: guestHash, role: .partnerGuest,
                                                          organizationKey: first.counterpartKey, partnershipKeys: [first.key],
                                                          now: Accounts.now(), actor: "cli")
                return (admin, guest)
            }
            print("admin:         \(admin.email)  password: \(adminPassword)")
            if let guest {
                print("partner guest: \(guest.email)  password: \(guestPassword)  (\(guest.organizationKey ?? ""), partnership \(guest.partnershipKeys.joined(separator: ", ")))")
            } else {
                print("no active partnership yet: no partner guest created")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users.")
        @OptionGroup var data: DataOptions
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() async throws {
            let users = try await withWorkspace(data) { workspace in try await workspace.users() }
            switch format {
            case .json: try printJSON(users)
            case .table:
                printTable([["email", "role", "organization", "partnerships", "created", "disabled"]] + users.map {
                    [$0.email, $0.role.rawValue, $0.organizationKey ?? "", $0.partnershipKeys.joined(separator: ", "), $0.createdAt, $0.disabled ? "yes" : ""]
                })
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: their tokens and sessions stop working at once.")
        @OptionGroup var data: DataOptions
        @Option(help: "The user's e-mail address.") var email: String

        func run() async throws { try await UserCommand.setDisabled(data, email: email, true) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again (their unrevoked tokens work again).")
        @OptionGroup var data: DataOptions
        @Option(help: "The user's e-mail address.") var email: String

        func run() async throws { try await UserCommand.setDisabled(data, email: email, false) }
    }

    static func setDisabled(_ data: DataOptions, email: String, _ disabled: Bool) async throws {
        try await withWorkspace(data) { workspace in try await workspace.setDisabled(email: email, disabled, now: Accounts.now(), actor: "cli") }
        print("\(disabled ? "disabled" : "enabled") \(email)")
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password (read from standard input when that is not a terminal, else asked for); signs them out everywhere.")
        @OptionGroup var data: DataOptions
        @Option(help: "The user's e-mail address.") var email: String

        func run() async throws {
            let hash = try readPasswordHash()
            try await withWorkspace(data) { workspace in try await workspace.setPassword(email: email, passwordHash: hash, now: Accounts.now(), actor: "cli") }
            print("password of \(email) set")
        }
    }
}

/// A new password's Bcrypt hash: the password from standard input when that is not a terminal,
/// else typed without echo.
func readPasswordHash() throws -> String {
    let password: String
    if isatty(0) == 0 {
        guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
            printError("password: none on standard input")
            throw ExitCode(1)
        }
        password = line
    } else {
        guard let typed = getpass("Password (12 characters or more): ") else { throw ExitCode(1) }
        password = String(cString: typed)
    }
    do { return try Accounts.hash(password: password) } catch let problem as Accounts.Problem {
        printError("password: \(problem.description)")
        throw ExitCode(1)
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "API tokens (Authorization: Bearer …): create one for a user, list them, revoke one.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token for a user and print it; it is shown this once and stored hashed.")
        @OptionGroup var data: DataOptions
        @Option(help: "The user's e-mail address.") var email: String
        @Option(help: "What the token is for.") var label: String?

        func run() async throws {
            let token = Accounts.newToken()
            let id = try await withWorkspace(data) { workspace in
                try await workspace.createToken(email: email, tokenHash: Accounts.digest(token), label: label, now: Accounts.now(), actor: "cli")
            }
            printError("token \(id) for \(email): shown once, keep it safe")
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var data: DataOptions
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() async throws {
            let tokens = try await withWorkspace(data) { workspace in try await workspace.tokens() }
            switch format {
            case .json: try printJSON(tokens)
            case .table:
                printTable([["token", "user", "label", "created", "last used", "revoked"]] + tokens.map {
                    [String($0.id), $0.email, $0.label ?? "", $0.createdAt, $0.lastUsedAt ?? "", $0.revokedAt ?? ""]
                })
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its number.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The token's number (see tandem token list).") var id: Int64

        func run() async throws {
            try await withWorkspace(data) { workspace in try await workspace.revokeToken(id: id, now: Accounts.now(), actor: "cli") }
            print("token \(id) revoked")
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail, newest first: sign-ins, failed sign-ins, users, tokens and their use, API changes, imports and exports.",
        discussion: "Append-only: nothing in Tandem changes or deletes an entry. --format csv exports it."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @OptionGroup var data: DataOptions
    @Option(help: "At most this many entries (1 to 1000000).") var limit: Int = 1000
    @Option(help: "table, json or csv.") var format: Format = .table

    func validate() throws {
        guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000000") }
    }

    func run() async throws {
        let entries = try await withWorkspace(data) { workspace in try await workspace.auditTrail(limit: limit) }
        switch format {
        case .json: try printJSON(entries)
        case .table:
            printTable([["at", "actor", "action", "target", "detail", "address"]] + entries.map {
                [$0.at, $0.actor ?? "", $0.action, $0.target ?? "", $0.detail ?? "", $0.address ?? ""]
            })
        case .csv:
            func field(_ value: String?) -> String {
                let text = value ?? ""
                return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            }
            print("id,at,actor,action,target,detail,address")
            for entry in entries {
                print([String(entry.id), entry.at, entry.actor, entry.action, entry.target, entry.detail, entry.address].map(field).joined(separator: ","))
            }
        }
    }
}

/// Appends a command-line action to the workspace's audit trail.
func auditFromCommandLine(_ workspace: TandemWorkspace, action: String, detail: String) async throws {
    try await workspace.audit(action, actor: commandLineActor, target: workspace.name, detail: detail, now: Accounts.now())
}

/// Who the audit trail names for the command line: `cli (USER)`.
var commandLineActor: String { ProcessInfo.processInfo.environment["USER"].map { "cli (\($0))" } ?? "cli" }
