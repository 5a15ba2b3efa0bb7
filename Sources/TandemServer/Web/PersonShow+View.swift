import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// What a person's page shows.
extension PersonShow {
    static func view(_ req: Request, _ model: Model) -> Response {
        let person = model.person, key = person.key, snapshot = model.assessed.snapshot, today = model.assessed.asOf
        let organizations = Dictionary(snapshot.organizations.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let people = model.assessed.personNames, histories = model.histories, relationships = model.relationships, recent = model.recent
        let jobs = (person.employments ?? []).sorted { $0.startDate < $1.startDate }
        let current = jobs.filter { $0.endDate.map { $0 >= today } ?? true }
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
                        let relationship = relationships[Model.pair(history.home, history.counterpart)]
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
