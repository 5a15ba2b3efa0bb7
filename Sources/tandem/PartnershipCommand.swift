import ArgumentParser
import Foundation
import TandemCore
import TandemWorkspace

/// `tandem partnership …`: a partnership's lifecycle and the records both sides share.
struct PartnershipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partnership",
        abstract: "Propose, activate, suspend and end partnerships; record goals, pledges, contributions, risks and reviews.",
        subcommands: [List.self, Show.self, Propose.self, Activate.self, Suspend.self, End.self, Goal.self, Progress.self, Pledge.self,
                      Contribute.self, Confirm.self, Risk.self, Review.self]
    )

    /// Output options of every partnership verb.
    struct Output: ParsableArguments {
        @Option(help: "table or json.")
        var format: OutputFormat = .table
    }

    /// Runs `body` against the workspace's partnerships, turning store errors into messages.
    static func run<T: Encodable>(_ data: DataOptions, _ output: Output, _ body: (TandemWorkspace, LocalDate) async throws -> T,
                                  table: (T) -> Void) async throws {
        let result = try await withWorkspace(data, flag: flag) { workspace in try await body(workspace, TandemWorkspace.today) }
        switch output.format {
        case .json: try printJSON(result)
        case .table: table(result)
        }
    }

    /// The command-line flag of a field the store names.
    static func flag(_ field: String) -> String {
        let flags = ["signatory_keys": "--signatory", "confirmed_by_key": "--by", "owner_keys": "--owner", "attendee_keys": "--attendee",
                     "counterpart_key": "--counterpart", "party_key": "--party", "territory_codes": "--territory", "due_date": "--due",
                     "exposure_amount": "--exposure"]
        return flags[field] ?? "--" + field.replacingOccurrences(of: "_", with: "-")
    }

    static func show(_ detail: PartnershipDetail) {
        let partnership = detail.partnership
        print("\(partnership.key) with \(partnership.counterpartKey): \(partnership.status.rawValue), commitment \(partnership.commitment.rawValue)"
              + (partnership.agreementDate.map { " since \($0)" } ?? "")
              + (partnership.signatoryKeys.isEmpty ? "" : ", signed by \(partnership.signatoryKeys.joined(separator: ", "))"))
        if !partnership.territoryCodes.isEmpty { print("territories: \(partnership.territoryCodes.joined(separator: ", "))") }
        if let notes = partnership.notes { print("notes: \(notes)") }
        for event in partnership.events { print("  \(event.date) \(event.status.rawValue)\(event.note.map { ": \($0)" } ?? "")") }
        if !detail.goals.isEmpty {
            print("")
            printTable([["goal", "metric", "baseline", "target", "due", "owners", "latest", "expected", "track"]] + detail.goals.map { goal in
                [goal.key, goal.metric + (goal.unit.map { " (\($0))" } ?? ""), goal.baseline.map(BundleNumber.format) ?? "", BundleNumber.format(goal.target),
                 goal.dueDate ?? "", goal.ownerKeys.joined(separator: ", "), goal.status.map { "\(BundleNumber.format($0.value)) on \($0.date)" } ?? "-",
                 goal.status.map { BundleNumber.format($0.expected) } ?? "-", goal.status.map { $0.onTrack ? "on track" : "off track" } ?? "-"]
            })
        }
        if !detail.pledges.isEmpty {
            print("")
            printTable([["pledge", "side", "asset", "amount", "due", "delivered (confirmed)", "claimed"]] + detail.pledges.map { pledge in
                [pledge.key, pledge.partyKey, pledge.asset.rawValue, "\(BundleNumber.format(pledge.amount)) \(pledge.currency ?? pledge.unit ?? "")",
                 pledge.dueDate ?? "", BundleNumber.format(pledge.delivered), BundleNumber.format(pledge.claimed)]
            })
            for pledge in detail.pledges {
                for contribution in pledge.contributions {
                    print("  \(pledge.key) #\(contribution.id) \(contribution.date) \(BundleNumber.format(contribution.amount)): "
                          + (contribution.confirmed ? "confirmed by \(contribution.confirmedByKey ?? "")" : "claim, not confirmed by the other side"))
                }
            }
        }
        if !detail.risks.isEmpty {
            print("")
            for risk in detail.risks {
                print("risk of \(risk.partyKey): \(risk.description)\(risk.exposureAmount.map { ", exposure \(BundleNumber.format($0)) \(risk.currency ?? "")" } ?? "")")
            }
        }
        for review in detail.reviews {
            print("review \(review.key) on \(review.date) (\(review.visibility.rawValue)) with \(review.attendeeKeys.joined(separator: ", "))"
                  + (review.notes.map { ": \($0)" } ?? ""))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List partnerships.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Option(help: ArgumentHelp("Only with this counterpart.", valueName: "key")) var organization: String?
        @Option(help: "Only in this status: proposed, active, suspended or ended.") var status: String?

        func run() async throws {
            if let status, PartnershipStatus(rawValue: status) == nil { throw ValidationError("--status must be one of \(PartnershipStatus.spellings)") }
            try await PartnershipCommand.run(data, output, { workspace, _ in
                var all: [PartnershipView] = [], cursor: String?
                repeat {
                    let page = try await workspace.partnerships(limit: ListQuery.maxLimit, cursor: cursor, counterpart: organization, status: status)
                    all += page.items
                    cursor = page.nextCursor
                } while cursor != nil
                return all
            }, table: { list in
                printTable([["partnership", "counterpart", "status", "commitment", "agreed", "territories"]] + list.map {
                    [$0.key, $0.counterpartKey, $0.status.rawValue, $0.commitment.rawValue, $0.agreementDate ?? "", $0.territoryCodes.joined(separator: ", ")]
                })
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A partnership with its goals, pledges and contributions, risks and reviews.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The partnership's key.") var key: String

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in try await workspace.partnershipDetail(key: key, asOf: today) }, table: PartnershipCommand.show)
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Propose a partnership with a counterpart.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Option(help: ArgumentHelp("The counterpart organization.", valueName: "key")) var counterpart: String
        @Option(help: ArgumentHelp("The partnership's key (default: generated).", valueName: "key")) var key: String?
        @Option(help: ArgumentHelp("A territory it is scoped to (repeat for more).", valueName: "code")) var territory: [String] = []
        @Option(help: "Notes.") var notes: String?

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in
                try await workspace.proposePartnership(PartnershipDraft(key: key, counterpartKey: counterpart, territoryCodes: territory, notes: notes), asOf: today)
            }, table: PartnershipCommand.show)
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Activate a proposed or suspended partnership with its commitment.",
            discussion: "An expressed commitment is signed by people of both sides (by their jobs on the date); an implied one needs no signatures.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The partnership's key.") var key: String
        @Option(help: ArgumentHelp("The agreement date (YYYY-MM-DD).", valueName: "date")) var date: String
        @Option(help: "expressed or implied.") var commitment: String
        @Option(help: ArgumentHelp("A person who signed it (repeat for more).", valueName: "key")) var signatory: [String] = []
        @Option(help: "A note.") var note: String?

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in
                try await workspace.changePartnership(key, to: .active, StatusChangeDraft(date: date, commitment: commitment,
                                                                          signatoryKeys: signatory.isEmpty ? nil : signatory, note: note), asOf: today)
            }, table: PartnershipCommand.show)
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend an active partnership.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The partnership's key.") var key: String
        @Option(help: ArgumentHelp("When (YYYY-MM-DD).", valueName: "date")) var date: String
        @Option(help: "Why.") var note: String?

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in
                try await workspace.changePartnership(key, to: .suspended, StatusChangeDraft(date: date, note: note), asOf: today)
            }, table: PartnershipCommand.show)
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a partnership.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The partnership's key.") var key: String
        @Option(help: ArgumentHelp("When (YYYY-MM-DD).", valueName: "date")) var date: String
        @Option(help: "Why.") var note: String?

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in
                try await workspace.changePartnership(key, to: .ended, StatusChangeDraft(date: date, note: note), asOf: today)
            }, table: PartnershipCommand.show)
        }
    }

    struct Goal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a shared goal, with an owner on each side.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The partnership's key.") var partnership: String
        @Option(help: "What is measured.") var metric: String
        @Option(help: "The value to reach.") var target: Double
        @Option(help: "The value at the start (default: the first measurement).") var baseline: Double?
        @Option(help: "The metric's unit.") var unit: String?
        @Option(help: ArgumentHelp("When it is due (YYYY-MM-DD).", valueName: "date")) var due: String?
        @Option(help: ArgumentHelp("An owner (repeat: one on each side at least).", valueName: "key")) var owner: [String] = []
        @Option(help: ArgumentHelp("The goal's key (default: generated).", valueName: "key")) var key: String?

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in
                try await workspace.addGoal(to: partnership, GoalDraft(key: key, metric: metric, unit: unit, baseline: baseline, target: target,
                                                                  dueDate: due, ownerKeys: owner), asOf: today)
            }, table: { (goal: GoalView) in print("goal \(goal.key) added to \(goal.partnershipKey)") })
        }
    }

    struct Progress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a goal's value on a date.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The goal's key.") var goal: String
        @Option(help: ArgumentHelp("When (YYYY-MM-DD).", valueName: "date")) var date: String
        @Option(help: "The value.") var value: Double

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in
                try await workspace.measure(goal: goal, MeasurementDraft(date: date, value: value), asOf: today)
            }, table: { (goal: GoalView) in
                print("goal \(goal.key): " + (goal.status.map { "\(BundleNumber.format($0.value)) on \($0.date) against \(BundleNumber.format($0.expected)) expected, "
                    + ($0.onTrack ? "on track" : "off track") } ?? "no measurement up to today"))
            })
        }
    }

    struct Pledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a pledge of one side: hours, money, inventory, people, training, exclusivity.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The partnership's key.") var partnership: String
        @Option(help: ArgumentHelp("The side that pledges (home or the counterpart).", valueName: "key")) var party: String
        @Option(help: "time_hours, money, inventory, people, training, exclusivity or other.") var asset: String
        @Option(help: "How much.") var amount: Double
        @Option(help: "The unit (hours, people, …).") var unit: String?
        @Option(help: "The currency of money and inventory.") var currency: String?
        @Option(help: ArgumentHelp("When it is due (YYYY-MM-DD).", valueName: "date")) var due: String?
        @Option(help: "What it is.") var description: String?
        @Option(help: ArgumentHelp("The pledge's key (default: generated).", valueName: "key")) var key: String?

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in
                try await workspace.addPledge(to: partnership, PledgeDraft(key: key, partyKey: party, asset: asset, amount: amount, unit: unit,
                                                                      currency: currency, dueDate: due, description: description), asOf: today)
            }, table: { (pledge: PledgeView) in print("pledge \(pledge.key) of \(pledge.partyKey) added to \(pledge.partnershipKey)") })
        }
    }

    struct Contribute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a contribution against a pledge: a claim until the other side confirms it.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The pledge's key.") var pledge: String
        @Option(help: ArgumentHelp("When (YYYY-MM-DD).", valueName: "date")) var date: String
        @Option(help: "How much.") var amount: Double
        @Option(help: "A note.") var note: String?

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in
                try await workspace.addContribution(to: pledge, ContributionDraft(date: date, amount: amount, note: note), asOf: today)
            }, table: { (contribution: ContributionView) in
                print("contribution #\(contribution.id) to \(contribution.pledgeKey): a claim until a person of the other side confirms it "
                      + "(tandem partnership confirm \(contribution.id) --by KEY)")
            })
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm a contribution: only a person of the other side than the pledging one can.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The contribution's number.") var id: Int64
        @Option(help: ArgumentHelp("The person who confirms it.", valueName: "key")) var by: String

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in
                try await workspace.confirm(contribution: id, ConfirmationDraft(confirmedByKey: by), asOf: today)
            }, table: { (contribution: ContributionView) in print("contribution #\(contribution.id) confirmed by \(contribution.confirmedByKey ?? "")") })
        }
    }

    struct Risk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a risk one side carries in the partnership.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The partnership's key.") var partnership: String
        @Option(help: ArgumentHelp("The side that carries it.", valueName: "key")) var party: String
        @Option(help: "What is at risk.") var description: String
        @Option(help: "How much is exposed.") var exposure: Double?
        @Option(help: "The currency of the exposure.") var currency: String?

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, _ in
                try await workspace.addRisk(to: partnership, RiskDraft(partyKey: party, description: description, exposureAmount: exposure, currency: currency))
            }, table: { (risk: RiskView) in print("risk of \(risk.partyKey) added to \(risk.partnershipKey)") })
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a business review with attendees of both sides; notes are internal unless --visibility shared.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: Output
        @Argument(help: "The partnership's key.") var partnership: String
        @Option(help: ArgumentHelp("When (YYYY-MM-DD).", valueName: "date")) var date: String
        @Option(help: ArgumentHelp("Someone who attended (repeat: both sides).", valueName: "key")) var attendee: [String] = []
        @Option(help: "shared (the counterpart's guests see it) or internal (default).") var visibility: String?
        @Option(help: "The notes.") var notes: String?
        @Option(help: ArgumentHelp("The review's key (default: generated).", valueName: "key")) var key: String?

        func run() async throws {
            try await PartnershipCommand.run(data, output, { workspace, today in
                try await workspace.addReview(to: partnership, ReviewDraft(key: key, date: date, attendeeKeys: attendee, visibility: visibility, notes: notes),
                                         asOf: today)
            }, table: { (review: ReviewView) in print("review \(review.key) (\(review.visibility.rawValue)) added to \(review.partnershipKey)") })
        }
    }
}
