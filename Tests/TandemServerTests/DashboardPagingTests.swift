import Foundation
import TandemCore
@testable import TandemServer
import TandemStore
@testable import TandemWorkspace
import Testing
import Vapor
import VaporTesting

/// The dashboard of a large channel shows its coverage and its portfolio a page at a time,
/// every counterpart reachable through the pages and the classification tiles.
@Suite struct DashboardPagingTests {
    /// 120 distributors, each with a branch and a person who dealt with the home company's rep:
    /// one visit for the even ones, six for the odd ones.
    static func bundle() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let distributors = (1...120).map { String(format: "d%03d", $0) }
        let today = LocalDate(Date(), in: TimeZone(identifier: "UTC")!)
        var interactions = "key,date,kind,initiator_key,participant_keys,duration_minutes,summary\n"
        for (index, key) in distributors.enumerated() {
            for visit in 0..<(index % 2 == 0 ? 1 : 6) {
                interactions += "i-\(key)-\(visit),\(today.adding(days: -20 * visit - 1)),visit,rep,rep;p-\(key),60,\n"
            }
        }
        let files = [
            "territories.csv": "code,name,parent_code,country\nDE,Germany,,DE\n",
            "organizations.csv": "key,name,kind,country,currency,is_home\nhome,Voltwerk GmbH,manufacturer,DE,EUR,true\n"
                + distributors.map { "\($0),Distributor \($0),distributor,DE,EUR,\n" }.joined(),
            "branches.csv": "key,organization_key,name,city,country,territory_code\n" + distributors.map { "\($0)-b,\($0),Main,Berlin,DE,DE\n" }.joined(),
            "people.csv": "key,name,email,phone,country\nrep,Rita Rep,,,DE\n" + distributors.map { "p-\($0),Person \($0),,,DE\n" }.joined(),
            "employments.csv": "person_key,organization_key,branch_key,function,title,start_date,end_date\nrep,home,,outside_sales,,2015-01-01,\n"
                + distributors.map { "p-\($0),\($0),\($0)-b,inside_sales,,2015-01-01,\n" }.joined(),
            "interactions.csv": interactions,
        ]
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    @Test func largeChannelsArePaged() async throws {
        let workspace = "paging-\(UUID().uuidString)"
        try await withTandemApp(.sqlite, workspace: workspace) { app in
            // given
            let folder = try Self.bundle()
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try await BundleImporter().importBundle(from: folder, into: app.db, workspace: workspace)
            _ = try await addUser(app, email: "admin@paging.example", role: .admin)
            let session = try await signIn(app, email: "admin@paging.example")
            func page(_ path: String) async throws -> String {
                var html = ""
                try await app.testing().test(.GET, path, headers: ["Cookie": "\(WebSession.cookie)=\(session)"]) { response in
                    #expect(response.status == .ok, "\(path)")
                    html = response.body.string
                }
                return html
            }
            func counterparts(_ html: String, in section: String) -> Set<String> {
                let start = html.range(of: "id=\"\(section)\"")?.upperBound ?? html.endIndex
                let end = html[start...].range(of: "<section")?.lowerBound ?? html.endIndex
                return Set(html[start..<end].matches(of: /href="\/organizations\/(d\d{3})"/).map { String($0.output.1) })
            }
            // when / then: fifty a page, the weakest covered first, the next page through its link
            let first = try await page("/")
            #expect(first.contains("1–50 of 120 counterparts"))
            let firstCoverage = counterparts(first, in: "backbone")
            #expect(firstCoverage.count == 50)
            #expect(firstCoverage.allSatisfy { Int($0.dropFirst())! % 2 == 1 }, "a single visit makes no live relationship: those counterparts (d001, d003, …) come first")
            var seen = Set<String>(), path: String? = "/"
            while let current = path {
                let html = try await page(current)
                seen.formUnion(counterparts(html, in: "backbone"))
                path = html.firstMatch(of: /href="([^"]*coverage_from=\d+[^"]*)">next/).map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") }
            }
            #expect(seen.count == 120)
            let portfolio = counterparts(first, in: "portfolio")
            #expect(portfolio.count == 50)
            let third = try await page("/?portfolio_from=100#portfolio")
            #expect(third.contains("101–120 of 120 counterparts"))
            // A territory's branches, a hundred at a time.
            let territory = try await page("/territories/DE")
            #expect(territory.contains("1–100 of 120 branches") && territory.contains("/territories/DE?branches_from=100#branches"))
            #expect(try await page("/territories/DE?branches_from=100").contains("101–120 of 120 branches"))
            // A tile shows one classification alone.
            let report = try await try app.readModel.entry(revision: try await WorkspaceRepository(app.db).revision(of: try app.workspaceID),
                                                                                 asOf: LocalDate(Date(), in: TimeZone(identifier: "UTC")!)) { throw Abort(.internalServerError) }.report
            let classification = try #require(report.assessments.first?.classification)
            let count = report.assessments.filter { $0.classification == classification }.count
            let only = try await page("/?classification=\(classification.rawValue)")
            #expect(counterparts(only, in: "portfolio").count == min(50, count))
            #expect(only.contains("tile \(classification.rawValue) selected"))
            // Paging one list keeps the other's place and filter.
            #expect(only.contains("/?coverage_from=50&classification=\(classification.rawValue)#backbone"))
            #expect(try await page("/?coverage_from=50").contains("/?coverage_from=50&portfolio_from=50#portfolio"))
        }
    }
}

/// An organization's page charts its sales, read from the database: the workspace in memory
/// keeps only the sales' totals.
@Suite struct OrganizationSalesTests {
    @Test(arguments: ServerBackend.available)
    func anOrganizationPageChartsItsSales(_ backend: ServerBackend) async throws {
        let workspace = "sales-page-\(UUID().uuidString)"
        try await withTandemApp(backend, workspace: workspace) { app in
            // given the s demo
            try await importDemo(app, workspace: workspace, seed: 1)
            _ = try await addUser(app, email: "admin@sales.example", role: .admin)
            let session = try await signIn(app, email: "admin@sales.example")
            let workspaceID = try app.workspaceID
            let key = try #require(try await app.db.sql().raw("""
                SELECT o.key FROM sales s JOIN branches b ON b.id = s.branch_id JOIN organizations o ON o.id = b.organization_id \
                WHERE s.workspace_id = \(bind: workspaceID) ORDER BY s.period DESC LIMIT 1
                """).first()?.decode(column: "key", as: String.self))
            // when / then
            try await app.testing().test(.GET, "/organizations/\(key)", headers: ["Cookie": "\(WebSession.cookie)=\(session)"]) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Sales and profit for both sides"))
                #expect(response.body.string.contains("id=\"sales\""))
            }
            #expect(try await try app.readModel.entry(
                revision: try await WorkspaceRepository(app.db).revision(of: workspaceID),
                asOf: LocalDate(Date(), in: TimeZone(identifier: "UTC")!)) { throw Abort(.internalServerError) }.snapshot.sales.isEmpty)
        }
    }
}
