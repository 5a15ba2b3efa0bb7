import Foundation
import Plot
import TandemCore
import TandemStore
import Vapor

/// A partnership's shared space: the commitment and its history, the shared goals with their
/// progress, both sides' pledges against what the other side confirmed, risks and reviews. A
/// partner guest reaches only the partnerships they were invited to and sees what the API shows
/// them (no internal notes, no risks, shared reviews only).
enum PartnershipShow {
    static func render(_ req: Request) async throws -> Response {
        let key = try req.key()
        try req.requireInvited(to: key)
        let full = try await req.partnerships.detail(key: key, asOf: req.today)
        let detail = req.guest == nil ? full : PartnershipController.shared(full)
        let names = try await Names.of(req, people: detail.goals.flatMap(\.ownerKeys) + detail.partnership.signatoryKeys
                                           + detail.reviews.flatMap(\.attendeeKeys) + detail.pledges.flatMap { $0.contributions.compactMap(\.confirmedByKey) },
                                       organizations: [detail.partnership.counterpartKey] + detail.pledges.map(\.partyKey))
        let partnership = detail.partnership
        let counterpart = names.organization(partnership.counterpartKey)
        let isGuest = req.guest != nil
        func person(_ key: String) -> Node<HTML.BodyContext> {
            isGuest ? .text(names.person(key)) : .a(.href(Link.person(key)), .text(names.person(key)))
        }
        let balance = BalanceBars(id: "balance", title: "Pledged and delivered, both sides", rows: detail.pledges.map { pledge in
            BalanceBars.Row(side: names.organization(pledge.partyKey), label: Self.describe(pledge), pledged: pledge.amount,
                            confirmed: pledge.delivered, claimed: pledge.claimed, home: pledge.partyKey != partnership.counterpartKey)
        })
        return Layout.page(req, title: "Partnership with \(counterpart)", section: isGuest ? .dashboard : nil,
            .h1(.text("Partnership with "), isGuest ? .text(counterpart) : .a(.href(Link.organization(partnership.counterpartKey)), .text(counterpart))),
            .p(.class("muted"), .text("\(partnership.key) · \(partnership.status.rawValue) · commitment \(partnership.commitment.rawValue)"
                                      + (partnership.agreementDate.map { " since \($0)" } ?? "")
                                      + (partnership.territoryCodes.isEmpty ? "" : " · territories \(partnership.territoryCodes.joined(separator: ", "))"))),
            partnership.signatoryKeys.isEmpty ? .empty : .p(.text("Signed by "), .group(partnership.signatoryKeys.enumerated().map { index, key in
                .group(index == 0 ? .empty : .text(", "), person(key))
            })),
            .unwrap(partnership.notes) { .p(.class("panel"), .strong(.text("Internal notes: ")), .text($0)) },
            .details(.summary(.text("History (\(partnership.events.count) changes)")), .ul(.forEach(partnership.events) { event in
                .li(.text("\(event.date): \(event.status.rawValue)\(event.note.map { " — \($0)" } ?? "")"))
            })),
            .section(.attribute(named: "aria-labelledby", value: "goals"),
                .h2(.id("goals"), .text("Shared goals")),
                detail.goals.isEmpty ? .p(.text("No shared goal yet.")) : .group(detail.goals.enumerated().map { goal($1, number: $0, owners: $1.ownerKeys.map(names.person)) })),
            .section(.attribute(named: "aria-labelledby", value: "balance"),
                .h2(.id("balance"), .text("What each side pledged and delivered")),
                detail.pledges.isEmpty ? .p(.text("No pledges yet.")) : .group(
                    .div(.class("scroll"), .raw(balance.render())),
                    .div(.class("scroll"), .table(
                        .thead(.tr(.th(.text("Side")), .th(.text("Pledge")), .th(.class("number"), .text("Pledged")), .th(.class("number"), .text("Confirmed")),
                                   .th(.class("number"), .text("Claimed")), .th(.text("Due")))),
                        .tbody(.forEach(detail.pledges) { pledge in
                            .tr(.td(.text(names.organization(pledge.partyKey))), .td(.text(Self.describe(pledge))),
                                .td(.class("number"), .text(Self.amount(pledge.amount))), .td(.class("number"), .text(Self.amount(pledge.delivered))),
                                .td(.class("number"), .text(Self.amount(pledge.claimed))), .td(.text(pledge.dueDate ?? "")))
                        }))),
                    .h3(.text("Contributions")),
                    .div(.class("scroll"), .table(
                        .thead(.tr(.th(.text("Date")), .th(.text("Pledge")), .th(.class("number"), .text("Amount")), .th(.text("Confirmed by")), .th(.text("Note")))),
                        .tbody(.forEach(detail.pledges.flatMap { pledge in pledge.contributions.map { (pledge, $0) } }.sorted { $0.1.date > $1.1.date }) { pledge, contribution in
                            .tr(.td(.text(contribution.date)), .td(.text("\(names.organization(pledge.partyKey)): \(Self.describe(pledge))")),
                                .td(.class("number"), .text(Self.amount(contribution.amount))),
                                .td(contribution.confirmedByKey.map { person($0) } ?? .em(.text("a claim, not yet confirmed"))),
                                .td(.text(contribution.note ?? "")))
                        }))))),
            isGuest ? .empty : .section(.attribute(named: "aria-labelledby", value: "risks"),
                .h2(.id("risks"), .text("Risks")),
                detail.risks.isEmpty ? .p(.text("No risks recorded.")) : .ul(.forEach(detail.risks) { risk in
                    .li(.text("\(names.organization(risk.partyKey)): \(risk.description)\(risk.exposureAmount.map { " (exposure \(Self.amount($0)) \(risk.currency ?? ""))" } ?? "")"))
                })),
            .section(.attribute(named: "aria-labelledby", value: "reviews"),
                .h2(.id("reviews"), .text("Business reviews")),
                detail.reviews.isEmpty ? .p(.text("No reviews yet.")) : .ul(.forEach(detail.reviews.sorted { $0.date > $1.date }) { review in
                    .li(.strong(.text(review.date)), .text(" (\(review.visibility.rawValue)) with "),
                        .group(review.attendeeKeys.enumerated().map { index, key in .group(index == 0 ? .empty : .text(", "), person(key)) }),
                        .unwrap(review.notes) { .p(.text($0)) })
                }))
        )
    }

    static func goal(_ goal: GoalView, number: Int, owners: [String]) -> Node<HTML.BodyContext> {
        let labels = goal.progress.map(\.date)
        let chart = LineChart(id: "goal-\(number)", title: "\(goal.metric): progress against the target",
                              description: "\(goal.progress.count) measurements from \(goal.baseline.map(Self.amount) ?? "no baseline") towards \(Self.amount(goal.target)).",
                              labels: labels, series: [
                                .init(name: "Measured", values: goal.progress.map(\.value), color: "#0a4fa3"),
                                .init(name: "Target", values: labels.map { _ in goal.target }, color: "#1e7b34"),
                              ], range: nil, width: 560, height: 200)
        let status = goal.status.map { $0.onTrack ? "on track" : "off track" } ?? "not measured yet"
        return .div(.class("goal"),
            .h3(.text(goal.metric), .text(" "), .span(.class("badge \(goal.status?.onTrack == false ? "goal_off_track" : "partnership")"), .text(status))),
            .p(.class("muted"), .text("From \(goal.baseline.map(Self.amount) ?? "—") to \(Self.amount(goal.target))\(goal.unit.map { " \($0)" } ?? "")"
                                      + (goal.dueDate.map { " by \($0)" } ?? "") + " · owners: \(owners.joined(separator: " and "))")),
            goal.progress.count > 1 ? .div(.class("scroll"), .raw(chart.render())) : .empty,
            goal.progress.isEmpty ? .empty : .p(.class("muted"), .text("Measured: " + goal.progress.map { "\($0.date) \(Self.amount($0.value))" }.joined(separator: "; "))))
    }

    static func describe(_ pledge: PledgeView) -> String {
        let unit = pledge.currency ?? pledge.unit ?? ""
        return "\(pledge.asset.rawValue.replacingOccurrences(of: "_", with: " ")) \(amount(pledge.amount)) \(unit)".trimmingCharacters(in: .whitespaces)
            + (pledge.description.map { " — \($0)" } ?? "")
    }

    static func amount(_ value: Double) -> String { value.formatted(.number.precision(.fractionLength(0...2))) }
}

/// The names of a few people and organizations, read by key (for pages that do not need the
/// whole workspace in memory); a key without a record shows as itself.
struct Names {
    var people: [String: String]
    var organizations: [String: String]

    func person(_ key: String) -> String { people[key] ?? key }
    func organization(_ key: String) -> String { organizations[key] ?? key }

    static func of(_ req: Request, people: [String], organizations: [String]) async throws -> Names {
        let sql = try req.db.sql(), workspace = try req.application.workspaceID
        func lookup(_ table: String, _ keys: [String]) async throws -> [String: String] {
            let unique = Array(Set(keys))
            guard !unique.isEmpty else { return [:] }
            var names: [String: String] = [:]
            for row in try await sql.select().column("key").column("name").from(table).where("workspace_id", .equal, workspace)
                .where("key", .in, unique).all() {
                names[try row.decode(column: "key", as: String.self)] = try row.decode(column: "name", as: String.self)
            }
            return names
        }
        return Names(people: try await lookup("people", people), organizations: try await lookup("organizations", organizations))
    }
}
