import Foundation

/// What sales rows are grouped by.
public enum SalesGrouping: String, CaseIterable, Codable, Sendable {
    case period, organization, branch, territory
    case productLine = "product_line"
}

/// How long a period of the `period` grouping is.
public enum PeriodGrain: String, CaseIterable, Codable, Sendable {
    case month, quarter, year

    /// The label of the period `month` falls in: `2025-07`, `2025-Q3` or `2025`.
    func label(_ month: YearMonth) -> String {
        switch self {
        case .month: month.description
        case .quarter: "\(month.year)-Q\((month.month - 1) / 3 + 1)"
        case .year: String(month.year)
        }
    }
}

/// Sell-in, sell-through and each side's gross profit, in one currency.
public struct SalesFigures: Codable, Sendable, Equatable {
    public var sellIn: Double = 0
    public var sellThrough: Double = 0
    public var manufacturerGrossProfit: Double = 0
    public var distributorGrossProfit: Double = 0

    public init(sellIn: Double = 0, sellThrough: Double = 0, manufacturerGrossProfit: Double = 0, distributorGrossProfit: Double = 0) {
        self.sellIn = sellIn; self.sellThrough = sellThrough
        self.manufacturerGrossProfit = manufacturerGrossProfit; self.distributorGrossProfit = distributorGrossProfit
    }

    mutating func add(_ sale: Snapshot.Sale) {
        sellIn += sale.sellIn ?? 0
        sellThrough += sale.sellThrough ?? 0
        manufacturerGrossProfit += sale.manufacturerGrossProfit ?? 0
        distributorGrossProfit += sale.distributorGrossProfit ?? 0
    }

    /// Amounts rounded to cents, so sums of many rows print as money.
    var rounded: SalesFigures {
        func cents(_ value: Double) -> Double { (value * 100).rounded() / 100 }
        return SalesFigures(sellIn: cents(sellIn), sellThrough: cents(sellThrough),
                            manufacturerGrossProfit: cents(manufacturerGrossProfit), distributorGrossProfit: cents(distributorGrossProfit))
    }
}

/// Growth against the same periods a year earlier, as a fraction (0.12 is 12% up); nil where the
/// year-earlier figure is zero, since no rate of growth from nothing means anything.
public struct SalesGrowth: Codable, Sendable, Equatable {
    public var sellIn: Double?
    public var sellThrough: Double?
    public var manufacturerGrossProfit: Double?
    public var distributorGrossProfit: Double?

    init(_ now: SalesFigures, _ before: SalesFigures) {
        func rate(_ now: Double, _ before: Double) -> Double? {
            before == 0 ? nil : ((now - before) / abs(before) * 10_000).rounded() / 10_000
        }
        sellIn = rate(now.sellIn, before.sellIn)
        sellThrough = rate(now.sellThrough, before.sellThrough)
        manufacturerGrossProfit = rate(now.manufacturerGrossProfit, before.manufacturerGrossProfit)
        distributorGrossProfit = rate(now.distributorGrossProfit, before.distributorGrossProfit)
    }
}

/// One group of sales rows. The grouping fields not asked for are nil.
public struct SalesRow: Codable, Sendable, Equatable {
    public var period: String?
    public var organizationKey: String?
    public var branchKey: String?
    public var territoryCode: String?
    public var productLine: String?
    public var currency: String
    public var figures: SalesFigures
    /// The same group a year earlier; nil when it had no sales rows.
    public var yearEarlier: SalesFigures?
    public var growth: SalesGrowth?
}

/// The sales and profit of one manufacturer's lines through its distributors.
public struct SalesSummary: Codable, Sendable, Equatable {
    public var manufacturerKey: String
    public var from: String
    public var to: String
    public var groupBy: [SalesGrouping]
    public var grain: PeriodGrain
    public var rows: [SalesRow]
}

/// What to report: which manufacturer's lines, which months, grouped how, filtered to what.
public struct SalesQuery: Sendable, Equatable {
    public var groupBy: [SalesGrouping] = [.period]
    public var grain: PeriodGrain = .month
    /// First and last month; by default the 12 months up to the latest month with sales (or
    /// from `from` on, when only that is given).
    public var from: YearMonth?
    public var to: YearMonth?
    /// The manufacturer whose lines are reported; by default the home organization.
    public var manufacturer: String?
    /// Only the branches of this distributor.
    public var organization: String?
    /// Only branches in this territory or below it.
    public var territory: String?
    public var productLine: String?

    public init(groupBy: [SalesGrouping] = [.period], grain: PeriodGrain = .month, from: YearMonth? = nil, to: YearMonth? = nil,
                manufacturer: String? = nil, organization: String? = nil, territory: String? = nil, productLine: String? = nil) {
        self.groupBy = groupBy; self.grain = grain; self.from = from; self.to = to
        self.manufacturer = manufacturer; self.organization = organization; self.territory = territory; self.productLine = productLine
    }

    /// What is wrong with the query for this snapshot, by field (unknown keys, an empty range).
    public func problems(in snapshot: Snapshot) -> [(field: String, message: String)] {
        var problems: [(String, String)] = []
        if let manufacturer, !snapshot.organizations.contains(where: { $0.key == manufacturer }) {
            problems.append(("manufacturer", "no organization \"\(manufacturer)\""))
        } else if manufacturer == nil, snapshot.home == nil {
            problems.append(("manufacturer", "required: the workspace has no home organization"))
        }
        if let organization, !snapshot.organizations.contains(where: { $0.key == organization }) {
            problems.append(("organization", "no organization \"\(organization)\""))
        }
        if let territory, !snapshot.territories.contains(where: { $0.code == territory }) {
            problems.append(("territory", "no territory \"\(territory)\""))
        }
        if let from, let to, to < from { problems.append(("to", "\(to) is before from \(from)")) }
        for (field, month) in [("from", from), ("to", to)] where month.map({ !(1900...9000).contains($0.year) }) == true {
            problems.append((field, "\(month!): expected a month between 1900 and 9000"))
        }
        return problems
    }
}

/// Groups sales rows and compares each group with the same periods a year earlier. Amounts in
/// different currencies are never added up: the currency is part of every group. A row without
/// a currency is in its distributor's currency, and failing that its manufacturer's.
public enum SalesReport {
    public static func summary(_ snapshot: Snapshot, query: SalesQuery) -> SalesSummary {
        let manufacturer = query.manufacturer.flatMap { key in snapshot.organizations.firstIndex { $0.key == key } } ?? snapshot.home
        let manufacturerKey = manufacturer.map { snapshot.organizations[$0].key } ?? ""
        let territories = query.territory.map { Self.territory($0, andBelow: snapshot.territories) }
        let organization = query.organization.flatMap { key in snapshot.organizations.firstIndex { $0.key == key } }
        let sales = snapshot.sales.filter { sale in
            sale.manufacturer == manufacturer && snapshot.branches.indices.contains(sale.branch)
                && (query.organization == nil || snapshot.branches[sale.branch].organization == organization)
                && (territories.map { snapshot.branches[sale.branch].territoryCode.map($0.contains) ?? false } ?? true)
                && (query.productLine.map { sale.productLine == $0 } ?? true)
        }
        let to = query.to ?? query.from?.adding(months: 11) ?? sales.map(\.period).max() ?? YearMonth(year: 2000, month: 1)
        let from = query.from ?? to.adding(months: -11)
        let earlierFrom = from.adding(months: -12), earlierTo = to.adding(months: -12)

        struct Group: Hashable {
            var period: String?, organization: Int?, branch: Int?, territory: String?, productLine: String?, currency: String
        }
        func group(_ sale: Snapshot.Sale, period: YearMonth) -> Group {
            let branch = snapshot.branches[sale.branch]
            let currency = sale.currency ?? snapshot.organizations[branch.organization].currency
                ?? snapshot.organizations[sale.manufacturer].currency ?? ""
            return Group(period: query.groupBy.contains(.period) ? query.grain.label(period) : nil,
                         organization: query.groupBy.contains(.organization) ? branch.organization : nil,
                         branch: query.groupBy.contains(.branch) ? sale.branch : nil,
                         territory: query.groupBy.contains(.territory) ? branch.territoryCode ?? "" : nil,
                         productLine: query.groupBy.contains(.productLine) ? sale.productLine : nil,
                         currency: currency)
        }
        var now: [Group: SalesFigures] = [:], before: [Group: SalesFigures] = [:]
        for sale in sales {
            if sale.period >= from && sale.period <= to {
                now[group(sale, period: sale.period), default: SalesFigures()].add(sale)
            } else if sale.period >= earlierFrom && sale.period <= earlierTo {
                // Filed under the period a year later, so it meets its counterpart.
                before[group(sale, period: sale.period.adding(months: 12)), default: SalesFigures()].add(sale)
            }
        }
        // A group with sales a year earlier and none now is shown at zero: it did not vanish, it fell by all.
        for key in before.keys where now[key] == nil { now[key] = SalesFigures() }
        let rows = now.map { key, figures in
            let earlier = before[key]
            return SalesRow(period: key.period, organizationKey: key.organization.map { snapshot.organizations[$0].key },
                            branchKey: key.branch.map { snapshot.branches[$0].key }, territoryCode: key.territory,
                            productLine: key.productLine, currency: key.currency, figures: figures.rounded, yearEarlier: earlier?.rounded,
                            growth: earlier.map { SalesGrowth(figures, $0) })
        }.sorted { lhs, rhs in
            let left = [lhs.period, lhs.organizationKey, lhs.branchKey, lhs.territoryCode, lhs.productLine, lhs.currency].map { $0 ?? "" }
            let right = [rhs.period, rhs.organizationKey, rhs.branchKey, rhs.territoryCode, rhs.productLine, rhs.currency].map { $0 ?? "" }
            return left.lexicographicallyPrecedes(right)
        }
        return SalesSummary(manufacturerKey: manufacturerKey, from: from.description, to: to.description,
                            groupBy: query.groupBy, grain: query.grain, rows: rows)
    }

    /// A territory's code with the codes of every territory below it.
    static func territory(_ code: String, andBelow territories: [Snapshot.Territory]) -> Set<String> {
        var children: [String: [String]] = [:]
        for territory in territories { if let parent = territory.parentCode { children[parent, default: []].append(territory.code) } }
        var result: Set<String> = [code], queue = [code]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where result.insert(child).inserted { queue.append(child) }
        }
        return result
    }
}
