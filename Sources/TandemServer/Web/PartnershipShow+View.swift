import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// What a partnership's page shows.
extension PartnershipShow {
    static func view(_ req: Request, _ model: Model, errors: [String], status: HTTPStatus) -> Response {
        let detail = model.detail, names = model.names, writes = model.writes
        let partnership = detail.partnership
        let counterpart = names.organization(partnership.counterpartKey)
        let isGuest = model.isGuest
        func person(_ key: String) -> Node<HTML.BodyContext> {
            isGuest ? .text(names.person(key)) : .a(.href(Link.person(key)), .text(names.person(key)))
        }
        let balance = BalanceBars(id: "balance", title: "Pledged and delivered, both sides", rows: detail.pledges.map { pledge in
            BalanceBars.Row(side: names.organization(pledge.partyKey), label: Self.describe(pledge), pledged: pledge.amount,
                            confirmed: pledge.delivered, claimed: pledge.claimed, home: pledge.partyKey != partnership.counterpartKey)
        })
        return Layout.page(req, title: "Partnership with \(counterpart)", section: isGuest ? .dashboard : nil, status: status,
            errors.isEmpty ? .empty : .div(.class("panel warn"), .attribute(named: "role", value: "alert"),
                .p(.strong(.text("Nothing was saved:"))), .ul(.forEach(errors) { .li(.text($0)) })),
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
                                .td(contribution.confirmedByKey.map { person($0) } ?? writes.confirmForm(req, contribution: contribution, pledge: pledge)),
                                .td(.text(contribution.note ?? "")))
                        }))),
                    writes.contributionForm(req, pledges: detail.pledges, describe: { "\(names.organization($0.partyKey)): \(Self.describe($0))" }))),
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

extension Writes {
    func confirmForm(_ req: Request, contribution: ContributionView, pledge: PledgeView) -> Node<HTML.BodyContext> {
        guard allowed, !isMine(pledge), !staff.isEmpty else { return .em(.text("a claim, not yet confirmed")) }
        return .form(.class("inline"), .method(.post), .action(Link.partnership(pledge.partnershipKey) + "/confirmations"),
            .input(.type(.hidden), .name("csrf"), .value(req.formCSRF)),
            .input(.type(.hidden), .name("contribution"), .value(String(contribution.id))),
            .label(.for("by-\(contribution.id)"), .text("Confirmed by ")),
            .select(.id("by-\(contribution.id)"), .attribute(named: "name", value: "confirmed_by"),
                    .forEach(staff) { person in .choice(value: person.key, label: person.name, selected: false) }),
            .button(.type(.submit), .class("secondary"), .text("Confirm")))
    }

    func contributionForm(_ req: Request, pledges: [PledgeView], describe: (PledgeView) -> String) -> Node<HTML.BodyContext> {
        let mine = pledges.filter(isMine)
        guard allowed, let first = mine.first else { return .empty }
        return .details(.summary(.text("Record a contribution of your side")),
            .form(.method(.post), .action(Link.partnership(first.partnershipKey) + "/contributions"), .class("log"),
                .input(.type(.hidden), .name("csrf"), .value(req.formCSRF)),
                .p(.label(.for("pledge"), .text("Against the pledge")), .br(),
                   .select(.id("pledge"), .attribute(named: "name", value: "pledge"),
                           .forEach(mine) { pledge in .choice(value: pledge.key, label: describe(pledge), selected: false) })),
                .p(.label(.for("contribution-date"), .text("Date")), .br(),
                   .input(.id("contribution-date"), .name("date"), .type(.date), .value(req.today.description), .required(true))),
                .p(.label(.for("amount"), .text("Amount")), .br(),
                   .input(.id("amount"), .name("amount"), .type(.number), .attribute(named: "step", value: "any"), .attribute(named: "min", value: "0"), .required(true))),
                .p(.label(.for("note"), .text("Note (optional)")), .br(), .input(.id("note"), .name("note"), .type(.text))),
                .p(.button(.type(.submit), .text("Record it")))))
    }
}
