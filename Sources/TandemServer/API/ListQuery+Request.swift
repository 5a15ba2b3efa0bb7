import Foundation
import TandemCore
import TandemWorkspace
import Vapor

extension ListQuery {
    /// Reads the list parameters from the query string, reporting every bad one at once.
    init(_ request: Request, kinds: [String] = []) throws {
        self.init()
        var checks = FieldChecks()
        func text(_ name: String) -> String? { request.parameter(name) }
        if let value = text("limit") {
            if let limit = Int(value), (1...ListQuery.maxLimit).contains(limit) { self.limit = limit }
            else { checks.fail("limit", "\"\(value)\": expected a whole number from 1 to \(ListQuery.maxLimit)") }
        }
        cursor = text("cursor")
        organization = text("organization")
        territory = text("territory")
        person = text("person")
        branch = text("branch")
        country = text("country")
        if let country, FieldRules.country(country) == nil { checks.fail("country", "\"\(country)\": \(FieldRules.countryMessage)") }
        if let value = text("function") {
            function = JobFunction(rawValue: value)
            if function == nil { checks.fail("function", "\"\(value)\" is not one of \(JobFunction.spellings)") }
        }
        if let value = text("kind") {
            if kinds.contains(value) { kind = value }
            else { checks.fail("kind", "\"\(value)\" is not one of \(kinds.map { "`\($0)`" }.joined(separator: ", "))") }
        }
        for name in ["from", "to"] {
            guard let value = text(name) else { continue }
            guard let date = LocalDate(value) else {
                checks.fail(name, "\"\(value)\": expected a date YYYY-MM-DD, e.g. 2024-03-05")
                continue
            }
            if name == "from" { from = date } else { to = date }
        }
        if let value = text("current") {
            switch value {
            case "true": current = true
            case "false": current = false
            default: checks.fail("current", "\"\(value)\": expected true or false")
            }
        }
        if let from, let to, to < from { checks.fail("to", "\(to) is before from \(from)") }
        try checks.throwIfAny()
    }
}

extension Request {
    /// A query parameter; an empty value (`?organization=`, as a form with an empty field sends)
    /// is the same as an absent one, for every parameter of the API.
    func parameter(_ name: String) -> String? {
        // The query is decoded once per request (a list reads a dozen parameters); when it does
        // not decode as plain names and values, each is read on its own, as before.
        let decoded: [String: String]?
        if let cached = storage[QueryParametersKey.self] {
            decoded = cached.values
        } else {
            decoded = try? query.decode([String: String].self)
            storage[QueryParametersKey.self] = QueryParametersKey.Value(values: decoded)
        }
        guard let value = decoded.map({ $0[name] }) ?? query[String.self, at: name], !value.isEmpty else { return nil }
        return value
    }

    /// A path parameter (the router has already percent-decoded it).
    func key(_ name: String = "key") throws -> String {
        guard let value = parameters.get(name) else { throw Abort(.badRequest, reason: "missing \(name) in the path") }
        return value
    }

    /// A form a page posted, refused like a JSON body when a field holds U+0000 (`%00`), which
    /// PostgreSQL's text cannot hold.
    func form<T: Decodable>(_ type: T.Type) throws -> T {
        let form = try content.decode(T.self)
        if let data = body.data, data.readableBytesView.firstRange(of: Array("%00".utf8)) != nil {
            throw StoreError.invalid([FieldIssue(field: "form", message: NulCharacter.message)])
        }
        return form
    }

    /// A JSON body, with a precise message when it is not a JSON object of the expected shape
    /// or when a text in it holds U+0000.
    func body<T: Decodable>(_ type: T.Type) throws -> T {
        guard headers.contentType == .json else {
            throw Abort(.unsupportedMediaType, reason: "send the body as application/json")
        }
        if let data = body.data, data.readableBytesView.contains(UInt8(ascii: "\\")),
           let json = try? JSONSerialization.jsonObject(with: Data(buffer: data), options: [.fragmentsAllowed]), let field = NulCharacter.field(in: json) {
            throw StoreError.invalid([FieldIssue(field: field, message: NulCharacter.message)])
        }
        return try content.decode(T.self)
    }
}

/// A created record: 201 with its location.
func created<T: Content>(_ value: T, at location: String) async throws -> Response {
    let response = Response(status: .created)
    try response.content.encode(value, as: .json)
    response.headers.replaceOrAdd(name: .location, value: location)
    return response
}

func pathComponent(_ value: String) -> String {
    value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? value
}

/// U+0000: JSON and URLs can carry it, PostgreSQL's text cannot hold it, and no name, key or note
/// needs it, so the API refuses it everywhere (not only on PostgreSQL, so that both databases
/// answer alike).
enum NulCharacter {
    static let message = "contains the character U+0000 (NUL), which no text may hold"

    /// The first place in a decoded JSON value with a NUL in a text or a property name.
    static func field(in value: Any, path: String = "") -> String? {
        switch value {
        case let text as String:
            return text.utf8.contains(0) ? (path.isEmpty ? "body" : path) : nil
        case let object as [String: Any]:
            for (name, member) in object {
                let inner = path.isEmpty ? name : "\(path).\(name)"
                if name.utf8.contains(0) { return inner }
                if let found = field(in: member, path: inner) { return found }
            }
        case let array as [Any]:
            for (index, member) in array.enumerated() { if let found = field(in: member, path: "\(path)[\(index)]") { return found } }
        default:
            break
        }
        return nil
    }
}

/// Refuses U+0000 in the path (404: no record has such a key) and in query parameters (422
/// naming the parameter), after authentication.
struct NulCharacterMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.url.path.contains("%00") || request.url.path.utf8.contains(0) {
            throw Abort(.notFound, reason: "no such record")
        }
        if let query = request.url.query, query.contains("%00") || query.utf8.contains(0) {
            let items = URLComponents(string: "?" + query)?.queryItems ?? []
            let bad = items.first { $0.name.utf8.contains(0) || ($0.value?.utf8.contains(0) ?? false) }
            throw StoreError.invalid([FieldIssue(field: bad?.name ?? "query", message: NulCharacter.message)])
        }
        return try await next.respond(to: request)
    }
}

private struct QueryParametersKey: StorageKey {
    struct Value { var values: [String: String]? }
}
