import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// What the territory pages show.
extension TerritoryIndex {
    static func view(_ req: Request, _ model: Model) -> Response {
        let tree = model.tree, names = model.names
        func branch(_ code: String) -> Node<HTML.ListContext> {
            let children = tree.children[code] ?? []
            let label: Node<HTML.BodyContext> = .group(.a(.href(Link.territory(code)), .text(names[code] ?? code)),
                                                        .span(.class("muted"), .text(" · \(tree.summary(code))")))
            return .li(children.isEmpty ? label : .details(.summary(label), .ul(.forEach(children) { branch($0) })))
        }
        return Layout.page(req, title: "Territories", section: .territories,
            .h1(.text("Territories")),
            .p(.class("muted"), .text("Each with its counterpart branches, how many have live relationships with both inside and outside sales, and how many with neither.")),
            .ul(.class("tree"), .forEach(tree.children[nil] ?? []) { branch($0) }))
    }
}

extension TerritoryShow {
    static func view(_ req: Request, _ model: Model, coverageFrom: Int, branchesFrom requested: Int) -> Response {
        let territory = model.territory, code = territory.code, snapshot = model.assessed.snapshot
        let tree = model.tree, branches = model.branches, names = model.names, people = model.assessed.personNames
        let organizations = Dictionary(snapshot.organizations.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        let map = CoverageMap(snapshot: snapshot, coverage: branches, territoryNames: names, selected: code,
                              from: coverageFrom)
        // The branch table a hundred at a time: a country holds thousands on a large channel.
        let pageSize = 100
        let branchesFrom = min(max(0, requested), max(0, branches.count - 1) / pageSize * pageSize)
        var path: [String] = [], current = territory.parentCode
        while let parent = current, path.count < 64 { path.insert(parent, at: 0); current = tree.parent[parent] ?? nil }
        return Layout.page(req, title: territory.name, section: .territories,
            .nav(.ariaLabel("Breadcrumb"), .class("crumbs"), .a(.href("/territories"), .text("Territories")),
                 .forEach(path) { code in .group(.text(" › "), .a(.href(Link.territory(code)), .text(names[code] ?? code))) }),
            .h1(.text(territory.name)),
            .p(.class("muted"), .text("\(territory.code)\(territory.country.map { " · \($0)" } ?? "") · \(tree.summary(code))")),
            (tree.children[code] ?? []).isEmpty ? .empty : .group(
                .h2(.text("Below it")),
                .ul(.forEach(tree.children[code] ?? []) { child in
                    .li(.a(.href(Link.territory(child)), .text(names[child] ?? child)), .span(.class("muted"), .text(" · \(tree.summary(child))")))
                }),
                .div(.id("map"), map.pager(path: Link.territory(code), anchor: "map",
                                           keep: [("branches_from", branchesFrom == 0 ? nil : String(branchesFrom))])),
                .div(.class("scroll"), .raw(map.heatMap().render()))),
            .h2(.id("branches"), .text("Counterpart branches (\(branches.count))")),
            Pager(total: branches.count, from: branchesFrom, size: pageSize, noun: "branches") { start in
                Link.query(Link.territory(code), [("coverage_from", map.from == 0 ? nil : String(map.from)),
                                                  ("branches_from", start == 0 ? nil : String(start))]) + "#branches"
            }.node,
            branches.isEmpty ? .p(.text("No counterpart branch here."))
                : OrganizationShow.branchTable(Array(branches.dropFirst(branchesFrom).prefix(pageSize)), people: people, organizations: organizations))
    }
}
