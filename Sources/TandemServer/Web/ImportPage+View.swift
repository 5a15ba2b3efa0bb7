import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// What the import page shows: the form, and the streamed result of an upload.
extension ImportPage {
    static func form(_ req: Request) -> Response {
        func select(_ field: String, _ options: [(String, String)], selected: String) -> Node<HTML.BodyContext> {
            .select(.id(field), .attribute(named: "name", value: field), .forEach(options) { .choice(value: $0.0, label: $0.1, selected: $0.0 == selected) })
        }
        let formats = [("", "Recognise it from the file")] + ImportFormat.allCases.map { ($0.rawValue, $0.title.prefix(1).uppercased() + $0.title.dropFirst()) }
        return Layout.page(req, title: "Import", section: .imports,
            .h1(.text("Import")),
            .p(.text("A bundle (one .zip, or its CSV files as FORMATS.md describes them), contacts (.vcf), a calendar (.ics), "
                     + "a distributor's point-of-sale report (EDI X12 867, or the NEMRA layout as CSV) or another CRM's CSV export. "
                     + "Records are added or updated, so importing a file twice changes nothing; if anything is wrong, nothing is applied "
                     + "and every problem is listed with its file, line and column.")),
            .form(.method(.post), .action("/import"), .enctype(.multipartData),
                .input(.type(.hidden), .name("csrf"), .value(req.formCSRF)),
                .p(.label(.for("files"), .text("Files")), .br(),
                   .input(.id("files"), .name("files[]"), .type(.file), .attribute(named: "multiple", value: "multiple"),
                          .attribute(named: "accept", value: ".zip,.csv,.vcf,.vcard,.ics,.x12,.edi,.867,text/csv,text/vcard,text/calendar,application/zip"),
                          .required(true))),
                .p(.label(.for("format"), .text("Kind of file")), .br(), select("format", formats, selected: "")),
                .p(.label(.input(.type(.checkbox), .name("dry_run"), .value("1")),
                          .text(" Preview only: show what would be created, changed and skipped, and change nothing"))),
                .element(named: "details", nodes: [
                    .element(named: "summary", text: "Contacts"),
                    .p(.label(.for("organization_kind"), .text("Kind of an organization first seen in a contact")), .br(),
                       select("organization_kind", OrganizationKind.allCases.map { ($0.rawValue, $0.rawValue.replacingOccurrences(of: "_", with: " ")) }, selected: "distributor")),
                ]),
                .element(named: "details", nodes: [
                    .element(named: "summary", text: "Calendars"),
                    .p(.label(.for("from"), .text("Leave out events before")), .br(), .input(.id("from"), .name("from"), .type(.date))),
                    .p(.label(.for("to"), .text("Leave out events after (default today; recurring events are expanded up to it)")), .br(),
                       .input(.id("to"), .name("to"), .type(.date))),
                    .p(.label(.for("time_zone"), .text("Time zone of times written without one (default UTC)")), .br(),
                       .input(.id("time_zone"), .name("time_zone"), .type(.text), .attribute(named: "placeholder", value: "Europe/Berlin"))),
                    .p(.label(.for("default_kind"), .text("Kind of an event no rule matches")), .br(),
                       select("default_kind", InteractionKind.allCases.map { ($0.rawValue, $0.rawValue.replacingOccurrences(of: "_", with: " ")) }, selected: "meeting")),
                    .p(.label(.for("kind_rules"), .text("Rules, one per line: category:TEXT=KIND or summary:TEXT=KIND")), .br(),
                       .textarea(.id("kind_rules"), .name("kind_rules"), .attribute(named: "rows", value: "3"),
                                 .attribute(named: "placeholder", value: "summary:QBR=business_review"))),
                ]),
                .element(named: "details", nodes: [
                    .element(named: "summary", text: "Point-of-sale reports"),
                    .p(.label(.for("locations"), .text("Locations file (CSV: location,branch_key)")), .br(),
                       .input(.id("locations"), .name("locations"), .type(.file), .attribute(named: "accept", value: ".csv,text/csv"))),
                    .p(.label(.for("products"), .text("Products file (CSV: product,product_line), optional")), .br(),
                       .input(.id("products"), .name("products"), .type(.file), .attribute(named: "accept", value: ".csv,text/csv"))),
                    .p(.label(.for("manufacturer"), .text("Manufacturer key (default: the home organization)")), .br(),
                       .input(.id("manufacturer"), .name("manufacturer"), .type(.text))),
                    .p(.label(.for("currency"), .text("Currency of the amounts (default: the report's, else the organization's)")), .br(),
                       .input(.id("currency"), .name("currency"), .type(.text), .attribute(named: "placeholder", value: "USD"))),
                ]),
                .element(named: "details", nodes: [
                    .element(named: "summary", text: "Other CRMs' exports"),
                    .p(.label(.for("mapping"), .text("Mapping: records: contacts, companies or activities, then one field: Column per line")), .br(),
                       .textarea(.id("mapping"), .name("mapping"), .attribute(named: "rows", value: "5"),
                                 .attribute(named: "placeholder", value: "records: contacts\nname: First Name + Last Name\nemail: Email\norganization: Company Name"))),
                ]),
                .p(.button(.type(.submit), .text("Import")))))
    }


    /// The most records a result page lists one by one.
    static let listedRecords = 500

    static func report(_ outcome: ImportOutcome, dryRun: Bool) -> String {
        let summary = outcome.summary
        var html: String
        if dryRun {
            let perFile = summary.rows.filter { $0.count > 0 }.map { "\($0.file) \($0.count) (\(summary.created[$0.file] ?? 0) new)" }.joined(separator: ", ")
            html = "<p class=\"notice\" role=\"status\">Preview: nothing was changed. \(summary.totalRows.formatted()) row\(summary.totalRows == 1 ? " is" : "s are") good"
                + (perFile.isEmpty ? "" : ": " + SVG.escape(perFile)) + ".</p>"
        } else {
            html = "<p class=\"notice\" role=\"status\">Imported \(summary.totalRows.formatted()) row\(summary.totalRows == 1 ? "" : "s") in \(String(format: "%.1f", summary.seconds)) s"
                + (summary.rows.isEmpty ? "" : ": " + SVG.escape(summary.rows.map { "\($0.file) \($0.count)" }.joined(separator: ", "))) + ".</p>"
        }
        if let plan = outcome.plan {
            html += "<p><strong>\(SVG.escape(plan.summary(dryRun: dryRun).prefix(1).uppercased() + plan.summary(dryRun: dryRun).dropFirst())).</strong></p>"
            if !plan.notes.isEmpty {
                html += "<ul class=\"notes\">" + plan.notes.map { "<li>\(SVG.escape($0))</li>" }.joined() + "</ul>"
            }
            if !plan.items.isEmpty {
                html += "<details\(dryRun ? " open" : "")><summary>Record by record</summary><ul class=\"issues\">"
                    + plan.items.prefix(listedRecords).map { "<li><code>\(SVG.escape($0.description))</code></li>" }.joined()
                    + (plan.items.count > listedRecords ? "<li>and \(plan.items.count - listedRecords) more</li>" : "") + "</ul></details>"
            }
        }
        return html + warnings(outcome.warnings)
    }

    static let marker = "<!--tandem-import-stream-->"

    static func warnings(_ warnings: [BundleIssue]) -> String {
        warnings.isEmpty ? "" : "<p>Warnings:</p><ul>" + warnings.map { "<li>\(SVG.escape($0.description))</li>" }.joined() + "</ul>"
    }

}
