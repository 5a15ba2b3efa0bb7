import TandemCore
import TandemStore
import Vapor

extension ListQuery {
    /// Reads the list parameters from the query string, reporting every bad one at once.
    init(_ request: Request, kinds: [String] = []) throws {
        self.init()
        var checks = FieldChecks()
        /// Text filters treat an empty value as absent; typed parameters must hold a value when given.
        func text(_ name: String) -> String? {
            guard let value = request.query[String.self, at: name], !value.isEmpty else { return nil }
            return value
        }
        func typed(_ name: String) -> String? { request.query[String.self, at: name] }
        if let value = typed("limit") {
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
        if let value = typed("function") {
            function = JobFunction(rawValue: value)
            if function == nil { checks.fail("function", "\"\(value)\" is not one of \(JobFunction.spellings)") }
        }
        if let value = typed("kind") {
            if kinds.contains(value) { kind = value }
            else { checks.fail("kind", "\"\(value)\" is not one of \(kinds.map { "`\($0)`" }.joined(separator: ", "))") }
        }
        for name in ["from", "to"] {
            guard let value = typed(name) else { continue }
            guard let date = LocalDate(value) else {
                checks.fail(name, "\"\(value)\": expected a date YYYY-MM-DD, e.g. 2024-03-05")
                continue
            }
            if name == "from" { from = date } else { to = date }
        }
        if let value = typed("current") {
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
    /// A path parameter (the router has already percent-decoded it).
    func key(_ name: String = "key") throws -> String {
        guard let value = parameters.get(name) else { throw Abort(.badRequest, reason: "missing \(name) in the path") }
        return value
    }

    /// A JSON body, with a precise message when it is not a JSON object of the expected shape.
    func body<T: Decodable>(_ type: T.Type) throws -> T {
        guard headers.contentType == .json else {
            throw Abort(.unsupportedMediaType, reason: "send the body as application/json")
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
