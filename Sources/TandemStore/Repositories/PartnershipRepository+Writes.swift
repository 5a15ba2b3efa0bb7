import FluentKit
import Foundation
import SQLKit
import TandemCore

extension PartnershipRepository {
    /// A new partnership with a counterpart, proposed: no commitment yet.
    public func propose(_ draft: PartnershipDraft, asOf: LocalDate) async throws -> PartnershipDetail {
        var checks = FieldChecks()
        let key = checks.key(draft.key, "key", required: false) ?? "ps-\(UUID().uuidString.lowercased().prefix(13))"
        let counterpartKey = checks.key(draft.counterpartKey, "counterpart_key")
        let notes = checks.text(draft.notes, "notes", max: 10_000, required: false)
        try checks.throwIfAny()
        return try await inTransaction { repo in
            var references = FieldChecks()
            let home = try await repo.homeID()
            let counterpart = try await repo.idOf("organizations", key: counterpartKey!)
            if counterpart == nil { references.fail("counterpart_key", "unknown organization \"\(counterpartKey!)\"") }
            if counterpart == home { references.fail("counterpart_key", "\"\(counterpartKey!)\" is the home organization: a partnership is with a counterpart") }
            var territories: [Int64] = []
            for code in draft.territoryCodes ?? [] {
                if let id = try await repo.idOf("territories", key: code, column: "code") {
                    if !territories.contains(id) { territories.append(id) }
                } else {
                    references.fail("territory_codes", "unknown territory \"\(code)\"")
                }
            }
            try references.throwIfAny()
            if try await repo.idOf("partnerships", key: key) != nil { throw StoreError.conflict("a partnership with key \"\(key)\" already exists") }
            let id = try await repo.insert("partnerships", ["workspace_id": workspaceID, "key": key, "counterpart_id": counterpart!,
                                                            "status": PartnershipStatus.proposed.rawValue, "commitment": CommitmentForm.none.rawValue,
                                                            "notes": notes])
            for (position, territory) in territories.enumerated() {
                try await repo.sql.insert(into: "partnership_territories").columns("partnership_id", "territory_id", "position")
                    .values(SQLBind(id), SQLBind(territory), SQLBind(Int64(position))).run()
            }
            try await repo.sql.insert(into: "partnership_events").columns("workspace_id", "partnership_id", "date", "status", "note")
                .values(SQLBind(workspaceID), SQLBind(id), SQLBind(asOf.description), SQLBind(PartnershipStatus.proposed.rawValue), SQLBind(notes)).run()
            return try await repo.detail(key: key, asOf: asOf)
        }
    }

    /// Activates (from proposed or suspended) with an expressed or implied commitment, suspends
    /// (an active partnership) or ends (any not ended), on a date, with a note.
    public func change(_ key: String, to status: PartnershipStatus, _ draft: StatusChangeDraft, asOf: LocalDate) async throws -> PartnershipDetail {
        var checks = FieldChecks()
        let date = checks.date(draft.date, "date", required: true)
        let note = checks.text(draft.note, "note", max: 10_000, required: false)
        var commitment: CommitmentForm?
        if status == .active {
            commitment = checks.choice(draft.commitment, "commitment", CommitmentForm.self)
            if commitment == CommitmentForm.none { checks.fail("commitment", "an active partnership needs a commitment: expressed or implied") }
            if commitment == .expressed && (draft.signatoryKeys ?? []).isEmpty {
                checks.fail("signatory_keys", "an expressed commitment is signed by people of both sides")
            }
        } else if draft.commitment != nil || draft.signatoryKeys != nil {
            checks.fail("commitment", "only an activation carries a commitment")
        }
        if status == .proposed { checks.fail("status", "a partnership is proposed once, when it is created") }
        if let date, date > asOf { checks.fail("date", "\(date) is after today: record a change once it has happened") }
        try checks.throwIfAny()
        let form = commitment
        return try await inTransaction { repo in
            let id = try await repo.require("partnerships", kind: "partnership", key: key)
            let current = try await repo.record(id: id)
            let allowed: [PartnershipStatus: [PartnershipStatus]] = [.active: [.proposed, .suspended], .suspended: [.active],
                                                                       .ended: [.proposed, .active, .suspended]]
            guard allowed[status]?.contains(current.status) == true else {
                let verb = ["active": "activated", "suspended": "suspended", "ended": "ended"][status.rawValue] ?? status.rawValue
                throw StoreError.conflict("partnership \"\(key)\" is \(current.status.rawValue): it cannot be \(verb)")
            }
            // A partnership recorded after the fact was proposed no later than it was agreed.
            if let last = current.events.last(where: { $0.status != .proposed })?.date, date!.description < last {
                throw StoreError.invalid([FieldIssue(field: "date", message: "\(date!) is before the last change of status, on \(last)")])
            }
            // Only the first activation sets the agreement date; nothing after it may come before it.
            let setsAgreement = status == .active && (current.status == .proposed || current.agreementDate == nil)
            if let agreement = current.agreementDate, !setsAgreement, date!.description < agreement {
                throw StoreError.invalid([FieldIssue(field: "date", message: "\(date!) is before the agreement date \(agreement)")])
            }
            if let proposal = try await repo.sql.raw("""
                SELECT id, date FROM partnership_events WHERE partnership_id = \(bind: id) AND status = 'proposed' ORDER BY date, id LIMIT 1
                """).first(), try proposal.decode(column: "date", as: String.self) > date!.description {
                try await repo.sql.update("partnership_events").set("date", to: SQLBind(date!.description))
                    .where("id", .equal, try proposal.decode(column: "id", as: Int64.self)).run()
            }
            var update = repo.sql.update("partnerships").set("status", to: SQLBind(status.rawValue)).where("id", .equal, id)
            if status == .active {
                var references = FieldChecks()
                let people = try await repo.people(draft.signatoryKeys ?? [], field: "signatory_keys", checks: &references)
                let signatories = people.map(\.id)
                let counterpart = try await repo.organizationID(key: current.counterpartKey), home = try await repo.homeID()
                if !people.isEmpty {
                    // Signatures of an implied commitment are optional, but whoever signs works for one of the sides.
                    try await repo.requireBothSides(people, home: home, counterpart: counterpart, on: date, field: "signatory_keys",
                                                    what: "an expressed commitment", eachSideNeeded: form == .expressed, checks: &references)
                }
                try references.throwIfAny()
                update = update.set("commitment", to: SQLBind(form!.rawValue))
                // The agreement date is the first activation; resuming a suspended partnership keeps it.
                if setsAgreement { update = update.set("agreement_date", to: SQLBind(date!.description)) }
                if !signatories.isEmpty {
                    try await repo.sql.delete(from: "partnership_signatories").where("partnership_id", .equal, id).run()
                    for (position, person) in signatories.enumerated() {
                        try await repo.sql.insert(into: "partnership_signatories").columns("partnership_id", "person_id", "position")
                            .values(SQLBind(id), SQLBind(person), SQLBind(Int64(position))).run()
                    }
                }
            }
            try await update.run()
            // The same change twice on one day (suspended, resumed, suspended again) is one event.
            try await repo.sql.delete(from: "partnership_events").where("partnership_id", .equal, id)
                .where("date", .equal, date!.description).where("status", .equal, status.rawValue).run()
            try await repo.sql.insert(into: "partnership_events").columns("workspace_id", "partnership_id", "date", "status", "note")
                .values(SQLBind(workspaceID), SQLBind(id), SQLBind(date!.description), SQLBind(status.rawValue), SQLBind(note)).run()
            return try await repo.detail(key: key, asOf: asOf)
        }
    }

    /// A shared goal, with an owner on each side.
    public func addGoal(to partnership: String, _ draft: GoalDraft, asOf: LocalDate) async throws -> GoalView {
        var checks = FieldChecks()
        let key = checks.key(draft.key, "key", required: false) ?? "g-\(UUID().uuidString.lowercased().prefix(13))"
        let metric = checks.text(draft.metric, "metric", max: 300)
        let unit = checks.text(draft.unit, "unit", max: 50, required: false)
        let target = checks.number(draft.target, "target", required: true)
        let baseline = checks.number(draft.baseline, "baseline")
        let due = checks.date(draft.dueDate, "due_date")
        if (draft.ownerKeys ?? []).isEmpty { checks.fail("owner_keys", "a shared goal has an owner on each side") }
        try checks.throwIfAny()
        return try await inTransaction { repo in
            let id = try await repo.require("partnerships", kind: "partnership", key: partnership)
            let current = try await repo.record(id: id)
            try Self.refuseIfEnded(current, what: "a goal")
            var references = FieldChecks()
            let people = try await repo.people(draft.ownerKeys ?? [], field: "owner_keys", checks: &references)
            let owners = people.map(\.id)
            if !people.isEmpty {
                try await repo.requireBothSides(people, home: try await repo.homeID(),
                                                counterpart: try await repo.organizationID(key: current.counterpartKey), on: nil,
                                                field: "owner_keys", what: "a shared goal", checks: &references)
            }
            try references.throwIfAny()
            if try await repo.idOf("goals", key: key) != nil { throw StoreError.conflict("a goal with key \"\(key)\" already exists") }
            let goal = try await repo.insert("goals", ["workspace_id": workspaceID, "key": key, "partnership_id": id, "metric": metric!, "unit": unit,
                                                       "baseline": baseline, "target": target!, "due_date": due?.description])
            for (position, owner) in owners.enumerated() {
                try await repo.sql.insert(into: "goal_owners").columns("goal_id", "person_id", "position")
                    .values(SQLBind(goal), SQLBind(owner), SQLBind(Int64(position))).run()
            }
            return try await repo.goal(key: key, asOf: asOf)
        }
    }

    /// A measurement of a goal (replacing one of the same date).
    public func measure(goal key: String, _ draft: MeasurementDraft, asOf: LocalDate) async throws -> GoalView {
        var checks = FieldChecks()
        let date = checks.date(draft.date, "date", required: true)
        let value = checks.number(draft.value, "value", required: true)
        if let date, date > asOf { checks.fail("date", "\(date) is after today: record a value once it is measured") }
        try checks.throwIfAny()
        return try await inTransaction { repo in
            let goal = try await repo.require("goals", kind: "goal", key: key)
            try await repo.sql.delete(from: "goal_progress").where("goal_id", .equal, goal).where("date", .equal, date!.description).run()
            _ = try await repo.insert("goal_progress", ["workspace_id": workspaceID, "goal_id": goal, "date": date!.description, "value": value!])
            return try await repo.goal(key: key, asOf: asOf)
        }
    }

    func goal(key: String, asOf: LocalDate) async throws -> GoalView {
        guard let row = try await sql.raw("""
            SELECT p.key FROM goals g JOIN partnerships p ON p.id = g.partnership_id WHERE g.workspace_id = \(bind: workspaceID) AND g.key = \(bind: key)
            """).first() else { throw StoreError.notFound(kind: "goal", key: key) }
        let partnership = try row.decode(column: "key", as: String.self)
        guard let goal = try await detail(key: partnership, asOf: asOf).goals.first(where: { $0.key == key }) else {
            throw StoreError.notFound(kind: "goal", key: key)
        }
        return goal
    }

    /// A pledge of one side: what it commits (hours, money, inventory, people, training, exclusivity).
    public func addPledge(to partnership: String, _ draft: PledgeDraft, asOf: LocalDate) async throws -> PledgeView {
        var checks = FieldChecks()
        let key = checks.key(draft.key, "key", required: false) ?? "c-\(UUID().uuidString.lowercased().prefix(13))"
        let partyKey = checks.key(draft.partyKey, "party_key")
        let asset = checks.choice(draft.asset, "asset", AssetKind.self)
        let amount = checks.number(draft.amount, "amount", required: true, minimum: 0, exclusive: true)
        let unit = checks.text(draft.unit, "unit", max: 50, required: false)
        let currency = checks.currency(draft.currency, "currency")
        let due = checks.date(draft.dueDate, "due_date")
        let description = checks.text(draft.description, "description", max: 10_000, required: false)
        try checks.throwIfAny()
        return try await inTransaction { repo in
            let id = try await repo.require("partnerships", kind: "partnership", key: partnership)
            let current = try await repo.record(id: id)
            try Self.refuseIfEnded(current, what: "a pledge")
            let party = try await repo.idOf("organizations", key: partyKey!)
            let sides = [try await repo.homeID(), try await repo.organizationID(key: current.counterpartKey)]
            guard let party, sides.contains(party) else {
                throw StoreError.invalid([FieldIssue(field: "party_key", message: "\"\(partyKey!)\" is neither side of partnership \"\(partnership)\"")])
            }
            if try await repo.idOf("commitments", key: key) != nil { throw StoreError.conflict("a pledge with key \"\(key)\" already exists") }
            _ = try await repo.insert("commitments", ["workspace_id": workspaceID, "key": key, "partnership_id": id, "party_id": party,
                                                      "asset": asset!.rawValue, "amount": amount!, "unit": unit, "currency": currency,
                                                      "due_date": due?.description, "description": description])
            return try await repo.pledge(key: key, asOf: asOf)
        }
    }

    public func pledge(key: String, asOf: LocalDate) async throws -> PledgeView {
        guard let row = try await sql.raw("""
            SELECT p.key FROM commitments c JOIN partnerships p ON p.id = c.partnership_id WHERE c.workspace_id = \(bind: workspaceID) AND c.key = \(bind: key)
            """).first() else { throw StoreError.notFound(kind: "pledge", key: key) }
        guard let pledge = try await detail(key: try row.decode(column: "key", as: String.self), asOf: asOf).pledges.first(where: { $0.key == key }) else {
            throw StoreError.notFound(kind: "pledge", key: key)
        }
        return pledge
    }

    /// A contribution delivered against a pledge: a claim until a person of the other side confirms it.
    public func addContribution(to pledge: String, _ draft: ContributionDraft, asOf: LocalDate) async throws -> ContributionView {
        var checks = FieldChecks()
        let date = checks.date(draft.date, "date", required: true)
        let amount = checks.number(draft.amount, "amount", required: true, minimum: 0, exclusive: true)
        let note = checks.text(draft.note, "note", max: 10_000, required: false)
        if let date, date > asOf { checks.fail("date", "\(date) is after today: record a contribution once it is delivered") }
        try checks.throwIfAny()
        return try await inTransaction { repo in
            let commitment = try await repo.require("commitments", kind: "pledge", key: pledge)
            let duplicate = try await repo.sql.raw("""
                SELECT id FROM contributions WHERE commitment_id = \(bind: commitment) AND date = \(bind: date!.description) AND amount = \(bind: amount!)
                """).first()
            if duplicate != nil {
                throw StoreError.conflict("pledge \"\(pledge)\" already has a contribution of \(BundleNumber.format(amount!)) on \(date!)")
            }
            let partnership = try await repo.sql.raw("SELECT partnership_id FROM commitments WHERE id = \(bind: commitment)").first()?
                .decode(column: "partnership_id", as: Int64.self)
            if let partnership, let ended = try await repo.record(id: partnership).events.last(where: { $0.status == .ended })?.date,
               date!.description > ended {
                throw StoreError.invalid([FieldIssue(field: "date", message: "\(date!) is after the partnership ended, on \(ended)")])
            }
            let id = try await repo.insert("contributions", ["workspace_id": workspaceID, "commitment_id": commitment, "date": date!.description,
                                                             "amount": amount!, "note": note])
            return try await repo.contribution(id: id, asOf: asOf)
        }
    }

    /// Confirms a contribution: only a person of the other side than the one that pledged it can.
    public func confirm(contribution id: Int64, _ draft: ConfirmationDraft, asOf: LocalDate) async throws -> ContributionView {
        var checks = FieldChecks()
        let personKey = checks.key(draft.confirmedByKey, "confirmed_by_key")
        try checks.throwIfAny()
        return try await inTransaction { repo in
            guard let row = try await repo.sql.raw("""
                SELECT c.date, c.confirmed_by_id, m.party_id, p.counterpart_id, o.key AS party_key FROM contributions c \
                JOIN commitments m ON m.id = c.commitment_id JOIN partnerships p ON p.id = m.partnership_id \
                JOIN organizations o ON o.id = m.party_id WHERE c.id = \(bind: id) AND c.workspace_id = \(bind: workspaceID)
                """).first() else { throw StoreError.notFound(kind: "contribution", key: String(id)) }
            let party = try row.decode(column: "party_id", as: Int64.self), counterpart = try row.decode(column: "counterpart_id", as: Int64.self)
            let home = try await repo.homeID()
            let other = party == home ? counterpart : home
            let date = LocalDate(try row.decode(column: "date", as: String.self))
            // A confirmation that holds is final; one by someone who does not qualify (an old
            // import, say) may be replaced by a valid one.
            if let confirmer = try row.decode(column: "confirmed_by_id", as: Int64?.self),
               Self.worksFor(other, not: party, jobs: try await repo.jobs(of: [confirmer])[confirmer] ?? [], on: date) {
                throw StoreError.conflict("contribution \(id) is already confirmed")
            }
            guard let person = try await repo.idOf("people", key: personKey!) else {
                throw StoreError.invalid([FieldIssue(field: "confirmed_by_key", message: "unknown person \"\(personKey!)\"")])
            }
            let jobs = try await repo.jobs(of: [person])[person] ?? []
            // Confirming now takes a job at the other side on the day of the contribution.
            guard Self.worksFor(other, not: party, jobs: jobs, on: date, strict: true) else {
                let partyKey = try row.decode(column: "party_key", as: String.self)
                throw StoreError.invalid([FieldIssue(field: "confirmed_by_key",
                                                     message: "\(personKey!) did not work for the other side than \(partyKey), which pledged it, "
                                                         + "on \(date?.description ?? "the day"): only a person of the other side can confirm a contribution")])
            }
            try await repo.sql.update("contributions").set("confirmed_by_id", to: SQLBind(person)).where("id", .equal, id).run()
            return try await repo.contribution(id: id, asOf: asOf)
        }
    }

    public func contribution(id: Int64, asOf: LocalDate) async throws -> ContributionView {
        guard let row = try await sql.raw("""
            SELECT m.key FROM contributions c JOIN commitments m ON m.id = c.commitment_id WHERE c.id = \(bind: id) AND c.workspace_id = \(bind: workspaceID)
            """).first() else { throw StoreError.notFound(kind: "contribution", key: String(id)) }
        guard let found = try await pledge(key: try row.decode(column: "key", as: String.self), asOf: asOf).contributions.first(where: { $0.id == id }) else {
            throw StoreError.notFound(kind: "contribution", key: String(id))
        }
        return found
    }

    /// A risk one side carries in the partnership.
    public func addRisk(to partnership: String, _ draft: RiskDraft) async throws -> RiskView {
        var checks = FieldChecks()
        let partyKey = checks.key(draft.partyKey, "party_key")
        let description = checks.text(draft.description, "description", max: 1_000)
        let exposure = checks.number(draft.exposureAmount, "exposure_amount", minimum: 0)
        let currency = checks.currency(draft.currency, "currency")
        try checks.throwIfAny()
        return try await inTransaction { repo in
            let id = try await repo.require("partnerships", kind: "partnership", key: partnership)
            let current = try await repo.record(id: id)
            let party = try await repo.idOf("organizations", key: partyKey!)
            let sides = [try await repo.homeID(), try await repo.organizationID(key: current.counterpartKey)]
            guard let party, sides.contains(party) else {
                throw StoreError.invalid([FieldIssue(field: "party_key", message: "\"\(partyKey!)\" is neither side of partnership \"\(partnership)\"")])
            }
            let exists = try await repo.sql.raw("""
                SELECT id FROM risks WHERE partnership_id = \(bind: id) AND party_id = \(bind: party) AND description = \(bind: description!)
                """).first()
            if exists != nil { throw StoreError.conflict("\(partyKey!) already carries that risk in partnership \"\(partnership)\"") }
            _ = try await repo.insert("risks", ["workspace_id": workspaceID, "partnership_id": id, "party_id": party, "description": description!,
                                                "exposure_amount": exposure, "currency": currency])
            return RiskView(partnershipKey: partnership, partyKey: partyKey!, description: description!, exposureAmount: exposure, currency: currency)
        }
    }

    /// A business review with attendees of both sides; its notes are internal unless marked shared.
    public func addReview(to partnership: String, _ draft: ReviewDraft, asOf: LocalDate) async throws -> ReviewView {
        var checks = FieldChecks()
        let key = checks.key(draft.key, "key", required: false) ?? "r-\(UUID().uuidString.lowercased().prefix(13))"
        let date = checks.date(draft.date, "date", required: true)
        var visibility = ReviewView.Visibility.internal
        if let text = draft.visibility, !text.isEmpty {
            if let value = ReviewView.Visibility(rawValue: text) { visibility = value } else { checks.fail("visibility", "\"\(text)\" is not shared or internal") }
        }
        let notes = checks.text(draft.notes, "notes", max: 100_000, required: false)
        if (draft.attendeeKeys ?? []).isEmpty { checks.fail("attendee_keys", "a business review has attendees from both sides") }
        try checks.throwIfAny()
        let shown = visibility
        return try await inTransaction { repo in
            let id = try await repo.require("partnerships", kind: "partnership", key: partnership)
            let current = try await repo.record(id: id)
            var references = FieldChecks()
            let people = try await repo.people(draft.attendeeKeys ?? [], field: "attendee_keys", checks: &references)
            let attendees = people.map(\.id)
            if !people.isEmpty {
                try await repo.requireBothSides(people, home: try await repo.homeID(),
                                                counterpart: try await repo.organizationID(key: current.counterpartKey), on: date,
                                                field: "attendee_keys", what: "a business review", checks: &references)
            }
            try references.throwIfAny()
            if try await repo.idOf("reviews", key: key) != nil { throw StoreError.conflict("a review with key \"\(key)\" already exists") }
            let review = try await repo.insert("reviews", ["workspace_id": workspaceID, "key": key, "partnership_id": id, "date": date!.description,
                                                           "visibility": shown.rawValue, "notes": notes])
            for (position, person) in attendees.enumerated() {
                try await repo.sql.insert(into: "review_attendees").columns("review_id", "person_id", "position")
                    .values(SQLBind(review), SQLBind(person), SQLBind(Int64(position))).run()
            }
            guard let view = try await repo.detail(key: partnership, asOf: asOf).reviews.first(where: { $0.key == key }) else {
                throw StoreError.notFound(kind: "review", key: key)
            }
            return view
        }
    }

    static func refuseIfEnded(_ partnership: PartnershipView, what: String) throws {
        if partnership.status == .ended { throw StoreError.conflict("partnership \"\(partnership.key)\" has ended: \(what) can no longer be added") }
    }

    /// Inserts a row and returns its id (RETURNING works on SQLite and PostgreSQL alike).
    func insert(_ table: String, _ values: [String: (any Encodable & Sendable)?]) async throws -> Int64 {
        let columns = values.keys.sorted()
        let row = try await sql.insert(into: table).columns(columns)
            .values(columns.map { column in values[column]!.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null })
            .returning("id").first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.conflict("could not write to \(table)") }
        return id
    }
}
