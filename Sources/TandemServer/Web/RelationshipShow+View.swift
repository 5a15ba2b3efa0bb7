import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// What a relationship's page shows.
extension RelationshipShow {
    static func view(_ req: Request, _ model: Model) -> Response {
        let relationship = model.relationship, home = relationship.homePerson, counterpart = relationship.counterpartPerson
        let people = model.assessed.personNames, months = model.months, history = model.history, together = model.together
        let organizations = Dictionary(model.assessed.snapshot.organizations.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        let chart = LineChart(id: "strength", title: "Strength over three years",
                              description: "From \(String(format: "%.0f", history.first ?? 0)) to \(String(format: "%.0f", relationship.strength)) (0 to 100); the factors below explain today's value.",
                              labels: months.map { String($0.description.prefix(7)) },
                              series: [.init(name: "Strength", values: history, color: "#0a4fa3")], range: 0...100)
        let homeName = people[home] ?? home, counterpartName = people[counterpart] ?? counterpart
        let facts: [(String, String)] = [
            ("Strength", String(format: "%.0f of 100", relationship.strength)), ("Stage", relationship.stage.rawValue),
            ("Trend", "\(relationship.trend.rawValue) (\(String(format: "%+.0f", relationship.trendPoints)) points)"),
            ("Reciprocity", String(format: "%.2f (1: both sides start dealings equally often)", relationship.reciprocity)),
            ("Transactional share", String(format: "%.0f%%", relationship.transactionalShare * 100)),
            ("Dealings", "\(relationship.dealings): \(relationship.initiatedByHome) started by us, \(relationship.initiatedByCounterpart) by them"),
            ("Known since", "\(relationship.firstContact), last contact \(relationship.lastContact)"),
        ]
        return Layout.page(req, title: "\(homeName) and \(counterpartName)", section: nil,
            .h1(.a(.href(Link.person(home)), .text(homeName)), .text(" and "), .a(.href(Link.person(counterpart)), .text(counterpartName))),
            .p(.class("muted"), .text("Ours and theirs"),
               .unwrap(relationship.counterpartOrganization) { key in .group(.text(" ("), .a(.href(Link.organization(key)), .text(organizations[key] ?? key)), .text(")")) },
               .text(relationship.bothInPlace ? " · both still in their jobs" : " · one of them has moved on")),
            .p(.a(.href(Link.query("/interactions/new", [("person", counterpart), ("with", home)])), .text("Log an interaction between them"))),
            .unwrap(relationship.cooling) { cooling in
                .p(.class("panel warn"), .text("Cooling since \(cooling.since): \(cooling.dealingsSince) dealing\(cooling.dealingsSince == 1 ? "" : "s") since, against \(cooling.dealingsBefore) in the year before."))
            },
            .dl(.class("facts"), .forEach(facts) { fact in .group(.dt(.text(fact.0)), .dd(.text(fact.1))) }),
            .section(.attribute(named: "aria-labelledby", value: "over-time"),
                .h2(.id("over-time"), .text("Strength over time")),
                .div(.class("scroll"), .raw(chart.render()))),
            .section(.attribute(named: "aria-labelledby", value: "why"),
                .h2(.id("why"), .text("Why it stands at \(String(format: "%.0f", relationship.strength))")),
                .div(.class("scroll"), .table(
                    .thead(.tr(.th(.text("Factor")), .th(.class("number"), .text("Points")), .th(.text("Detail")))),
                    .tbody(.forEach(relationship.explanation) { factor in
                        .tr(.td(.text(factor.factor.replacingOccurrences(of: "_", with: " "))), .td(.class("number"), .text(String(format: "%+.1f", factor.points))), .td(.text(factor.detail)))
                    })))),
            .section(.attribute(named: "aria-labelledby", value: "history"),
                .h2(.id("history"), .text("Their dealings (\(together.total))")),
                together.total > together.latest.count ? .p(.class("muted"), .text("The \(together.latest.count) most recent.")) : .empty,
                InteractionList.table(together.latest, people: people))
        )
    }
}
