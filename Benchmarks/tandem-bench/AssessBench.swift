import ArgumentParser
import Foundation
import Logging
import TandemCore
import TandemStore

/// The assessment of a workspace against loading its snapshot from SQLite, in the same run.
struct AssessBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assess", abstract: "Assessment time against snapshot loading.")

    @Option(help: "Demo size to generate and import: s, m, l or xl.")
    var size: String = "l"

    @Option(help: "Use this SQLite database (already imported) instead of generating one.")
    var db: String?

    @Option(help: "Workspace of --db.")
    var workspace: String = "default"

    @Option(help: "The as-of date.")
    var asOf: String = "2026-06-30"

    func run() async throws {
        printTable(try await figures())
    }

    /// The figures of this benchmark, each with its baseline.
    func figures() async throws -> [Figure] {
        guard let asOfDate = LocalDate(asOf) else { throw ValidationError("--as-of must be a date like 2026-06-30") }
        let work = try scratchFolder("assess")
        defer { try? FileManager.default.removeItem(at: work) }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let path: String
        var workspaceName = workspace
        if let db {
            path = db
        } else {
            guard let demoSize = DemoSize(rawValue: size) else { throw ValidationError("--size must be s, m, l or xl") }
            let folder = work.appendingPathComponent("bundle")
            _ = try generateDemoBundle(size: demoSize, seed: 1, into: folder)
            path = work.appendingPathComponent("assess.sqlite").path
            let store = try await Store.open(.sqlite(path: path), logger: logger)
            _ = try await BundleImporter().importBundle(from: folder, into: store.database, workspace: "bench")
            await store.shutdown()
            workspaceName = "bench"
        }
        let store = try await Store.open(.sqlite(path: path), logger: logger)
        let sql = try store.sql
        guard let workspaceID = try await WorkspaceRepository(sql: sql).find(named: workspaceName) else {
            throw ValidationError("no workspace \"\(workspaceName)\" in \(path)")
        }
        var snapshot = Snapshot()
        resetPeakMemory()
        let loadSeconds = try await measure { snapshot = try await SnapshotLoader(sql: sql, workspaceID: workspaceID).load() }
        await store.shutdown()
        let loadPeak = peakMemoryMiB()
        resetPeakMemory()
        var report: AssessmentReport?
        let assessSeconds = await measure { report = Assessor().assess(snapshot, asOf: asOfDate) }
        let assessPeak = peakMemoryMiB()
        print("snapshot: \(snapshot.interactions.count) interactions, \(snapshot.people.count) people; loaded in \(String(format: "%.2f", loadSeconds)) s, "
              + "peak memory \(formatMiB(loadPeak))")
        print("assessment: \(report?.relationships.count ?? 0) relationships, \(report?.assessments.count ?? 0) counterparts in \(String(format: "%.2f", assessSeconds)) s, "
              + "peak memory \(formatMiB(assessPeak)) (the snapshot included)")
        // One new dealing at a time, each between the two people of a relationship spread through
        // the list (the strongest first: the busiest people), folded into the assessment.
        var state = AssessmentState(snapshot, asOf: asOfDate)
        state.releaseInteractions()
        let relationships = report?.relationships ?? []
        let people = Dictionary(snapshot.people.indices.map { (snapshot.people[$0].key, $0) }, uniquingKeysWith: { first, _ in first })
        let dealings = stride(from: 0, to: relationships.count, by: max(1, relationships.count / 25)).compactMap { step -> Snapshot.Interaction? in
            guard let ours = people[relationships[step].homePerson], let theirs = people[relationships[step].counterpartPerson] else { return nil }
            return Snapshot.Interaction(key: "bench-\(step)", date: asOfDate, kind: step % 2 == 0 ? .visit : .orderRequest,
                                        initiator: step % 2 == 0 ? ours : theirs, participants: [ours, theirs], durationMinutes: 45)
        }
        // The state alone holds the workspace from here, as the server's cache does, so that a change does not copy it.
        snapshot = Snapshot()
        report = nil
        var foldSeconds: [Double] = []
        for dealing in dealings {
            foldSeconds.append(await measure { _ = state.add(dealing) })
        }
        guard !foldSeconds.isEmpty else { throw ValidationError("no relationships to add dealings to") }
        foldSeconds.sort()
        let median = foldSeconds[foldSeconds.count / 2]
        print("incremental (the interactions let go, as the server does): \(foldSeconds.count) new dealings folded in, "
              + "median \(String(format: "%.1f", median * 1000)) ms, slowest \(String(format: "%.1f", foldSeconds.last! * 1000)) ms")
        return [Figure(name: "full assessments/s", value: 1 / assessSeconds, baseline: 1 / loadSeconds,
                       baselineName: "snapshot loads/s", unit: "/s"),
                Figure(name: "new dealings folded in/s (median)", value: 1 / median, baseline: 1 / assessSeconds,
                       baselineName: "full assessments/s", unit: "/s")]
    }
}
