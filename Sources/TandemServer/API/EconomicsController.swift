import TandemCore
import TandemStore
import Vapor

extension SalesSummary: Content {}

/// Sales and profit of the served workspace, grouped, against the same months a year earlier.
struct EconomicsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("sales").get("summary") { req -> SalesSummary in
            let query = try Self.salesQuery(req)
            let snapshot = try await SnapshotLoader(sql: try req.db.sql(), workspaceID: try req.application.workspaceID).load(interactions: false)
            var checks = FieldChecks()
            for problem in query.problems(in: snapshot) { checks.fail(problem.field, problem.message) }
            try checks.throwIfAny()
            return SalesReport.summary(snapshot, query: query)
        }
    }

    /// The query parameters `by`, `period`, `from`, `to`, `manufacturer`, `organization`, `territory`, `product_line`.
    static func salesQuery(_ req: Request) throws -> SalesQuery {
        var checks = FieldChecks()
        var query = SalesQuery()
        func text(_ name: String) -> String? { req.query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 } }
        if let by = text("by") {
            query.groupBy = []
            for name in by.split(separator: ",").map(String.init) {
                if let group = SalesGrouping(rawValue: name) {
                    if !query.groupBy.contains(group) { query.groupBy.append(group) }
                } else {
                    checks.fail("by", "\"\(name)\" is not one of \(SalesGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
        }
        if let period = text("period") {
            if let grain = PeriodGrain(rawValue: period) { query.grain = grain } else { checks.fail("period", "\"\(period)\": expected month, quarter or year") }
        }
        for field in ["from", "to"] {
            guard let value = text(field) else { continue }
            guard let month = YearMonth(value) else { checks.fail(field, "\"\(value)\": expected a month YYYY-MM, e.g. 2025-07"); continue }
            if field == "from" { query.from = month } else { query.to = month }
        }
        query.manufacturer = text("manufacturer")
        query.organization = text("organization")
        query.territory = text("territory")
        query.productLine = text("product_line")
        try checks.throwIfAny()
        return query
    }
}
