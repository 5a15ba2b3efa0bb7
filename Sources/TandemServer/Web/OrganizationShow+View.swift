import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// What an organization's page shows.
extension OrganizationShow {
    static func view(_ req: Request, _ model: Model) -> Response {
        let organization = model.organization, key = organization.key, people = model.assessed.personNames
        let relationships = model.relationships, branches = model.branches
        let facts = [organization.kind.rawValue.replacingOccurrences(of: "_", with: " "), organization.country, organization.currency]
            .compactMap { $0 }.joined(separator: " · ")
        return Layout.page(req, title: organization.name, section: nil,
            .h1(.text(organization.name)),
            .p(.class("muted"), .text(facts),
               .unwrap(model.assessment) { .group(.text(" · "), .span(.class("badge \($0.classification.rawValue)"), .text(Dashboard.label($0.classification)))) },
               .unwrap(model.partnership) { .group(.text(" · "), .a(.href(Link.partnership($0.key)), .text("partnership \($0.key) (\($0.status.rawValue))"))) }),
            organization.isHome ? .p(.text("This is the home company: the others are assessed against it.")) : .empty,
            .unwrap(model.assessment) { tests($0) },
            .unwrap(model.assessment) { orderSeeker($0, people: people) },
            relationships.isEmpty ? .empty : network(Array(relationships.prefix(40)), state: model.assessed.state),
            relationships.isEmpty ? .empty : relationshipTable(relationships, people: people, limit: 40),
            branches.isEmpty ? .empty : branchTable(branches, people: people),
            organization.isHome ? .empty : salesChart(model.withSales, key: key)
        )
    }

    static func tests(_ assessment: Assessment) -> Node<HTML.BodyContext> {
        let criteria = assessment.criteria
        let rows: [(String, CriterionResult)] = [("Commitment", criteria.commitment), ("Common goal", criteria.commonGoal),
                                                 ("Combined assets", criteria.combinedAssets), ("Shared risk", criteria.sharedRisk),
                                                 ("Interdependence", criteria.interdependence)]
        return .section(.attribute(named: "aria-labelledby", value: "tests"),
            .h2(.id("tests"), .text("Is it a partnership? The five tests")),
            .ul(.forEach(assessment.reasons) { .li(.text($0)) }),
            .div(.class("scroll"), .table(
                .thead(.tr(.th(.text("Test")), .th(.text("Result")), .th(.text("Evidence")))),
                .tbody(.forEach(rows) { row in
                    .tr(.th(.attribute(named: "scope", value: "row"), .text(row.0)),
                        .td(.span(.class("badge result-\(row.1.result.rawValue)"), .text(row.1.result.rawValue))),
                        .td(row.1.evidence.isEmpty ? .text("—") : .ul(.forEach(row.1.evidence) { .li(.text($0)) })))
                }))))
    }

    static func orderSeeker(_ assessment: Assessment, people: any NameLookup) -> Node<HTML.BodyContext> {
        .section(.class(assessment.orderSeeker.flagged ? "panel warn" : "panel"), .attribute(named: "aria-labelledby", value: "orders"),
            .h2(.id("orders"), .text(assessment.orderSeeker.flagged ? "Order-seeker: their words run ahead of their deeds" : "Order-seeker signals: none")),
            .p(.class("muted"), .text("For the home company's eyes only; partner guests never see this.")),
            .ul(.forEach(assessment.orderSeeker.evidence) { .li(.text($0)) }),
            assessment.orderSeekerPeople.isEmpty ? .empty : .p(.text("People who mostly ask for orders and prices: "),
                .group(assessment.orderSeekerPeople.enumerated().map { index, key in
                    .group(index == 0 ? .empty : .text(", "), .a(.href(Link.person(key)), .text(people[key] ?? key)))
                })))
    }

    /// The 40 strongest relationships as a network: who on our side knows whom on theirs.
    static func network(_ relationships: [Relationship], state: AssessmentState) -> Node<HTML.BodyContext> {
        var people: [Network.Person] = [], position: [String: Int] = [:]
        func add(_ key: String, home: Bool) -> Int {
            if let existing = position[key] { return existing }
            let function = state.person(withKey: key).flatMap { state.jobs(of: $0).max { $0.start < $1.start }?.function.rawValue } ?? "other"
            people.append(Network.Person(key: key, name: state.name(ofPerson: key) ?? key, home: home, function: function,
                                         href: Link.person(key)))
            position[key] = people.count - 1
            return people.count - 1
        }
        let ties = relationships.map { relationship in
            Network.Tie(a: add(relationship.homePerson, home: true), b: add(relationship.counterpartPerson, home: false), strength: relationship.strength)
        }
        let chart = Network(id: "network", title: "Who knows whom: the strongest relationships", people: people, ties: ties)
        return .section(.attribute(named: "aria-labelledby", value: "network"),
            .h2(.id("network"), .text("The network")),
            .p(.class("muted"), .text("Lines are relationships, thicker and greener when stronger; the table below lists them.")),
            .div(.class("scroll"), .raw(chart.render())))
    }

    static func relationshipTable(_ relationships: [Relationship], people: any NameLookup, limit: Int) -> Node<HTML.BodyContext> {
        .section(.attribute(named: "aria-labelledby", value: "relationships"),
            .h2(.id("relationships"), .text("Relationships with us (\(relationships.count))")),
            .div(.class("scroll"), .table(
                .thead(.tr(.th(.text("Theirs")), .th(.text("Ours")), .th(.class("number"), .text("Strength")), .th(.text("Stage")),
                           .th(.text("Trend")), .th(.text("Last contact")), .th(.text("")))),
                .tbody(.forEach(relationships.prefix(limit)) { relationship in
                    .tr(.td(.a(.href(Link.person(relationship.counterpartPerson)), .text(people[relationship.counterpartPerson] ?? relationship.counterpartPerson))),
                        .td(.a(.href(Link.person(relationship.homePerson)), .text(people[relationship.homePerson] ?? relationship.homePerson))),
                        .td(.class("number"), .text(String(format: "%.0f", relationship.strength))),
                        .td(.text(relationship.stage.rawValue)), .td(.text(relationship.trend.rawValue)),
                        .td(.text(relationship.lastContact.description)),
                        .td(.a(.href(Link.relationship(relationship.homePerson, relationship.counterpartPerson)), .text("why?"))))
                }))),
            relationships.count > limit ? .p(.class("muted"), .text("The \(limit) strongest of \(relationships.count).")) : .empty)
    }

    /// The branches with their coverage; with `organizations`, each row names its organization.
    static func branchTable(_ branches: [BranchCoverage], people: any NameLookup, organizations: [String: String]? = nil) -> Node<HTML.BodyContext> {
        func strength(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "none" }
        return .section(.attribute(named: "aria-label", value: "Branches"),
            organizations == nil ? .h2(.id("branches"), .text("Branches and their coverage")) : .empty,
            .div(.class("scroll"), .table(
                .thead(.tr(organizations == nil ? .empty : .th(.text("Organization")), .th(.text("Branch")), .th(.text("Territory")),
                           .th(.class("number"), .text("Inside sales")),
                           .th(.class("number"), .text("Outside sales")), .th(.text("Carried by")), .th(.text("Notes")))),
                .tbody(.forEach(branches) { branch in
                    .tr(.unwrap(organizations) { names in .td(.a(.href(Link.organization(branch.organizationKey)), .text(names[branch.organizationKey] ?? branch.organizationKey))) },
                        .td(.text(branch.branchKey)),
                        .td(.unwrap(branch.territoryCode) { .a(.href(Link.territory($0)), .text($0)) }),
                        .td(.class("number"), .text(strength(branch.insideSales))), .td(.class("number"), .text(strength(branch.outsideSales))),
                        .td(.group(branch.carriedBy.prefix(3).enumerated().map { index, key in
                            .group(index == 0 ? .empty : .text(", "), .a(.href(Link.person(key)), .text(people[key] ?? key)))
                        })),
                        .td(.text([branch.uncovered ? "never dealt with us" : nil, branch.singleThreaded ? "single-threaded" : nil,
                                   branch.gaps.isEmpty ? nil : "gap: " + branch.gaps.map { $0.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")]
                            .compactMap { $0 }.joined(separator: "; "))))
                }))))
    }

    /// The last 24 months of our lines through the organization's branches, in its main currency.
    static func salesChart(_ snapshot: Snapshot, key: String) -> Node<HTML.BodyContext> {
        var query = SalesQuery(groupBy: [.period], grain: .month, organization: key)
        guard query.problems(in: snapshot).isEmpty else { return .empty }
        let year = SalesReport.summary(snapshot, query: query)
        guard let to = YearMonth(year.to) else { return .empty }
        query.from = to.adding(months: -23)
        query.to = to
        let rows = SalesReport.summary(snapshot, query: query).rows
        let currencies = Dictionary(grouping: rows, by: \.currency)
        guard let (currency, inCurrency) = currencies.max(by: { $0.value.count < $1.value.count }), !inCurrency.isEmpty else { return .empty }
        let months = (0..<24).map { query.from!.adding(months: $0).description }
        let byMonth = Dictionary(inCurrency.compactMap { row in row.period.map { ($0, row.figures) } }, uniquingKeysWith: { first, _ in first })
        func values(_ figure: (SalesFigures) -> Double) -> [Double?] { months.map { byMonth[$0].map(figure) } }
        let chart = LineChart(id: "sales", title: "Sell-through and gross profit, \(currency), by month",
                              description: "Our lines through \(key)'s branches over 24 months; the table below gives the figures.",
                              labels: months, series: [
                                .init(name: "Sell-through", values: values(\.sellThrough), color: "#0a4fa3"),
                                .init(name: "Sell-in", values: values(\.sellIn), color: "#6b6b6b"),
                                .init(name: "Our gross profit", values: values(\.manufacturerGrossProfit), color: "#1e7b34"),
                                .init(name: "Their gross profit", values: values(\.distributorGrossProfit), color: "#a85c00"),
                              ], range: nil)
        return .section(.attribute(named: "aria-labelledby", value: "sales"),
            .h2(.id("sales"), .text("Sales and profit for both sides")),
            .div(.class("scroll"), .raw(chart.render())),
            .details(.summary(.text("The figures")), .div(.class("scroll"), .table(
                .thead(.tr(.th(.text("Month")), .th(.class("number"), .text("Sell-in")), .th(.class("number"), .text("Sell-through")),
                           .th(.class("number"), .text("Our gross profit")), .th(.class("number"), .text("Their gross profit")))),
                .tbody(.forEach(months) { month in
                    .tr(.td(.text(month)),
                        .forEach([\SalesFigures.sellIn, \.sellThrough, \.manufacturerGrossProfit, \.distributorGrossProfit]) { figure in
                            .td(.class("number"), .text(byMonth[month].map { Self.money($0[keyPath: figure]) } ?? "—"))
                        })
                })))))
    }

    static func money(_ value: Double) -> String { value.formatted(.number.precision(.fractionLength(0))) }
}
