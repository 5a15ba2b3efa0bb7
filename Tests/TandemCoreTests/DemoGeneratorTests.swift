import Foundation
import Testing
@testable import TandemCore

/// The CSV files of FORMATS.md with their columns in order, typed out independently of the generator.
private let demoExpectedHeaders: [String: [String]] = [
    "territories.csv": ["code", "name", "parent_code", "country"],
    "organizations.csv": ["key", "name", "kind", "country", "currency", "is_home"],
    "branches.csv": ["key", "organization_key", "name", "city", "country", "territory_code"],
    "people.csv": ["key", "name", "email", "phone", "country"],
    "employments.csv": ["person_key", "organization_key", "branch_key", "function", "title", "start_date", "end_date"],
    "interactions.csv": ["key", "date", "kind", "initiator_key", "participant_keys", "duration_minutes", "summary"],
    "partnerships.csv": ["key", "counterpart_key", "status", "commitment", "agreement_date", "signed_by_keys", "territory_codes", "notes"],
    "goals.csv": ["key", "partnership_key", "metric", "unit", "baseline", "target", "due_date", "owner_keys"],
    "goal_progress.csv": ["goal_key", "date", "value"],
    "commitments.csv": ["key", "partnership_key", "party_key", "asset", "amount", "unit", "currency", "due_date", "description"],
    "contributions.csv": ["commitment_key", "date", "amount", "confirmed_by_key", "note"],
    "risks.csv": ["partnership_key", "party_key", "description", "exposure_amount", "currency"],
    "sales.csv": ["period", "manufacturer_key", "branch_key", "product_line", "sell_in_amount", "sell_through_amount",
                  "manufacturer_gross_profit", "distributor_gross_profit", "currency"],
]

private let demoRelationalKinds: Set<String> = ["visit", "call", "meeting", "joint_customer_call", "training", "business_review",
                                                "event", "problem_resolution", "planning"]
private let demoTransactionalKinds: Set<String> = ["quote_request", "order_request", "pricing_request", "expedite", "complaint"]

/// A minimal RFC 4180 reader: quoted fields may hold commas, quotes and line breaks.
private enum DemoTestCSV {
    static func parse(_ data: Data) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        let bytes = [UInt8](data)
        var index = 0
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty {
                quoted = true
            } else if byte == UInt8(ascii: ",") {
                endField()
            } else if byte == UInt8(ascii: "\n") {
                endField()
                records.append(record)
                record = []
            } else if byte != UInt8(ascii: "\r") {
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }
}

/// One CSV file of a bundle, read into dictionaries keyed by column name.
private struct DemoTestTable {
    let header: [String]
    let rows: [[String: String]]

    init(_ url: URL) throws {
        let records = DemoTestCSV.parse(try Data(contentsOf: url))
        header = records.first ?? []
        let columns = header
        rows = records.dropFirst().map { record in
            var row: [String: String] = [:]
            for (index, column) in columns.enumerated() where index < record.count { row[column] = record[index] }
            return row
        }
    }

    func column(_ name: String) -> [String] { rows.map { $0[name] ?? "" } }
}

/// One employment: organization, branch, first day, last day (empty while it lasts).
private typealias DemoTestJob = (org: String, branch: String, start: String, end: String)

/// A generated bundle, read back, removed from disk when done.
private struct DemoTestBundle {
    let summary: DemoSummary
    let tables: [String: DemoTestTable]
    let truth: [String: Any]

    /// `TANDEM_DEMO_SEED` runs the checks against another seed.
    static func make(seed: UInt64 = UInt64(ProcessInfo.processInfo.environment["TANDEM_DEMO_SEED"] ?? "") ?? 20_260_630) throws -> DemoTestBundle {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try generateDemoBundle(size: .s, seed: seed, into: directory)
        var tables: [String: DemoTestTable] = [:]
        for name in demoExpectedHeaders.keys { tables[name] = try DemoTestTable(directory.appendingPathComponent(name)) }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("truth.json")))
        return DemoTestBundle(summary: summary, tables: tables, truth: json as? [String: Any] ?? [:])
    }

    func rows(_ name: String) -> [[String: String]] { tables[name]?.rows ?? [] }
    func keys(_ name: String, _ column: String = "key") -> Set<String> { Set(tables[name]?.column(column) ?? []) }
    func strings(_ key: String) -> [String] { truth[key] as? [String] ?? [] }
    func objects(_ key: String) -> [[String: String]] { truth[key] as? [[String: String]] ?? [] }

    /// person → jobs, to check who worked where on a date.
    var jobs: [String: [DemoTestJob]] {
        var result: [String: [DemoTestJob]] = [:]
        for row in rows("employments.csv") {
            result[row["person_key"] ?? "", default: []].append((row["organization_key"] ?? "", row["branch_key"] ?? "",
                                                                 row["start_date"] ?? "", row["end_date"] ?? ""))
        }
        return result
    }
}

/// Whether `person` works at an organization (or branch) on `date`: from the start date, strictly before the end date.
private func demoEmployed(_ jobs: [String: [DemoTestJob]], _ person: String, on date: String, where match: (DemoTestJob) -> Bool) -> Bool {
    (jobs[person] ?? []).contains { job in match(job) && job.start <= date && (job.end.isEmpty || date < job.end) }
}

/// Every file of a freshly generated small bundle, by name.
private func demoGenerateFiles(seed: UInt64) throws -> [String: Data] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-demo-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try generateDemoBundle(size: .s, seed: seed, into: directory)
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
        files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
    }
    return files
}

struct DemoGeneratorTests {
    @Test func sameSeedWritesIdenticalBytes() throws {
        // given two generations with the same size and seed
        let first = try demoGenerateFiles(seed: 7)
        let second = try demoGenerateFiles(seed: 7)
        // then every file, truth.json included, is byte for byte the same
        #expect(first.count == 14)
        #expect(Set(first.keys) == Set(demoExpectedHeaders.keys).union(["truth.json"]))
        for (name, data) in first {
            #expect(second[name] == data, "\(name) differs between two runs with the same seed")
        }
    }

    @Test func differentSeedWritesDifferentData() throws {
        let first = try demoGenerateFiles(seed: 7)
        let second = try demoGenerateFiles(seed: 8)
        for name in ["organizations.csv", "people.csv", "employments.csv", "interactions.csv", "sales.csv", "truth.json"] {
            #expect(first[name] != second[name], "\(name) is the same for seeds 7 and 8")
        }
    }

    @Test func smallBundleHasTheExpectedRowCounts() throws {
        let bundle = try DemoTestBundle.make()
        for name in demoExpectedHeaders.keys {
            #expect(bundle.summary.rowCounts[name] == bundle.rows(name).count, "summary of \(name)")
        }
        let expected: [String: ClosedRange<Int>] = [
            "organizations.csv": 15...15, "branches.csv": 20...90, "people.csv": 100...600, "employments.csv": 100...800,
            "interactions.csv": 1_500...2_600, "sales.csv": 3_000...25_000, "territories.csv": 150...600,
            "partnerships.csv": 4...12, "goals.csv": 4...40, "goal_progress.csv": 4...600, "commitments.csv": 8...40,
            "contributions.csv": 8...300, "risks.csv": 3...20,
        ]
        for (name, range) in expected {
            #expect(range.contains(bundle.rows(name).count), "\(name) has \(bundle.rows(name).count) rows, expected \(range)")
        }
        #expect(bundle.rows("employments.csv").count >= bundle.rows("people.csv").count)
        let countries = bundle.rows("territories.csv").filter { ($0["parent_code"] ?? "").isEmpty }
        #expect(countries.count >= 30)
    }

    @Test func everyHeaderMatchesTheFormat() throws {
        let bundle = try DemoTestBundle.make()
        for (name, header) in demoExpectedHeaders {
            #expect(bundle.tables[name]?.header == header, "header of \(name)")
        }
    }

    @Test func keysAreUniqueAndEveryReferenceResolves() throws {
        let bundle = try DemoTestBundle.make()
        for (name, column) in [("organizations.csv", "key"), ("branches.csv", "key"), ("people.csv", "key"), ("interactions.csv", "key"),
                               ("partnerships.csv", "key"), ("goals.csv", "key"), ("commitments.csv", "key"), ("territories.csv", "code")] {
            let values = bundle.rows(name).map { $0[column] ?? "" }
            #expect(Set(values).count == values.count, "\(name) repeats a \(column)")
            #expect(values.allSatisfy { !$0.isEmpty && $0.utf8.count <= 128 && $0.allSatisfy(\.isASCII) && !$0.contains(";") })
        }
        let organizations = bundle.keys("organizations.csv")
        let people = bundle.keys("people.csv")
        let territories = bundle.keys("territories.csv", "code")
        let branchOwner = Dictionary(uniqueKeysWithValues: bundle.rows("branches.csv").map { ($0["key"] ?? "", $0["organization_key"] ?? "") })
        let kinds = Dictionary(uniqueKeysWithValues: bundle.rows("organizations.csv").map { ($0["key"] ?? "", $0["kind"] ?? "") })
        let currencies = Dictionary(uniqueKeysWithValues: bundle.rows("organizations.csv").map { ($0["key"] ?? "", $0["currency"] ?? "") })
        for row in bundle.rows("territories.csv") where !(row["parent_code"] ?? "").isEmpty {
            #expect(territories.contains(row["parent_code"] ?? ""), "territory \(row["code"] ?? "") has an unknown parent")
        }
        for row in bundle.rows("branches.csv") {
            #expect(organizations.contains(row["organization_key"] ?? ""))
            #expect(territories.contains(row["territory_code"] ?? ""))
        }
        for row in bundle.rows("employments.csv") {
            #expect(people.contains(row["person_key"] ?? ""))
            #expect(organizations.contains(row["organization_key"] ?? ""))
            #expect(branchOwner[row["branch_key"] ?? ""] == row["organization_key"], "employment branch outside its organization")
        }
        for row in bundle.rows("interactions.csv") {
            let participants = (row["participant_keys"] ?? "").split(separator: ";").map(String.init)
            #expect(participants.allSatisfy(people.contains), "interaction \(row["key"] ?? "") names an unknown person")
            #expect(participants.contains(row["initiator_key"] ?? ""), "initiator of \(row["key"] ?? "") is not a participant")
        }
        let partnerOf = Dictionary(uniqueKeysWithValues: bundle.rows("partnerships.csv").map { ($0["key"] ?? "", $0["counterpart_key"] ?? "") })
        for row in bundle.rows("partnerships.csv") {
            #expect(kinds[row["counterpart_key"] ?? ""] == "distributor")
            #expect((row["signed_by_keys"] ?? "").split(separator: ";").allSatisfy { people.contains(String($0)) })
            #expect((row["territory_codes"] ?? "").split(separator: ";").allSatisfy { territories.contains(String($0)) })
        }
        for row in bundle.rows("goals.csv") {
            #expect(partnerOf[row["partnership_key"] ?? ""] != nil)
            #expect((row["owner_keys"] ?? "").split(separator: ";").allSatisfy { people.contains(String($0)) })
        }
        let goals = bundle.keys("goals.csv")
        #expect(bundle.rows("goal_progress.csv").allSatisfy { goals.contains($0["goal_key"] ?? "") })
        var pledgeParty: [String: String] = [:]
        for row in bundle.rows("commitments.csv") {
            let counterpart = partnerOf[row["partnership_key"] ?? ""]
            #expect(counterpart != nil)
            #expect(row["party_key"] == "home" || row["party_key"] == counterpart, "pledge by a third party")
            pledgeParty[row["key"] ?? ""] = row["party_key"]
        }
        for row in bundle.rows("contributions.csv") {
            #expect(pledgeParty[row["commitment_key"] ?? ""] != nil)
            let confirmer = row["confirmed_by_key"] ?? ""
            #expect(confirmer.isEmpty || people.contains(confirmer))
        }
        for row in bundle.rows("risks.csv") {
            let counterpart = partnerOf[row["partnership_key"] ?? ""]
            #expect(counterpart != nil)
            #expect(row["party_key"] == "home" || row["party_key"] == counterpart)
        }
        for row in bundle.rows("sales.csv") {
            let owner = branchOwner[row["branch_key"] ?? ""] ?? ""
            #expect(row["manufacturer_key"] == "home")
            #expect(kinds[owner] == "distributor", "sales through a branch that is not a distributor's")
            #expect(row["currency"] == currencies[owner], "sales not in the distributor's currency")
        }
    }

    @Test func exactlyOneOrganizationIsHome() throws {
        let bundle = try DemoTestBundle.make()
        let flags = bundle.rows("organizations.csv").map { ($0["key"] ?? "", $0["is_home"] ?? "") }
        #expect(flags.filter { $0.1 == "true" }.map(\.0) == ["home"])
        #expect(flags.allSatisfy { $0.1 == "true" || $0.1.isEmpty })
        let home = bundle.rows("organizations.csv").first { $0["key"] == "home" }
        #expect(home?["kind"] == "manufacturer")
        for kind in ["distributor", "manufacturer", "rep_agency", "buying_group"] {
            #expect(bundle.rows("organizations.csv").contains { $0["kind"] == kind && $0["key"] != "home" }, "no other \(kind)")
        }
    }

    @Test func everyInteractionJoinsBothSidesEmployedThatDay() throws {
        let bundle = try DemoTestBundle.make()
        let jobs = bundle.jobs
        var previous = ""
        for row in bundle.rows("interactions.csv") {
            let date = String((row["date"] ?? "").prefix(10))
            let participants = (row["participant_keys"] ?? "").split(separator: ";").map(String.init)
            let home = participants.filter { demoEmployed(jobs, $0, on: date) { $0.org == "home" } }
            let others = participants.filter { demoEmployed(jobs, $0, on: date) { $0.org != "home" } }
            #expect(!home.isEmpty, "\(row["key"] ?? "") has no home participant employed on \(date)")
            #expect(!others.isEmpty, "\(row["key"] ?? "") has no counterpart employed on \(date)")
            #expect(Set(home).union(others).count == Set(participants).count, "\(row["key"] ?? "") has someone not employed that day")
            #expect(date >= previous, "interactions out of date order at \(row["key"] ?? "")")
            previous = date
        }
    }

    @Test func valuesFollowTheFormat() throws {
        let bundle = try DemoTestBundle.make()
        let isDate = demoIsDate
        let isMoney = demoIsMoney
        let kinds = demoRelationalKinds.union(demoTransactionalKinds).union(["email", "other"])
        var timestamps = 0
        for row in bundle.rows("interactions.csv") {
            #expect(kinds.contains(row["kind"] ?? ""))
            let date = row["date"] ?? ""
            #expect(demoIsDate(date) || demoIsTimestamp(date), "bad interaction date \(date)")
            if date.count > 10 { timestamps += 1 }
            let duration = row["duration_minutes"] ?? ""
            #expect(duration.isEmpty || Int(duration) != nil)
        }
        #expect(timestamps > 0)
        let functions: Set<String> = ["inside_sales", "outside_sales", "sales_management", "purchasing", "marketing", "executive", "other"]
        for row in bundle.rows("employments.csv") {
            #expect(functions.contains(row["function"] ?? ""))
            let start = row["start_date"] ?? "", end = row["end_date"] ?? ""
            #expect(isDate(start) && (end.isEmpty || (isDate(end) && start < end)))
        }
        for row in bundle.rows("organizations.csv") {
            #expect(demoIsCode(row["country"] ?? "", length: 2) && demoIsCode(row["currency"] ?? "", length: 3))
        }
        for row in bundle.rows("partnerships.csv") {
            #expect(["proposed", "active", "suspended", "ended"].contains(row["status"] ?? ""))
            #expect(["expressed", "implied", "none"].contains(row["commitment"] ?? ""))
        }
        for row in bundle.rows("commitments.csv") {
            #expect(["time_hours", "money", "inventory", "people", "training", "exclusivity", "other"].contains(row["asset"] ?? ""))
            #expect(isMoney(row["amount"] ?? ""))
        }
        #expect(bundle.rows("contributions.csv").allSatisfy { isMoney($0["amount"] ?? "") && isDate($0["date"] ?? "") })
        #expect(bundle.rows("goal_progress.csv").allSatisfy { isMoney($0["value"] ?? "") && isDate($0["date"] ?? "") })
        for row in bundle.rows("sales.csv") {
            #expect(demoIsDate((row["period"] ?? "") + "-01"), "period \(row["period"] ?? "")")
            for column in ["sell_in_amount", "sell_through_amount", "manufacturer_gross_profit", "distributor_gross_profit"] {
                #expect(isMoney(row[column] ?? ""), "\(column) = \(row[column] ?? "")")
            }
        }
        let names = bundle.rows("organizations.csv").map { $0["name"] ?? "" } + bundle.rows("people.csv").map { $0["name"] ?? "" }
        #expect(names.contains { $0.contains(",") } && names.contains { $0.contains("\"") } && names.contains { $0.contains("'") })
        #expect(names.contains { $0.unicodeScalars.contains { $0.value >= 0x3040 && $0.value <= 0x9FFF } }, "no CJK names")
        #expect(names.contains { $0.unicodeScalars.contains { $0.value >= 0x0600 && $0.value <= 0x06FF } }, "no Arabic names")
    }

    @Test func truthNamesOnlyKeysOfTheBundle() throws {
        let bundle = try DemoTestBundle.make()
        let expectedKeys: Set<String> = ["size", "seed", "as_of", "home_key", "partnerships", "partnerships_at_risk", "deep_relationships",
                                         "order_seekers", "transactional", "cooling_relationships", "uncovered_branches",
                                         "single_threaded_branches", "moved_people"]
        #expect(Set(bundle.truth.keys) == expectedKeys)
        #expect(bundle.truth["as_of"] as? String == "2026-06-30")
        #expect(bundle.truth["size"] as? String == "s")
        let organizations = bundle.keys("organizations.csv")
        let people = bundle.keys("people.csv")
        let branches = bundle.keys("branches.csv")
        #expect(organizations.contains(bundle.truth["home_key"] as? String ?? ""))
        let seekers = bundle.truth["order_seekers"] as? [String: [String]] ?? [:]
        for list in ["partnerships", "partnerships_at_risk", "deep_relationships", "transactional"] {
            #expect(!bundle.strings(list).isEmpty, "\(list) is empty")
            #expect(bundle.strings(list).allSatisfy(organizations.contains), "\(list) names an unknown organization")
        }
        #expect(!(seekers["organizations"] ?? []).isEmpty && (seekers["organizations"] ?? []).allSatisfy(organizations.contains))
        #expect(!(seekers["people"] ?? []).isEmpty && (seekers["people"] ?? []).allSatisfy(people.contains))
        for list in ["uncovered_branches", "single_threaded_branches"] {
            #expect(!bundle.strings(list).isEmpty && bundle.strings(list).allSatisfy(branches.contains), "\(list)")
        }
        #expect(!bundle.objects("cooling_relationships").isEmpty)
        for pair in bundle.objects("cooling_relationships") {
            #expect(people.contains(pair["home_person"] ?? "") && people.contains(pair["counterpart_person"] ?? ""))
        }
        let jobs = bundle.jobs
        #expect(!bundle.objects("moved_people").isEmpty)
        for move in bundle.objects("moved_people") {
            let history = jobs[move["person"] ?? ""] ?? []
            #expect(history.contains { $0.org == move["from"] } && history.contains { $0.org == move["to"] && $0.end.isEmpty })
        }
        // The planted groups do not overlap.
        let groups = ["partnerships", "partnerships_at_risk", "deep_relationships", "transactional"].map { Set(bundle.strings($0)) }
            + [Set(seekers["organizations"] ?? [])]
        #expect(groups.reduce(0) { $0 + $1.count } == groups.reduce(Set<String>()) { $0.union($1) }.count)
    }

    @Test func orderSeekersAskForOrdersThemselves() throws {
        let bundle = try DemoTestBundle.make()
        let jobs = bundle.jobs
        let seekers = bundle.truth["order_seekers"] as? [String: [String]] ?? [:]
        let interactions = bundle.rows("interactions.csv")
        func shares(_ isMine: (String, String) -> Bool) -> (count: Int, transactional: Double, selfInitiated: Double) {
            var count = 0, transactional = 0, initiated = 0
            for row in interactions {
                let date = String((row["date"] ?? "").prefix(10))
                let participants = (row["participant_keys"] ?? "").split(separator: ";").map(String.init)
                guard participants.contains(where: { isMine($0, date) }) else { continue }
                count += 1
                if demoTransactionalKinds.contains(row["kind"] ?? "") { transactional += 1 }
                if isMine(row["initiator_key"] ?? "", date) { initiated += 1 }
            }
            return (count, Double(transactional) / Double(max(1, count)), Double(initiated) / Double(max(1, count)))
        }
        for org in seekers["organizations"] ?? [] {
            let result = shares { person, date in demoEmployed(jobs, person, on: date) { $0.org == org } }
            #expect(result.count >= 20, "\(org) has too few dealings")
            #expect(result.transactional >= 0.6, "\(org) transactional share \(result.transactional)")
            #expect(result.selfInitiated >= 0.6, "\(org) self-initiated share \(result.selfInitiated)")
        }
        for person in seekers["people"] ?? [] {
            let result = shares { candidate, _ in candidate == person }
            #expect(result.transactional >= 0.55 && result.selfInitiated >= 0.6, "\(person): \(result)")
        }
        // The contrast: true partners deal mostly relationally.
        for org in bundle.strings("partnerships") {
            let result = shares { person, date in demoEmployed(jobs, person, on: date) { $0.org == org } }
            #expect(result.transactional < 0.35, "\(org) partner transactional share \(result.transactional)")
        }
        for org in bundle.strings("transactional") {
            let result = shares { person, date in demoEmployed(jobs, person, on: date) { $0.org == org } }
            #expect(result.count > 0 && interactions.allSatisfy { row in
                let date = String((row["date"] ?? "").prefix(10))
                let mine = (row["participant_keys"] ?? "").split(separator: ";").contains { demoEmployed(jobs, String($0), on: date) { $0.org == org } }
                return !mine || !demoRelationalKinds.contains(row["kind"] ?? "")
            }, "\(org) has relational dealings")
        }
    }

    @Test func plantedPartnershipsAndBranchesShowInTheData() throws {
        let bundle = try DemoTestBundle.make()
        let jobs = bundle.jobs
        let partnerships = bundle.rows("partnerships.csv")
        for org in bundle.strings("partnerships") + bundle.strings("partnerships_at_risk") {
            let row = partnerships.first { $0["counterpart_key"] == org }
            #expect(row?["status"] == "active" && row?["commitment"] == "expressed")
            let date = row?["agreement_date"] ?? ""
            let signers = (row?["signed_by_keys"] ?? "").split(separator: ";").map(String.init)
            #expect(signers.contains { demoEmployed(jobs, $0, on: date) { $0.org == "home" } }, "\(org) not signed by home")
            #expect(signers.contains { demoEmployed(jobs, $0, on: date) { $0.org == org } }, "\(org) not signed by the partner")
        }
        for org in bundle.strings("deep_relationships") {
            #expect(partnerships.filter { $0["counterpart_key"] == org }.allSatisfy { $0["status"] == "proposed" })
        }
        // True partners delivered their own pledges; active order-seekers delivered none of theirs.
        let partnershipOf = Dictionary(uniqueKeysWithValues: partnerships.map { ($0["key"] ?? "", $0["counterpart_key"] ?? "") })
        var delivered: [String: Int] = [:]
        for row in bundle.rows("contributions.csv") where !(row["confirmed_by_key"] ?? "").isEmpty {
            delivered[row["commitment_key"] ?? "", default: 0] += 1
        }
        // Each contribution is confirmed, if at all, by someone working for the other side that day.
        let pledges = Dictionary(uniqueKeysWithValues: bundle.rows("commitments.csv").map { ($0["key"] ?? "", $0) })
        for row in bundle.rows("contributions.csv") where !(row["confirmed_by_key"] ?? "").isEmpty {
            let pledge = pledges[row["commitment_key"] ?? ""]
            let counterpart = partnershipOf[pledge?["partnership_key"] ?? ""] ?? ""
            let otherSide = pledge?["party_key"] == "home" ? counterpart : "home"
            #expect(demoEmployed(jobs, row["confirmed_by_key"] ?? "", on: row["date"] ?? "") { $0.org == otherSide },
                    "contribution to \(row["commitment_key"] ?? "") confirmed by its own side")
        }
        let seekers = Set((bundle.truth["order_seekers"] as? [String: [String]])?["organizations"] ?? [])
        for pledge in bundle.rows("commitments.csv") {
            let org = partnershipOf[pledge["partnership_key"] ?? ""] ?? ""
            guard pledge["party_key"] == org else { continue }
            if seekers.contains(org) { #expect(delivered[pledge["key"] ?? ""] == nil, "order-seeker \(org) delivered a pledge") }
            if bundle.strings("partnerships").contains(org) { #expect(delivered[pledge["key"] ?? ""] != nil, "partner \(org) delivered nothing") }
        }
        // Partnerships grow their sales after the agreement.
        for org in bundle.strings("partnerships") {
            guard let agreement = partnerships.first(where: { $0["counterpart_key"] == org })?["agreement_date"] else { continue }
            let month = String(agreement.prefix(7))
            var before = 0.0, after = 0.0
            for row in bundle.rows("sales.csv") where (row["branch_key"] ?? "").hasPrefix(org + "-") {
                let amount = Double(row["sell_in_amount"] ?? "") ?? 0
                if let period = row["period"], period < month, period >= demoShift(month, by: -12) { before += amount }
                if let period = row["period"], period > month, period <= demoShift(month, by: 12) { after += amount }
            }
            #expect(after > before * 1.05, "\(org): sales \(before) → \(after) around \(agreement)")
        }
        // Uncovered branches see nobody; single-threaded ones exactly one counterpart person.
        var dealers: [String: Set<String>] = [:]
        for row in bundle.rows("interactions.csv") {
            let date = String((row["date"] ?? "").prefix(10))
            for person in (row["participant_keys"] ?? "").split(separator: ";").map(String.init) {
                for job in jobs[person] ?? [] where job.org != "home" && job.start <= date && (job.end.isEmpty || date < job.end) {
                    dealers[job.branch, default: []].insert(person)
                }
            }
        }
        for branch in bundle.strings("uncovered_branches") { #expect(dealers[branch] == nil, "\(branch) has dealings") }
        for branch in bundle.strings("single_threaded_branches") { #expect(dealers[branch]?.count == 1, "\(branch) is not single-threaded") }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["TANDEM_DEMO_XL"] != nil))
    func extraLargeBundleIsQuick() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-demo-xl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = Date()
        let summary = try generateDemoBundle(size: .xl, seed: 1, into: directory)
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds < 120)
        #expect((2_500_000...3_500_000).contains(summary.rowCounts["interactions.csv"] ?? 0))
        #expect((800_000...1_200_000).contains(summary.rowCounts["sales.csv"] ?? 0))
        #expect((17_000...25_000).contains(summary.rowCounts["people.csv"] ?? 0))
        #expect(summary.rowCounts["organizations.csv"] == 1_005)
    }
}

/// `YYYY-MM` moved by whole months.
private func demoShift(_ period: String, by months: Int) -> String {
    let year = Int(period.prefix(4)) ?? 0, month = Int(period.suffix(2)) ?? 1
    let total = year * 12 + month - 1 + months
    return String(format: "%04d-%02d", total / 12, total % 12 + 1)
}

private func demoDigits(_ text: Substring) -> Int? {
    text.allSatisfy { $0.isASCII && $0.isNumber } && !text.isEmpty ? Int(text) : nil
}

/// `YYYY-MM-DD` with a plausible month and day.
private func demoIsDate(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard text.count == 10, parts.count == 3, parts[0].count == 4, demoDigits(parts[0]) != nil,
          let month = demoDigits(parts[1]), let day = demoDigits(parts[2]) else { return false }
    return (1...12).contains(month) && (1...31).contains(day)
}

/// `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM`.
private func demoIsTimestamp(_ text: String) -> Bool {
    let characters = Array(text)
    guard characters.count == 20 || characters.count == 25, demoIsDate(String(characters[0..<10])), characters[10] == "T",
          let hour = demoDigits(Substring(String(characters[11..<13]))), characters[13] == ":",
          let minute = demoDigits(Substring(String(characters[14..<16]))), characters[16] == ":",
          demoDigits(Substring(String(characters[17..<19]))) != nil, hour < 24, minute < 60 else { return false }
    if characters.count == 20 { return characters[19] == "Z" }
    return (characters[19] == "+" || characters[19] == "-") && characters[22] == ":"
        && demoDigits(Substring(String(characters[20..<22]))) != nil && demoDigits(Substring(String(characters[23..<25]))) != nil
}

/// A plain decimal with exactly two places: `1250.50`, never an exponent or a thousands separator.
private func demoIsMoney(_ text: String) -> Bool {
    let unsigned = text.hasPrefix("-") ? Substring(text.dropFirst()) : Substring(text)
    let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 2 && demoDigits(parts[0]) != nil && parts[1].count == 2 && demoDigits(parts[1]) != nil
}

private func demoIsCode(_ text: String, length: Int) -> Bool {
    text.count == length && text.allSatisfy { $0.isASCII && $0.isUppercase }
}
