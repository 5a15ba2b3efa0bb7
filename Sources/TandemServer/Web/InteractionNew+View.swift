import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// The form that logs an interaction, with what was wrong when a submission was refused.
extension InteractionNew {
    static func page(_ req: Request, recent: [String], form: Form, errors: [String], status: HTTPStatus) -> Response {
        var who = form.who ?? []
        while who.count < 3 { who.append("") }
        return Layout.page(req, title: "Log an interaction", section: .log, status: status,
            .h1(.text("Log an interaction")),
            errors.isEmpty ? .empty : .div(.class("panel warn"), .attribute(named: "role", value: "alert"),
                .p(.strong(.text("Nothing was saved:"))), .ul(.forEach(errors) { .li(.text($0)) })),
            .form(.method(.post), .action("/interactions"), .class("log"),
                .input(.type(.hidden), .name("csrf"), .value(req.formCSRF)),
                .fieldset(.element(named: "legend", text: "Who (the first one started it)"),
                    .forEach(who.enumerated()) { index, value in
                        .p(.label(.for("who-\(index)"), .text(index == 0 ? "Started by" : "With")), .br(),
                           .input(.id("who-\(index)"), .name("who[]"), .type(.text), .value(SVG.escape(value)), .attribute(named: "list", value: "people"),
                                  .attribute(named: "data-suggest", value: "/suggest/people"), .attribute(named: "autocomplete", value: "off"),
                                  index == 0 ? .required(true) : .empty))
                    }),
                .element(named: "datalist", nodes: [.id("people"), .group(recent.map { .element(named: "option", nodes: [.attribute(named: "value", value: SVG.escape($0))]) })]),
                .p(.label(.for("kind"), .text("Kind")), .br(),
                   .select(.id("kind"), .attribute(named: "name", value: "kind"),
                           .forEach(InteractionKind.allCases) { kind in
                               .choice(value: kind.rawValue, label: kind.rawValue.replacingOccurrences(of: "_", with: " "), selected: kind.rawValue == form.kind)
                           })),
                .p(.label(.for("date"), .text("Date")), .br(),
                   .input(.id("date"), .name("date"), .type(.date), .value(SVG.escape(form.date ?? req.today.description)), .required(true))),
                .details(.summary(.text("Duration and summary (optional)")),
                    .p(.label(.for("duration"), .text("Minutes")), .br(),
                       .input(.id("duration"), .name("duration"), .type(.number), .attribute(named: "min", value: "0"), .value(SVG.escape(form.duration ?? "")))),
                    .p(.label(.for("summary"), .text("Summary")), .br(),
                       .textarea(.id("summary"), .name("summary"), .attribute(named: "rows", value: "3"), .text(form.summary ?? "")))),
                .p(.button(.type(.submit), .text("Log it")))))
    }
}
