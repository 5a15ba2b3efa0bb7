import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// One person: their career across organizations, their relationships across the fence with a
/// strength line for the last two years, and their recent interactions.
enum PersonShow {
    /// The person as a vCard 4.0 file, for an address book.
    static func vcard(_ req: Request) async throws -> Response {
        let key = try req.key()
        guard let card = try await req.workspace.vCards(person: key) else {
            throw StoreError.notFound(kind: "person", key: key)
        }
        let filename = Matching.slug(key).isEmpty ? "person" : Matching.slug(key)
        return Response(status: .ok, headers: ["Content-Type": "text/vcard; charset=utf-8", "Cache-Control": "no-store",
                                               "Content-Disposition": "attachment; filename=\"\(filename).vcf\""], body: .init(string: card))
    }

    static func render(_ req: Request) async throws -> Response {
        let key = try req.key()
        let directory = try req.workspace
        let person = try await directory.person(key: key)
        let workspace = try await req.workspace.assessed(asOf: req.today)
        let snapshot = workspace.snapshot, report = workspace.report, today = report.asOf
        let organizations = Dictionary(snapshot.organizations.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let people = workspace.personNames
        let jobs = (person.employments ?? []).sorted { $0.startDate < $1.startDate }
        let current = jobs.filter { $0.endDate.map { $0 >= today } ?? true }
        // Quarter ends over the last two years, for the strength lines.
        let dates = (0...8).reversed().map { today.adding(days: -91 * $0) }
        let histories = RelationshipScoring().strengthHistories(in: snapshot, person: key, dates: dates,
                                                               interactions: workspace.state.person(withKey: key).map(workspace.state.interactions(of:)),
                                                             jobs: workspace.state.employmentsByPerson)
        let relationships = Dictionary(report.relationships.filter { $0.homePerson == key || $0.counterpartPerson == key }
            .map { ("\($0.homePerson)\u{1F}\($0.counterpartPerson)", $0) }, uniquingKeysWith: { first, _ in first })
        var query = ListQuery()
        query.limit = 20
        query.person = key
        let recent = try await directory.interactions(query).items
        let timeline = Timeline(id: "career", title: "\(person.name)'s career", bars: jobs.map { job in
            Timeline.Bar(label: "\(organizations[job.organizationKey]?.name ?? job.organizationKey) · \(job.function.rawValue.replacingOccurrences(of: "_", with: " "))",
                         start: job.startDate, end: job.endDate, home: organizations[job.organizationKey]?.isHome == true,
                         href: Link.organization(job.organizationKey))
        }, today: today)
        return Layout.page(req, title: person.name, section: nil,
            .h1(.text(person.name)),
            .p(.class("muted"), .text(current.isEmpty ? "No current job" : current.map { job in
                "\(job.title ?? job.function.rawValue.replacingOccurrences(of: "_", with: " ")) at \(organizations[job.organizationKey]?.name ?? job.organizationKey)"
            }.joined(separator: "; ")),
               .unwrap(person.email) { .group(.text(" · "), .a(.href("mailto:" + ($0.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.union(["@"])) ?? "")), .text($0))) },
               .unwrap(person.phone) { .text(" · \($0)") }),
            .p(.a(.href(Link.query("/interactions/new", [("person", key)])), .text("Log an interaction with \(person.name)")),
               .text(" · "), .a(.href(Link.person(key) + "/vcard"), .text("Contact card (vCard)"))),
            .section(.attribute(named: "aria-labelledby", value: "career"),
                .h2(.id("career"), .text("Career")),
                jobs.isEmpty ? .p(.text("No jobs recorded.")) : .div(.class("scroll"), .raw(timeline.render())),
                .ul(.forEach(jobs.reversed()) { job in
                    .li(.text("\(job.startDate) – \(job.endDate?.description ?? "today"): "),
                        .a(.href(Link.organization(job.organizationKey)), .text(organizations[job.organizationKey]?.name ?? job.organizationKey)),
                        .text(", \(job.function.rawValue.replacingOccurrences(of: "_", with: " "))\(job.title.map { " (\($0))" } ?? "")\(job.branchKey.map { ", branch \($0)" } ?? "")"))
                })),
            .section(.attribute(named: "aria-labelledby", value: "relationships"),
                .h2(.id("relationships"), .text("Relationships across the fence (\(histories.count))")),
                histories.isEmpty ? .p(.text("No dealings with the other side recorded.")) : .div(.class("scroll"), .table(
                    .thead(.tr(.th(.text("With")), .th(.text("Organization")), .th(.class("number"), .text("Strength")),
                               .th(.text("Two years")), .th(.text("Stage")), .th(.text("")))),
                    .tbody(.forEach(histories.prefix(60)) { history in
                        let other = history.home == key ? history.counterpart : history.home
                        let relationship = relationships["\(history.home)\u{1F}\(history.counterpart)"]
                        let organization = relationship?.counterpartOrganization.flatMap { organizations[$0] }
                        return .tr(.td(.a(.href(Link.person(other)), .text(people[other] ?? other))),
                                   .td(.unwrap(organization) { .a(.href(Link.organization($0.key)), .text($0.name)) }),
                                   .td(.class("number"), .text(String(format: "%.0f", history.strengths.last ?? 0))),
                                   .td(.raw(Sparkline(values: history.strengths, label: "strength from \(String(format: "%.0f", history.strengths.first ?? 0)) to \(String(format: "%.0f", history.strengths.last ?? 0)) over two years").render())),
                                   .td(.text(relationship?.stage.rawValue ?? "")),
                                   .td(.a(.href(Link.relationship(history.home, history.counterpart)), .text("why?"))))
                    })))),
            .section(.attribute(named: "aria-labelledby", value: "recent"),
                .h2(.id("recent"), .text("Recent interactions")),
                InteractionList.table(recent, people: people))
        )
    }
}

/// Interactions as a table: date, kind, who started it, who took part, the summary.
enum InteractionList {
    static func table(_ interactions: [Interaction], people: any NameLookup) -> Node<HTML.BodyContext> {
        guard !interactions.isEmpty else { return .p(.text("None recorded.")) }
        return .div(.class("scroll"), .table(
            .thead(.tr(.th(.text("Date")), .th(.text("Kind")), .th(.text("Started by")), .th(.text("With")), .th(.text("Summary")))),
            .tbody(.forEach(interactions) { interaction in
                .tr(.td(.text(String(interaction.date.prefix(10)))),
                    .td(.text(interaction.kind.rawValue.replacingOccurrences(of: "_", with: " "))),
                    .td(.a(.href(Link.person(interaction.initiatorKey)), .text(people[interaction.initiatorKey] ?? interaction.initiatorKey))),
                    .td(.group(interaction.participantKeys.filter { $0 != interaction.initiatorKey }.enumerated().map { index, key in
                        .group(index == 0 ? .empty : .text(", "), .a(.href(Link.person(key)), .text(people[key] ?? key)))
                    })),
                    .td(.text(interaction.summary ?? "")))
            })))
    }
}
