import ArgumentParser
import Foundation
import TandemCore
import TandemServer
import TandemWorkspace

/// `tandem duplicates`: people, organizations and branches that look like one.
struct Duplicates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List likely duplicate people, organizations and branches, each with the merge that would join them.",
        discussion: "People with the same e-mail or near-identical names at one organization; organizations with near-identical names (legal forms ignored); branches of one organization with near-identical names."
    )

    @OptionGroup var data: DataOptions

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        let found = try await withWorkspace(data) { workspace in try await workspace.duplicates() }
        switch format {
        case .json:
            try printJSON(found)
        case .table:
            if found.isEmpty { print("no likely duplicates") }
            for candidate in found {
                print("\(candidate.kind.rawValue): \(candidate.mergeName) (\(candidate.merge)) → \(candidate.keepName) (\(candidate.keep)): \(candidate.reason)")
                print("  tandem merge \(candidate.kind.rawValue) \(candidate.keep) \(candidate.merge)")
            }
        }
    }
}

/// `tandem merge KIND KEEP DUPLICATE`.
struct Merge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge a duplicate person, organization or branch into the one to keep, keeping everything that refers to it.",
        discussion: "Interactions, employments, signatures, goal ownerships, review attendances, confirmations, branches, partnerships, pledges, risks and sales move to the record kept; it takes the duplicate's values where it has none; the duplicate is deleted. Sales rows both have for one month are kept once when identical, else added together. The merge is written to the audit trail."
    )

    @OptionGroup var data: DataOptions

    @Argument(help: "person, organization or branch.")
    var kind: MergeKind

    @Argument(help: "The key of the record to keep.")
    var keep: String

    @Argument(help: "The key of the duplicate, merged into it and deleted.")
    var duplicate: String

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    func run() async throws {
        let result = try await withWorkspace(data) { workspace in
            try await workspace.merge(kind, keep: keep, duplicate: duplicate, actor: commandLineActor, now: Accounts.now())
        }
        switch format {
        case .json: try printJSON(result)
        case .table: print(result.summary)
        }
    }
}

extension MergeKind: ExpressibleByArgument {}
