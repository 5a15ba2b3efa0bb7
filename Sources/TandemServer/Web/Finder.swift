import Foundation
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
