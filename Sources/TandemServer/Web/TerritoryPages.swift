import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor

/// The territory tree (`TerritoryIndex`) and one territory with its branches and their
/// coverage (`TerritoryShow`).
enum TerritoryIndex {
    static func render(_ req: Request) async throws -> Response {
        let workspace = try await req.workspace.assessed(asOf: req.today)
        let snapshot = workspace.snapshot
        let names = try await req.workspace.territoryNames()
        let tree = TerritoryTree(snapshot: snapshot, coverage: workspace.report.coverage)
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

enum TerritoryShow {
    static func render(_ req: Request) async throws -> Response {
        let code = try req.key("code")
        let territory = try await req.workspace.territory(code: code)
        let workspace = try await req.workspace.assessed(asOf: req.today)
        let snapshot = workspace.snapshot
        let names = try await req.workspace.territoryNames()
        let tree = TerritoryTree(snapshot: snapshot, coverage: workspace.report.coverage)
        let branches = tree.below(code)
        let organizations = Dictionary(snapshot.organizations.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        let people = workspace.personNames
        let map = CoverageMap(snapshot: snapshot, coverage: branches, territoryNames: names, selected: code,
                              from: req.parameter("coverage_from").flatMap(Int.init) ?? 0)
        // The branch table a hundred at a time: a country holds thousands on a large channel.
        let pageSize = 100
        let branchesFrom = min(max(0, req.parameter("branches_from").flatMap(Int.init) ?? 0), max(0, branches.count - 1) / pageSize * pageSize)
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

/// The territory tree with each territory's counterpart branches, its own and below it.
struct TerritoryTree {
    var children: [String?: [String]] = [:]
    var parent: [String: String?] = [:]
    private var own: [String: [BranchCoverage]] = [:]

    init(snapshot: Snapshot, coverage: [BranchCoverage]) {
        for territory in snapshot.territories {
            children[territory.parentCode, default: []].append(territory.code)
            parent[territory.code] = territory.parentCode
        }
        for key in children.keys { children[key]?.sort() }
        for branch in coverage { if let code = branch.territoryCode { own[code, default: []].append(branch) } }
    }

    /// The branches in `code` and every territory below it.
    func below(_ code: String) -> [BranchCoverage] {
        var result: [BranchCoverage] = [], stack = [code], seen: Set<String> = []
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            result += own[next] ?? []
            stack += children[next] ?? []
        }
        return result.sorted { ($0.organizationKey, $0.branchKey) < ($1.organizationKey, $1.branchKey) }
    }

    func summary(_ code: String) -> String {
        let branches = below(code)
        guard !branches.isEmpty else { return "no counterpart branches" }
        return CoverageMap.summary(branches)
    }
}
