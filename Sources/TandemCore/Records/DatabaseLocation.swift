import Foundation

/// Where Tandem keeps its data: an SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// The default SQLite file in the working directory.
    public static let defaultSQLitePath = "tandem.sqlite"

    /// Chooses the database from, in order: an explicit `--db` value, `DATABASE_URL` when it is a
    /// `postgres://` URL, `TANDEM_DB`, then `./tandem.sqlite`.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseLocation {
        if let explicit, !explicit.isEmpty { return parse(explicit) }
        if let url = environment["DATABASE_URL"], isPostgresURL(url) { return .postgres(url: url) }
        if let path = environment["TANDEM_DB"], !path.isEmpty { return parse(path) }
        return .sqlite(path: defaultSQLitePath)
    }

    /// A `postgres://` or `postgresql://` URL means PostgreSQL; anything else is an SQLite file path.
    public static func parse(_ value: String) -> DatabaseLocation {
        isPostgresURL(value) ? .postgres(url: value) : .sqlite(path: value)
    }

    static func isPostgresURL(_ value: String) -> Bool {
        value.hasPrefix("postgres://") || value.hasPrefix("postgresql://")
    }

    /// A description safe for logs: the PostgreSQL password is masked.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite file \(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "PostgreSQL" }
            if components.password != nil { components.password = "***" }
            return "PostgreSQL \(components.string ?? "")"
        }
    }
}
