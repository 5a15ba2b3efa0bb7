import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// What the start page shows.
extension Dashboard {
    static func view(_ req: Request, _ model: Model) -> Response {
        let snapshot = model.snapshot, report = model.report, coverage = report.coverage
        let both = coverage.filter { $0.insideSales != nil && $0.outsideSales != nil }.count
        let none = coverage.filter { $0.insideSales == nil && $0.outsideSales == nil }.count
        let tiles: [(String, Int, String)] = [
            ("counterpart branches", coverage.count, ""), ("inside and outside sales covered", both, "good"),
            ("one of the two covered", coverage.count - both - none, "warn"), ("no live relationship", none, "bad"),
            ("single-threaded", coverage.filter(\.singleThreaded).count, "warn"), ("alerts", report.alerts.count, report.alerts.isEmpty ? "" : "warn"),
        ]
        let map = CoverageMap(snapshot: snapshot, coverage: coverage, territoryNames: model.territoryNames, selected: model.territory,
                              from: model.coverageFrom)
        let shown = model.classification, portfolioFrom = model.portfolioFrom
        return Layout.page(req, title: "Dashboard", section: .dashboard,
            .h1(.text("Dashboard")),
            .p(.class("muted"), .text("As of \(report.asOf) · \(snapshot.organizations.first(where: \.isHome)?.name ?? "no home organization yet")")),
            .ul(.class("tiles"), .forEach(tiles) { tile in
                .li(.class("tile \(tile.2)"), .strong(.text(tile.1.formatted())), .span(.text(tile.0)))
            }),
            .section(.attribute(named: "aria-labelledby", value: "backbone"),
                .h2(.id("backbone"), .text("Backbone coverage")),
                map.filterForm(),
                .p(.class("muted"), .text(map.legend)),
                map.pager(keep: [("classification", shown?.rawValue), ("portfolio_from", portfolioFrom == 0 ? nil : String(portfolioFrom))]),
                .div(.class("scroll"), .raw(map.heatMap().render())),
                .details(.summary(.text("The same as a table")), map.table())),
            .section(.attribute(named: "aria-labelledby", value: "alerts"),
                .h2(.id("alerts"), .text("What to act on")),
                alertList(report.alerts, snapshot: snapshot, limit: 8)),
            .section(.attribute(named: "aria-labelledby", value: "portfolio"),
                .h2(.id("portfolio"), .text("Counterparts and partnerships")),
                portfolio(report, snapshot: snapshot, shown: shown, from: portfolioFrom, territory: model.territory, coverageFrom: map.from))
        )
    }

    /// A partner guest's start page: the partnerships they were invited to, nothing else.
    static func guestView(_ req: Request, _ partnerships: [(key: String, status: String)]) -> Response {
        Layout.page(req, title: "Your partnerships", section: .dashboard,
            .h1(.text("Your partnerships")),
            partnerships.isEmpty ? .p(.text("You have not been invited to a partnership yet.")) : .ul(.forEach(partnerships) { item in
                .li(.a(.href(Link.partnership(item.key)), .text(item.key)), .text(" · \(item.status)"))
            }))
    }

    static func alertList(_ alerts: [Alert], snapshot: Snapshot, limit: Int) -> Node<HTML.BodyContext> {
        guard !alerts.isEmpty else { return .p(.text("Nothing to act on.")) }
        let labels: [Alert.Kind: String] = [.coolingRelationship: "Cooling", .personLeft: "Left", .personMoved: "Moved",
                                            .pledgeOverdue: "Pledge overdue", .goalOffTrack: "Goal off track"]
        let organizations = Dictionary(snapshot.organizations.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        // Each kind with its count and its most recent few, so one kind cannot crowd out the rest
        // (positions are sorted, not the alerts: a large channel has thousands).
        var positions: [Alert.Kind: [Int]] = [:]
        for (position, alert) in alerts.enumerated() { positions[alert.kind, default: []].append(position) }
        let kinds = Alert.Kind.allCases.compactMap { kind in positions[kind].map { (kind, $0.count, $0) } }
        return .group(
            .ul(.class("tiles"), .forEach(kinds) { kind, count, _ in
                .li(.class("tile"), .strong(.text(String(count))), .span(.text(labels[kind] ?? kind.rawValue)))
            }),
            .forEach(kinds) { kind, count, list in
                let title = "\(labels[kind] ?? kind.rawValue): \(count)\(count > limit ? ", the \(limit) most recent" : "")"
                let recent = list.sorted { (alerts[$0].date?.dayNumber ?? 0, $1) > (alerts[$1].date?.dayNumber ?? 0, $0) }.prefix(limit).map { alerts[$0] }
                return .details(count <= limit ? .attribute(named: "open", value: "open") : .empty, .summary(.text(title)),
                                .ul(.class("alerts"), .forEach(recent) { alert in alertItem(alert, label: labels[alert.kind] ?? alert.kind.rawValue, organizations: organizations) }))
            }
        )
    }

    static func alertItem(_ alert: Alert, label: String, organizations: [String: String]) -> Node<HTML.ListContext> {
        .li(.span(.class("badge \(alert.kind.rawValue)"), .text(label)), .text(" "),
            .unwrap(alert.organizationKey) { key in .a(.href(Link.organization(key)), .text(organizations[key] ?? key)) },
            .text(" — \(alert.message)"),
            .unwrap(alert.date) { date in .span(.class("muted"), .text(" (\(date))")) })
    }

    static let classificationOrder: [Classification] = [.partnership, .partnershipAtRisk, .partnershipCandidate, .deepRelationship, .relationship, .transactional]

    static let portfolioPage = 50

    /// Every counterpart by classification, a page of `portfolioPage` at a time; the tiles choose one classification.
    static func portfolio(_ report: AssessmentReport, snapshot: Snapshot, shown: Classification?, from: Int, territory: String?,
                          coverageFrom: Int = 0) -> Node<HTML.BodyContext> {
        let organizations = Dictionary(snapshot.organizations.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        var partnershipOf: [String: Snapshot.Partnership] = [:]
        for partnership in snapshot.partnerships {
            let key = snapshot.organizations[partnership.counterpart].key
            if let shown = partnershipOf[key], Self.ranksBefore(shown, partnership) { continue }
            partnershipOf[key] = partnership
        }
        let rank = Dictionary(uniqueKeysWithValues: classificationOrder.enumerated().map { ($1, $0) })
        // Sorted by precomputed keys, then read: sorting the assessments themselves copies them.
        let keyed = report.assessments.indices.filter { shown == nil || report.assessments[$0].classification == shown }.map { index in
            (index: index, rank: rank[report.assessments[index].classification] ?? 9,
             name: organizations[report.assessments[index].organizationKey] ?? report.assessments[index].organizationKey)
        }
        let order = keyed.sorted { ($0.rank, $0.name, $0.index) < ($1.rank, $1.name, $1.index) }.map(\.index)
        let counts = classificationOrder.map { kind in (kind, report.assessments.filter { $0.classification == kind }.count) }
        let start = min(max(0, from), max(0, order.count - 1) / portfolioPage * portfolioPage)
        func link(_ classification: Classification?, from: Int) -> String {
            Link.query("/", [("territory", territory), ("coverage_from", coverageFrom == 0 ? nil : String(coverageFrom)),
                             ("classification", classification?.rawValue), ("portfolio_from", from == 0 ? nil : String(from))]) + "#portfolio"
        }
        return .group(
            .ul(.class("tiles"), .forEach(counts) { count in
                .li(.class("tile \(count.0.rawValue)\(count.0 == shown ? " selected" : "")"),
                    .a(.href(link(count.0 == shown ? nil : count.0, from: 0)),
                       .attribute(named: "aria-label", value: count.0 == shown ? "show every classification" : "show only \(label(count.0))"),
                       .strong(.text(String(count.1))), .span(.text(label(count.0)))))
            }),
            Pager(total: order.count, from: start, size: portfolioPage, noun: shown.map { "counterparts classified \(label($0))" } ?? "counterparts") { link(shown, from: $0) }.node,
            .div(.class("scroll"), .table(
                .thead(.tr(.th(.text("Counterpart")), .th(.text("Classification")), .th(.text("Partnership")),
                           .th(.class("number"), .text("Strongest")), .th(.class("number"), .text("People with live ties")), .th(.text("Order-seeker")))),
                .tbody(.forEach(order.dropFirst(start).prefix(portfolioPage).map { report.assessments[$0] }) { assessment in
                    .tr(.td(.a(.href(Link.organization(assessment.organizationKey)), .text(organizations[assessment.organizationKey] ?? assessment.organizationKey))),
                        .td(.span(.class("badge \(assessment.classification.rawValue)"), .text(label(assessment.classification)))),
                        .td(.unwrap(partnershipOf[assessment.organizationKey]) { partnership in
                            .a(.href(Link.partnership(partnership.key)), .text("\(partnership.key) · \(partnership.status.rawValue)"))
                        }),
                        .td(.class("number"), .text(String(format: "%.0f", assessment.relationships.strongest))),
                        .td(.class("number"), .text(String(assessment.relationships.livePeople))),
                        .td(.text(assessment.orderSeeker.flagged ? "yes" : "")))
                })
            ))
        )
    }

    /// Which of a counterpart's partnerships to show: a live one (active, then suspended, then
    /// proposed) before an ended one, the later agreement first.
    static func ranksBefore(_ a: Snapshot.Partnership, _ b: Snapshot.Partnership) -> Bool {
        let order: [PartnershipStatus: Int] = [.active: 0, .suspended: 1, .proposed: 2, .ended: 3]
        return (order[a.status] ?? 9, -(a.agreementDate?.dayNumber ?? 0)) < (order[b.status] ?? 9, -(b.agreementDate?.dayNumber ?? 0))
    }

    static func label(_ classification: Classification) -> String {
        switch classification {
        case .transactional: "transactional"
        case .relationship: "relationship"
        case .deepRelationship: "deep relationship"
        case .partnershipCandidate: "partnership candidate"
        case .partnership: "partnership"
        case .partnershipAtRisk: "partnership at risk"
        }
    }
}
