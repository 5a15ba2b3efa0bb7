/// `tandem backup` and `tandem restore`: a consistent copy taken while servers run, and bringing it back.
public enum BackupFormat: String, CaseIterable, Sendable {
    /// An SQLite database whole, every workspace with its users, tokens and audit trail, as one
    /// SQLite file (`VACUUM INTO`: one read transaction, so one consistent state).
    case sqlite
    /// One workspace as a bundle (FORMATS.md) in a zip archive, exported from one snapshot: from
    /// either database, restored into either.
    case bundle
}

public struct BackupFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What a backup or a restore did.
public struct BackupSummary: Sendable {
    public var format: BackupFormat
    /// The backup file's size.
    public var bytes: Int
    /// Bundle rows written or read (bundle backups only).
    public var rows: Int?

    public init(format: BackupFormat, bytes: Int, rows: Int?) {
        self.format = format; self.bytes = bytes; self.rows = rows
    }
}
