import FluentKit
import SQLKit

/// The configured database is not an SQL database; only a misconfigured build can get here.
public struct NotAnSQLDatabase: Error, CustomStringConvertible {
    public var description: String { "Tandem needs an SQL database (SQLite or PostgreSQL)" }
}

extension Database {
    /// The same database seen through SQLKit. Both of Tandem's drivers are SQL databases; this
    /// is the one place that relies on it, and it throws rather than crashes.
    public func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw NotAnSQLDatabase() }
        return sql
    }
}
