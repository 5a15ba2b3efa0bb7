import Foundation
import Plot
import TandemCore
import Vapor

/// Finds people and organizations by name or key, ignoring case and accents ("muller" finds
/// "Müller"), from the workspace in memory.
struct Finder {
    struct Match: Content {
        var key: String
        var name: String
        /// Where a person works now (their latest job), or an organization's kind.
        var detail: String
    }

    let snapshot: Snapshot

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    func people(matching query: String, limit: Int) -> [Match] {
        let needle = Self.fold(query)
        guard !needle.isEmpty else { return [] }
        let jobs = snapshot.employmentsByPerson()
        var starts: [Match] = [], contains: [Match] = []
        for (index, person) in snapshot.people.enumerated() {
            let name = Self.fold(person.name), key = Self.fold(person.key)
            guard name.contains(needle) || key.contains(needle) else { continue }
            let job = jobs[index].max { $0.start < $1.start }
            let detail = job.map { "\(snapshot.organizations[$0.organization].name), \($0.function.rawValue.replacingOccurrences(of: "_", with: " "))" } ?? ""
            let match = Match(key: person.key, name: person.name, detail: detail)
            if name.hasPrefix(needle) || key == needle || name.contains(" " + needle) { starts.append(match) } else { contains.append(match) }
            if starts.count >= limit { break }
        }
        return Array((starts + contains).prefix(limit))
    }

    func organizations(matching query: String, limit: Int) -> [Match] {
        let needle = Self.fold(query)
        guard !needle.isEmpty else { return [] }
        return Array(snapshot.organizations.filter { Self.fold($0.name).contains(needle) || Self.fold($0.key).contains(needle) }
            .prefix(limit).map { Match(key: $0.key, name: $0.name, detail: $0.kind?.rawValue.replacingOccurrences(of: "_", with: " ") ?? "") })
    }

    /// The person an entry names: a key, "Name (key)" as the suggestions write it, or a name
    /// only one person has. Otherwise the candidates, to say what is ambiguous.
    func person(_ entry: String) -> (key: String?, candidates: [Match]) {
        let text = entry.trimmingCharacters(in: .whitespaces)
        if snapshot.people.contains(where: { $0.key == text }) { return (text, []) }
        // "Name (key)": the key may itself hold parentheses, so every " (" is tried.
        if text.hasSuffix(")") {
            var searchEnd = text.endIndex
            while let open = text.range(of: " (", options: .backwards, range: text.startIndex..<searchEnd) {
                let key = String(text[open.upperBound..<text.index(before: text.endIndex)])
                if snapshot.people.contains(where: { $0.key == key }) { return (key, []) }
                searchEnd = open.lowerBound
            }
        }
        let folded = Self.fold(text)
        let exact = snapshot.people.filter { Self.fold($0.name) == folded }
        if exact.count == 1 { return (exact[0].key, []) }
        return (nil, exact.isEmpty ? people(matching: text, limit: 5) : exact.prefix(5).map { Match(key: $0.key, name: $0.name, detail: "") })
    }
}

enum SearchPage {
    static func render(_ req: Request) async throws -> Response {
        let query = req.parameter("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        let finder = Finder(snapshot: try await req.workspace.assessed(asOf: req.today).snapshot)
        let people = finder.people(matching: query, limit: 50), organizations = finder.organizations(matching: query, limit: 50)
        return Layout.page(req, title: query.isEmpty ? "Search" : "Search: \(query)", section: .search,
            .h1(.text("Search people and organizations")),
            .form(.class("inline"), .method(.get), .action("/search"), .attribute(named: "role", value: "search"),
                  .label(.for("q"), .text("Name or key ")),
                  .input(.id("q"), .name("q"), .type(.search), .value(SVG.escape(query)), .attribute(named: "autocomplete", value: "off")),
                  .button(.type(.submit), .text("Search"))),
            query.isEmpty ? .empty : .group(
                .h2(.text("Organizations (\(organizations.count))")),
                organizations.isEmpty ? .p(.text("None found.")) : .ul(.forEach(organizations) { match in
                    .li(.a(.href(Link.organization(match.key)), .text(match.name)), .span(.class("muted"), .text(" · \(match.detail) · \(match.key)")))
                }),
                .h2(.text("People (\(people.count))")),
                people.isEmpty ? .p(.text("None found.")) : .ul(.forEach(people) { match in
                    .li(.a(.href(Link.person(match.key)), .text(match.name)), .span(.class("muted"), .text(" · \(match.detail) · \(match.key)")))
                })))
    }

    /// Suggestions for the people fields of the forms, as JSON: `[{key, name, detail}]`.
    static func suggest(_ req: Request) async throws -> [Finder.Match] {
        guard let query = req.parameter("q"), query.count <= 200 else { return [] }
        return Finder(snapshot: try await req.workspace.assessed(asOf: req.today).snapshot).people(matching: query, limit: 12)
    }
}
