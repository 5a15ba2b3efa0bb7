import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// A partnership's shared space: the commitment and its history, the shared goals with their
/// progress, both sides' pledges against what the other side confirmed, risks and reviews. A
/// partner guest reaches only the partnerships they were invited to and sees what the API shows
/// them (no internal notes, no risks, shared reviews only).
enum PartnershipShow {
    static func render(_ req: Request) async throws -> Response {
        try await render(req, errors: [], status: .ok)
    }

    static func render(_ req: Request, errors: [String], status: HTTPStatus) async throws -> Response {
        let key = try req.key()
        try req.requireInvited(to: key)
        let full = try await req.workspace.partnershipDetail(key: key, asOf: req.today)
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
        let writes = try await Writes(req, detail: detail)
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

/// The names of a few people and organizations, read by key (for pages that do not need the
/// whole workspace in memory); a key without a record shows as itself.
struct Names {
    var people: [String: String]
    var organizations: [String: String]

    func person(_ key: String) -> String { people[key] ?? key }
    func organization(_ key: String) -> String { organizations[key] ?? key }

    static func of(_ req: Request, people: [String], organizations: [String]) async throws -> Names {
        let names = try await req.workspace.names(people: people, organizations: organizations)
        return Names(people: names.people, organizations: names.organizations)
    }
}

/// The partnership page's two forms: a contribution to one of the viewer's side's pledges, and
/// the confirmation of one of the other side's (API parity: partner guests and the home
/// company's managers and admins; salespeople read).
struct Writes {
    let allowed: Bool
    let isMine: (PledgeView) -> Bool
    let staff: [(key: String, name: String)]

    init(_ req: Request, detail: PartnershipDetail) async throws {
        let principal = req.principal
        allowed = principal.map { $0.isGuest || $0.role == .admin || $0.role == .manager } ?? false
        let counterpart = detail.partnership.counterpartKey, guestOrganization = req.guest?.organizationKey
        isMine = { pledge in guestOrganization.map { pledge.partyKey == $0 } ?? (pledge.partyKey != counterpart) }
        // Who may confirm for the viewer's side: the people working for it today.
        let workspace = try req.workspace
        let organization: String? = if let guestOrganization { guestOrganization } else { try await workspace.homeOrganizationKey() }
        guard allowed, let organization else { staff = []; return }
        staff = try await workspace.staff(of: organization, on: req.today)
    }

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

/// The two partnership forms' handlers.
enum PartnershipWrites {
    struct ContributionForm: Content {
        var pledge: String?, date: String?, amount: String?, note: String?, csrf: String?
    }

    struct ConfirmationForm: Content {
        var contribution: String?, confirmedBy: String?, csrf: String?

        enum CodingKeys: String, CodingKey { case contribution, confirmedBy = "confirmed_by", csrf }
    }

    /// CSRF, the partnership (a guest's own only) and the role: salespeople read partnerships.
    static func admit(_ req: Request, csrf: String?) throws -> String {
        let key = try req.key()
        try req.requireInvited(to: key)
        guard let expected = req.csrfToken, csrf == expected else { throw Abort(.forbidden, reason: "The form expired: open it again.") }
        guard req.principal?.role != .salesperson else { throw Abort(.forbidden, reason: "Recording contributions needs a manager or an admin.") }
        return key
    }

    static func contribute(_ req: Request) async throws -> Response {
        let form = try req.form(ContributionForm.self)
        let key = try admit(req, csrf: form.csrf)
        guard let pledgeKey = form.pledge, try await req.workspace.pledge(key: pledgeKey, asOf: req.today).partnershipKey == key else {
            throw Abort(.notFound, reason: "No such pledge in this partnership.")
        }
        try await req.mayRecordContribution(toPledge: pledgeKey)
        let amount = form.amount.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        if form.amount.map({ !$0.isEmpty && amount == nil }) == true {
            return try await PartnershipShow.render(req, errors: ["Amount: “\(form.amount ?? "")” is not a number."], status: .unprocessableEntity)
        }
        do {
            let saved = try await req.workspace.addContribution(to: pledgeKey, ContributionDraft(date: form.date, amount: amount, note: form.note), asOf: req.today)
            try await req.workspace.audit("contribution.create", actor: req.principal?.email, target: "contribution \(saved.id)", detail: "web",
                                         address: req.clientAddress, now: Accounts.now())
        } catch let StoreError.invalid(issues) {
            return try await PartnershipShow.render(req, errors: issues.map { "\($0.field.capitalized): \($0.message)" }, status: .unprocessableEntity)
        }
        return req.redirect(to: Link.query(Link.partnership(key), [("saved", "contribution")]), redirectType: .normal)
    }

    static func confirm(_ req: Request) async throws -> Response {
        let form = try req.form(ConfirmationForm.self)
        let key = try admit(req, csrf: form.csrf)
        guard let id = form.contribution.flatMap({ Int64($0) }),
              try await req.workspace.pledge(key: try await req.workspace.contribution(id: id, asOf: req.today).pledgeKey, asOf: req.today).partnershipKey == key else {
            throw Abort(.notFound, reason: "No such contribution in this partnership.")
        }
        try await req.mayConfirm(contribution: id)
        do {
            _ = try await req.workspace.confirm(contribution: id, ConfirmationDraft(confirmedByKey: form.confirmedBy), asOf: req.today)
            try await req.workspace.audit("contribution.confirm", actor: req.principal?.email, target: "contribution \(id)", detail: "web",
                                         address: req.clientAddress, now: Accounts.now())
        } catch let StoreError.invalid(issues) {
            return try await PartnershipShow.render(req, errors: issues.map { "\($0.field.replacingOccurrences(of: "_", with: " ").capitalized): \($0.message)" },
                                                    status: .unprocessableEntity)
        } catch let StoreError.conflict(message) {
            return try await PartnershipShow.render(req, errors: [message], status: .conflict)
        }
        return req.redirect(to: Link.query(Link.partnership(key), [("saved", "confirmation")]), redirectType: .normal)
    }
}
