import TandemCore

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
