import Foundation
import Plot
import TandemCore

/// Backbone coverage as a heat map: counterpart organizations (rows) by territory (columns: the
/// countries, or the territories directly below a chosen one). A cell stands for the
/// organization's branches in that territory and is green when each has a live relationship with
/// both inside and outside sales, amber when one of the two, red when neither.
struct CoverageMap {
    struct Row {
        var key: String
        var name: String
        /// Per column: the branches there.
        var cells: [[BranchCoverage]]
    }

    let columns: [String]
    let columnNames: [String]
    /// The rows shown: a page of `pageSize` from `from`, of `total`.
    let rows: [Row]
    let total: Int
    let from: Int
    static let pageSize = 50
    let selected: String?
    let territoryOptions: [(code: String, label: String)]

    /// Rows are counterparts, the weakest covered first (then by name), a page at a time: a
    /// workspace of a thousand distributors would otherwise make a page of a megabyte.
    init(snapshot: Snapshot, coverage: [BranchCoverage], territoryNames: [String: String], selected: String?, from: Int = 0) {
        self.selected = selected
        let parent = Dictionary(snapshot.territories.map { ($0.code, $0.parentCode) }, uniquingKeysWith: { first, _ in first })
        // The territories below the chosen one; branches in the chosen one itself get a column of their own.
        var columns = snapshot.territories.filter { $0.parentCode == selected }.map(\.code).sorted()
        if let selected, coverage.contains(where: { $0.territoryCode == selected }) { columns.insert(selected, at: 0) }
        let position = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        /// The column a branch's territory falls under: itself or the nearest ancestor that is a column.
        func column(of code: String?) -> Int? {
            var current = code, steps = 0
            while let code = current, steps < 64 {
                if let index = position[code] { return index }
                current = parent[code] ?? nil
                steps += 1
            }
            return nil
        }
        let names = Dictionary(snapshot.organizations.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        var byOrganization: [String: [[BranchCoverage]]] = [:]
        for branch in coverage {
            guard let index = column(of: branch.territoryCode) else { continue }
            byOrganization[branch.organizationKey, default: Array(repeating: [], count: columns.count)][index].append(branch)
        }
        self.columns = columns
        self.columnNames = columns.map { code in code == selected ? "\(territoryNames[code] ?? code) (itself)" : territoryNames[code] ?? code }
        let all = byOrganization.map { Row(key: $0.key, name: names[$0.key] ?? $0.key, cells: $0.value) }
            .map { row in (row, row.cells.joined().map(Self.value).reduce(0, +) / Double(max(1, row.cells.joined().count))) }
            .sorted { ($0.1, $0.0.name, $0.0.key) < ($1.1, $1.0.name, $1.0.key) }
        total = all.count
        self.from = min(max(0, from), max(0, all.count - 1) / Self.pageSize * Self.pageSize)
        rows = all.dropFirst(self.from).prefix(Self.pageSize).map(\.0)
        // The territories with children, to zoom into: their path from the root as a label.
        let withChildren = Set(snapshot.territories.compactMap(\.parentCode))
        territoryOptions = snapshot.territories.filter { withChildren.contains($0.code) }.map { territory in
            var path = [territoryNames[territory.code] ?? territory.code], current = territory.parentCode, steps = 0
            while let code = current, steps < 64 { path.insert(territoryNames[code] ?? code, at: 0); current = parent[code] ?? nil; steps += 1 }
            return (territory.code, path.joined(separator: " › "))
        }.sorted { $0.label < $1.label }
    }

    /// 1 when both sales functions have a live relationship, 0.5 when one, 0 when neither; a
    /// cell is the mean of its branches.
    static func value(_ branch: BranchCoverage) -> Double {
        (branch.insideSales == nil ? 0 : 0.5) + (branch.outsideSales == nil ? 0 : 0.5)
    }

    static func summary(_ branches: [BranchCoverage]) -> String {
        let both = branches.filter { value($0) == 1 }.count, none = branches.filter { value($0) == 0 }.count
        let single = branches.filter(\.singleThreaded).count
        var parts = ["\(branches.count) branch\(branches.count == 1 ? "" : "es")", "\(both) fully covered"]
        if branches.count - both - none > 0 { parts.append("\(branches.count - both - none) with one function") }
        if none > 0 { parts.append("\(none) with no live relationship") }
        if single > 0 { parts.append("\(single) single-threaded") }
        return parts.joined(separator: ", ")
    }

    var legend: String {
        "Each cell is a counterpart's branches in a territory: green when inside and outside sales both have a live relationship "
            + "with us, amber when one of them, red when neither. Hover or focus a cell for its branches; select a row for the organization."
    }

    func heatMap() -> HeatMap {
        HeatMap(id: "coverage", title: "Backbone coverage by counterpart and territory",
                description: "\(rows.count) of \(total) counterpart organizations, the weakest covered first, across \(columns.count) territories; "
                    + "the table below says the same.",
                rows: rows.map { ($0.name, Link.organization($0.key)) }, columns: columnNames,
                cells: rows.map { row in
                    row.cells.enumerated().map { index, branches in
                        branches.isEmpty ? nil : HeatMap.Cell(value: branches.map(Self.value).reduce(0, +) / Double(branches.count),
                                                             label: "\(row.name) · \(columnNames[index]): \(Self.summary(branches))",
                                                             href: Link.organization(row.key))
                    }
                })
    }

    /// The text alternative: one row per organization and territory with branches.
    func table<Context: HTML.BodyContext>() -> Node<Context> {
        .div(.class("scroll"), .table(
            .thead(.tr(.th(.text("Counterpart")), .th(.text("Territory")), .th(.text("Coverage")))),
            .tbody(.forEach(rows) { row in
                .forEach(row.cells.enumerated().filter { !$0.element.isEmpty }) { index, branches in
                    .tr(.td(.a(.href(Link.organization(row.key)), .text(row.name))), .td(.text(columnNames[index])), .td(.text(Self.summary(branches))))
                }
            })
        ))
    }

    /// Where the rows shown sit among all of them, with links to the pages before and after.
    /// `path`: the page the map is on, the dashboard (which names the territory in its query) or a territory's own.
    /// `keep`: the page's other parameters (another list's page, a filter), carried along.
    func pager(path: String = "/", anchor: String = "backbone", keep: [(String, String?)] = []) -> Node<HTML.BodyContext> {
        Pager(total: total, from: from, size: Self.pageSize, noun: "counterparts") { start in
            Link.query(path, [("territory", path == "/" ? selected : nil), ("coverage_from", start == 0 ? nil : String(start))] + keep) + "#" + anchor
        }.node
    }

    func filterForm() -> Node<HTML.BodyContext> {
        .form(.class("inline"), .method(.get), .action("/"),
              .label(.for("territory"), .text("Territory ")),
              .select(.id("territory"), .attribute(named: "name", value: "territory"),
                      .choice(value: "", label: "All countries", selected: selected == nil),
                      .forEach(territoryOptions) { option in .choice(value: option.code, label: option.label, selected: option.code == selected) }),
              .text(" "),
              .button(.type(.submit), .text("Show")))
    }
}

/// "41–50 of 1,002 counterparts", with links to the previous and next pages when there are any.
struct Pager {
    var total: Int
    var from: Int
    var size: Int
    var noun: String
    var link: (Int) -> String

    var node: Node<HTML.BodyContext> {
        guard total > size else { return .empty }
        let last = min(total, from + size)
        return .p(.class("pager"),
                  .text("\(from + 1)–\(last) of \(total.formatted()) \(noun)"),
                  .if(from > 0, .group(.text(" · "), .a(.href(link(max(0, from - size))), .text("← previous \(size)")))),
                  .if(last < total, .group(.text(" · "), .a(.href(link(from + size)), .text("next \(min(size, total - last)) →")))))
    }
}
