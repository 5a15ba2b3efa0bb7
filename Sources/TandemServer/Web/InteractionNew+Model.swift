import Foundation
import TandemCore
import TandemWorkspace
import Vapor

/// Logging an interaction in seconds: who (the first one started it), the kind and the date
/// (today unless changed) are all it takes; duration and summary are optional. People are
/// picked by name with suggestions (a list in the page, refreshed as one types when scripts run).
enum InteractionNew {
    struct Form: Content {
        var who: [String]?
        var kind: String?
        var date: String?
        var duration: String?
        var summary: String?
        var csrf: String?
    }

    static func render(_ req: Request) async throws -> Response {
        let workspace = try await req.workspace.assessed(asOf: req.today)
        let names = workspace.personNames
        // A link from a relationship or a person fills in who: ours first (we usually start what we log).
        let who = [req.parameter("with"), req.parameter("person")].compactMap { $0 }.map { key in names[key].map { "\($0) (\(key))" } ?? key }
        return page(req, recent: try await recentPeople(req, names: names), form: Form(who: who, kind: InteractionKind.visit.rawValue, date: req.today.description), errors: [], status: .ok)
    }

    static func create(_ req: Request) async throws -> Response {
        let form = try req.form(Form.self)
        guard let csrf = req.csrfToken, form.csrf == csrf else { throw Abort(.forbidden, reason: "The form expired: open it again.") }
        var errors: [String] = [], keys: [String] = []
        // The workspace in memory is let go before the save, so that folding the new interaction
        // into it (`TandemWorkspace.logInteraction`) changes it in place instead of copying it.
        do {
            let finder = Finder(snapshot: try await req.workspace.assessed(asOf: req.today).snapshot)
            for entry in (form.who ?? []).map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
                let found = finder.person(entry)
                if let key = found.key {
                    if !keys.contains(key) { keys.append(key) }
                } else if found.candidates.isEmpty {
                    errors.append("Who: nobody called “\(entry)”.")
                } else {
                    errors.append("Who: “\(entry)” could be " + found.candidates.map { "\($0.name) (\($0.key))" }.joined(separator: ", ") + "; pick one.")
                }
            }
        }
        if keys.isEmpty && errors.isEmpty { errors.append("Who: name at least the person who started it.") }
        var saved: Interaction?
        if errors.isEmpty {
            let draft = InteractionDraft(date: form.date, kind: form.kind, initiatorKey: keys[0], participantKeys: Array(keys.dropFirst()),
                                         durationMinutes: form.duration.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                                         summary: form.summary?.trimmingCharacters(in: .whitespacesAndNewlines))
            if let text = form.duration?.trimmingCharacters(in: .whitespaces), !text.isEmpty, Int(text) == nil {
                errors.append("Duration: “\(text)” is not a whole number of minutes.")
            } else {
                do {
                    saved = try await req.workspace.logInteraction(draft)
                } catch let StoreError.invalid(issues) {
                    errors += issues.map { "\($0.field.replacingOccurrences(of: "_", with: " ").capitalized): \($0.message)" }
                }
            }
        }
        let workspace = try await req.workspace.assessed(asOf: req.today)
        guard let saved else {
            return page(req, recent: try await recentPeople(req, names: workspace.personNames), form: form, errors: errors, status: .unprocessableEntity)
        }
        try await req.workspace.audit("interaction.create", actor: req.principal?.email, target: saved.key, detail: "web",
                                     address: req.clientAddress, now: Accounts.now())
        // Back to the relationship it belongs to when it is one of ours (in a job with us that day)
        // with one of theirs and already counts (not in the future), else to who started it.
        let home = workspace.snapshot.organizations.firstIndex(where: \.isHome), state = workspace.state
        let day = LocalDate(String(saved.date.prefix(10))) ?? req.today
        func isHome(_ key: String) -> Bool { state.person(withKey: key).map { state.jobs(of: $0).contains { $0.organization == home && $0.covers(day) } } ?? false }
        let ours = keys.filter(isHome), theirs = keys.filter { !isHome($0) }
        let target = ours.count >= 1 && theirs.count == 1 && day <= req.today ? Link.relationship(ours[0], theirs[0]) : Link.person(keys[0])
        return req.redirect(to: Link.query(target, [("logged", saved.key)]), redirectType: .normal)
    }

    /// Suggestions for the people fields without scripts: the people of the latest dealings
    /// (scripts refine them as one types).
    static func recentPeople(_ req: Request, names: AssessedWorkspace.PersonNames) async throws -> [String] {
        var query = ListQuery()
        query.limit = 200
        query.to = req.today
        var recent: [String] = [], seen: Set<String> = []
        for interaction in try await req.workspace.interactions(query).items {
            for key in interaction.participantKeys where seen.insert(key).inserted {
                if let name = names[key] { recent.append("\(name) (\(key))") }
            }
            if recent.count >= 200 { break }
        }
        return recent
    }
}
