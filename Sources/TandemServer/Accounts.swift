import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// Passwords and tokens: Bcrypt (cost 12) for passwords, random 256-bit tokens stored as their
/// SHA-256. Nothing here ever stores or logs a secret.
public enum Accounts {
    public static let bcryptCost = 12
    public static let minimumPasswordLength = 12

    public enum Problem: Error, CustomStringConvertible, Equatable {
        case weakPassword

        public var description: String {
            switch self {
            case .weakPassword: "a password has at least \(Accounts.minimumPasswordLength) characters"
            }
        }
    }

    /// The Bcrypt hash of a password of at least 12 characters (slow on purpose: call it off the event loop).
    public static func hash(password: String) throws -> String {
        guard password.count >= minimumPasswordLength else { throw Problem.weakPassword }
        return try Bcrypt.hash(password, cost: bcryptCost)
    }

    /// A hash nobody's password matches, checked for unknown addresses so that they take as long as known ones.
    static let decoyHash: String = (try? Bcrypt.hash(newPassword(), cost: bcryptCost)) ?? ""

    public static func verify(password: String, hash: String) -> Bool {
        (try? Bcrypt.verify(password, created: hash)) ?? false
    }

    /// A new secret: `tdm_` and 43 characters of base64url (256 random bits).
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "tdm_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// What is stored of a token: its SHA-256, in hex.
    public static func digest(_ token: String) -> String {
        // Every request with a session or a token computes one: hex by hand, not String(format:)
        // (which cost more than the hash).
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A random password of 20 characters (for `tandem user add --demo`).
    public static func newPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Now, in UTC, as the audit trail and the account tables store it.
    public static func now() -> String { UTCTimestamp.now() }

    /// A moment as the account tables store it (`UTCTimestamp`).
    public static func timestamp(_ date: Date) -> String { UTCTimestamp.string(date) }
}
