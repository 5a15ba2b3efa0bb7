import Foundation
import TandemCore
import TandemWorkspace

/// JSON Schemas of the API's bodies.
enum OpenAPISchemas {
    static var key: [String: Any] { ["type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[^;\\s]([^;]*[^;\\s])?$"] }
    static var name: [String: Any] { ["type": "string", "minLength": 1, "pattern": "\\S"] }
    static var optionalText: [String: Any] { ["type": ["string", "null"]] }
    static var country: [String: Any] { ["type": ["string", "null"], "description": "ISO 3166-1 alpha-2", "pattern": "^([A-Za-z]{2})?$"] }
    static var currency: [String: Any] { ["type": ["string", "null"], "description": "ISO 4217", "pattern": "^([A-Za-z]{3})?$"] }
    static var date: [String: Any] { ["type": "string", "format": "date"] }
    static var optionalDate: [String: Any] { ["type": ["string", "null"], "format": "date"] }
    /// A number callers send: its magnitude stays below 10^13.
    static var amount: [String: Any] { ["type": "number", "exclusiveMinimum": -1e13, "exclusiveMaximum": 1e13] }
    static var optionalAmount: [String: Any] { ["type": ["number", "null"], "exclusiveMinimum": -1e13, "exclusiveMaximum": 1e13] }
    static var positiveAmount: [String: Any] { ["type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1e13] }

    static func object(_ properties: [String: Any], required: [String]) -> [String: Any] {
        ["type": "object", "properties": properties, "required": required]
    }

    /// What a caller sends: an optional property may also be null, which the API reads as absent,
    /// and an optional date may be empty (none, as from a form). A record's own key or code left
    /// out, empty or null is generated on a create and kept on a replace.
    static func write(_ properties: [String: Any], required: [String]) -> [String: Any] {
        var nullable = properties
        for (name, value) in properties where !required.contains(name) {
            guard let schema = value as? [String: Any] else { continue }
            nullable[name] = optional(schema, identifier: name == "key" || name == "code")
        }
        return object(nullable, required: required)
    }

    static func optional(_ schema: [String: Any], identifier: Bool) -> [String: Any] {
        // An empty key, code or date is taken for none, as a form sends it (`FieldChecks`).
        if identifier || schema["format"] as? String == "date" { return ["anyOf": [schema, ["enum": ["", NSNull()]]]] }
        var schema = schema
        if let type = schema["type"] as? String, type != "null" {
            schema["type"] = [type, "null"]
        } else if let types = schema["type"] as? [String], !types.contains("null") {
            schema["type"] = types + ["null"]
        }
        if let values = schema["enum"] as? [Any] { schema["enum"] = values + [NSNull()] }
        return schema
    }

    /// A replace (PUT) names the record in its path, so the body need not repeat the identifier.
    static func replace(_ write: [String: Any], identifier: String) -> [String: Any] {
        var schema = write
        schema["required"] = (write["required"] as? [String] ?? []).filter { $0 != identifier }
        var properties = write["properties"] as? [String: Any] ?? [:]
        if let property = properties[identifier] as? [String: Any] { properties[identifier] = optional(property, identifier: true) }
        schema["properties"] = properties
        return schema
    }

    static func page(_ item: String) -> [String: Any] {
        object(["items": ["type": "array", "items": ["$ref": "#/components/schemas/\(item)"]],
                "next_cursor": ["type": ["string", "null"]]], required: ["items"])
    }

    /// The assessment's shapes (FORMATS.md, "Assessment output").
    static var assessment: [String: Any] {
        let number: [String: Any] = ["type": "number"]
        let texts: [String: Any] = ["type": "array", "items": ["type": "string"]]
        let criterion = object(["result": ["type": "string", "enum": ["pass", "partial", "fail"]], "evidence": texts], required: ["result", "evidence"])
        let criteria = object(Dictionary(uniqueKeysWithValues: ["commitment", "common_goal", "combined_assets", "shared_risk", "interdependence"].map { ($0, criterion) }),
                              required: ["commitment", "common_goal", "combined_assets", "shared_risk", "interdependence"])
        let relationships = object(["strong": ["type": "integer"], "total": ["type": "integer"], "strongest": number, "live": ["type": "integer"],
                                    "cooling": ["type": "integer"], "recent_dealings": ["type": "integer"], "relational_share": number,
                                    "reciprocity": number, "live_people": ["type": "integer"], "current_mean": number, "breadth": number,
                                    "depth": number], required: ["strong", "total", "strongest"])
        let assessment = object(["organization_key": key, "classification": ["type": "string", "enum": Classification.allCases.map(\.rawValue)],
                                 "reasons": texts, "criteria": criteria,
                                 "order_seeker": object(["flagged": ["type": "boolean"], "evidence": texts], required: ["flagged", "evidence"]),
                                 "order_seeker_people": ["type": "array", "items": key], "relationships": relationships],
                                required: ["organization_key", "classification", "criteria", "order_seeker", "order_seeker_people", "relationships"])
        let factor = object(["factor": ["type": "string"], "points": number, "detail": ["type": "string"]], required: ["factor", "points", "detail"])
        let relationship = object([
            "home_person": key, "counterpart_person": key, "counterpart_organization": optionalText, "strength": number,
            "stage": ["type": "string", "enum": RelationshipStage.allCases.map(\.rawValue)], "reciprocity": number, "transactional_share": number,
            "dealings": ["type": "integer"], "initiated_by_home": ["type": "integer"], "initiated_by_counterpart": ["type": "integer"],
            "first_contact": date, "last_contact": date, "tenure_days": ["type": "integer"],
            "trend": ["type": "string", "enum": ["rising", "steady", "falling"]], "trend_points": number,
            "explanation": ["type": "array", "items": factor],
            "cooling": ["type": ["object", "null"], "properties": ["since": date, "dealings_before": ["type": "integer"],
                                                                   "dealings_since": ["type": "integer"]]],
            "both_in_place": ["type": "boolean"],
        ], required: ["home_person", "counterpart_person", "strength", "stage", "reciprocity", "transactional_share", "explanation"])
        let strength: [String: Any] = ["type": ["number", "null"], "description": "The strongest live relationship's strength, or null"]
        let coverage = object(["branch_key": key, "organization_key": key, "territory_code": optionalText, "inside_sales": strength,
                               "outside_sales": strength, "carried_by": ["type": "array", "items": key], "single_threaded": ["type": "boolean"],
                               "uncovered": ["type": "boolean"],
                               "gaps": ["type": "array", "items": ["type": "string", "enum": [JobFunction.insideSales.rawValue, JobFunction.outsideSales.rawValue]]]],
                              required: ["branch_key", "organization_key", "territory_code", "inside_sales", "outside_sales", "single_threaded", "gaps"])
        let alert = object(["kind": ["type": "string", "enum": Alert.Kind.allCases.map(\.rawValue)], "organization_key": key,
                            "person_keys": ["type": "array", "items": key], "date": date, "message": ["type": "string"]],
                           required: ["kind", "person_keys", "message"])
        let figures = object(["sell_in": number, "sell_through": number, "manufacturer_gross_profit": number, "distributor_gross_profit": number],
                             required: ["sell_in", "sell_through", "manufacturer_gross_profit", "distributor_gross_profit"])
        let rate: [String: Any] = ["type": ["number", "null"], "description": "Fraction (0.12 is 12% up); null where the year-earlier figure is zero"]
        let growth = object(["sell_in": rate, "sell_through": rate, "manufacturer_gross_profit": rate, "distributor_gross_profit": rate], required: [])
        var nullableFigures = figures
        nullableFigures["type"] = ["object", "null"]
        let salesRow = object(["period": optionalText, "organization_key": optionalText, "branch_key": optionalText, "territory_code": optionalText,
                               "product_line": optionalText, "currency": ["type": "string"], "figures": figures, "year_earlier": nullableFigures,
                               "growth": ["anyOf": [growth, ["type": "null"]]]], required: ["currency", "figures"])
        let sales = object(["manufacturer_key": key, "from": ["type": "string"], "to": ["type": "string"],
                            "group_by": ["type": "array", "items": ["type": "string", "enum": SalesGrouping.allCases.map(\.rawValue)]],
                            "grain": ["type": "string", "enum": PeriodGrain.allCases.map(\.rawValue)],
                            "rows": ["type": "array", "items": salesRow]],
                           required: ["manufacturer_key", "from", "to", "group_by", "grain", "rows"])
        let optionalNumber: [String: Any] = ["type": ["number", "null"]]
        let cost = object(["money": number, "hours": number, "hours_cost": optionalNumber, "inventory": number, "inventory_carrying_cost": number,
                           "total": number, "unpriced": texts, "claims": texts], required: ["money", "hours", "inventory", "total", "unpriced", "claims"])
        let side = object(["organization_key": key, "role": ["type": "string", "enum": ["manufacturer", "distributor"]], "currency": ["type": "string"],
                           "cost": cost, "gross_profit": optionalNumber, "baseline_gross_profit": optionalNumber, "incremental_gross_profit": optionalNumber,
                           "return_on_investment": optionalNumber, "payback_months": ["type": ["integer", "null"]], "gains": ["type": ["boolean", "null"]],
                           "notes": texts], required: ["organization_key", "role", "currency", "cost", "notes"])
        let economics = object([
            "partnership_key": key, "counterpart_key": key, "status": ["type": "string", "enum": PartnershipStatus.allCases.map(\.rawValue)],
            "agreement_date": optionalDate, "from": optionalText, "to": optionalText, "months": ["type": "integer"],
            "baseline": object(["method": ["type": "string", "enum": ["comparable_branches", "own_trend", "none"]], "reason": ["type": "string"],
                                "comparable_branches": ["type": "array", "items": key]], required: ["method", "reason", "comparable_branches"]),
            "sides": ["type": "array", "items": side],
            "verdict": ["type": "string", "enum": ["both_gain", "home_gains", "counterpart_gains", "neither", "undetermined"]],
            "summary": ["type": "string"],
        ], required: ["partnership_key", "counterpart_key", "status", "months", "baseline", "sides", "verdict", "summary"])
        let candidate = object([
            "organization_key": key, "classification": ["type": "string", "enum": Classification.allCases.map(\.rawValue)],
            "decision": ["type": "string", "enum": ["partner", "strong_relationship_is_enough", "not_eligible"]], "reason": ["type": "string"],
            "sell_in": optionalNumber, "gross_profit_home": optionalNumber, "gross_profit_counterpart": optionalNumber,
            "expected_home": optionalNumber, "expected_counterpart": optionalNumber, "money": optionalNumber, "hours": optionalNumber,
        ], required: ["organization_key", "classification", "decision", "reason"])
        let lag = object(["quarters": ["type": "integer"], "correlation": optionalNumber, "observations": ["type": "integer"],
                          "low": optionalNumber, "high": optionalNumber], required: ["quarters", "observations"])
        let leadLag = object(["scope": ["type": "string", "enum": ["all", "territory", "branch"]], "key": optionalText, "branches": ["type": "integer"],
                              "lags": ["type": "array", "items": lag], "statement": ["type": "string"]],
                             required: ["scope", "branches", "lags", "statement"])
        let plan = object([
            "currency": ["type": "string"], "budget_money": number, "budget_hours": number, "money_used": number, "hours_used": number,
            "expected_both_sides": number, "expected_home": number, "expected_counterparts": number, "exact": ["type": "boolean"],
            "assumptions": texts, "candidates": ["type": "array", "items": candidate],
        ], required: ["currency", "budget_money", "budget_hours", "money_used", "hours_used", "expected_both_sides", "exact", "assumptions", "candidates"])
        return ["Assessment": assessment, "Relationship": relationship, "BranchCoverage": coverage, "Alert": alert, "SalesSummary": sales,
                "PartnershipEconomics": economics, "PartnershipPlan": plan, "LeadLag": leadLag]
    }

    /// The partnership records (PartnershipView and the rest) and what callers send.
    static var partnerships: [String: Any] {
        let number: [String: Any] = ["type": "number"]
        let optionalNumber: [String: Any] = ["type": ["number", "null"]]
        let keys: [String: Any] = ["type": "array", "items": key]
        let status: [String: Any] = ["type": "string", "enum": PartnershipStatus.allCases.map(\.rawValue)]
        let event = object(["date": date, "status": status, "note": optionalText], required: ["date", "status"])
        let partnership = object([
            "key": key, "counterpart_key": key, "status": status, "commitment": ["type": "string", "enum": CommitmentForm.allCases.map(\.rawValue)],
            "agreement_date": optionalDate, "signatory_keys": keys, "territory_codes": keys, "notes": optionalText,
            "events": ["type": "array", "items": event],
        ], required: ["key", "counterpart_key", "status", "commitment", "signatory_keys", "territory_codes", "events"])
        let goalStatus = object(["date": date, "value": number, "expected": number, "on_track": ["type": "boolean"]],
                                required: ["date", "value", "expected", "on_track"])
        let goal = object([
            "key": key, "partnership_key": key, "metric": name, "unit": optionalText, "baseline": optionalNumber, "target": number,
            "due_date": optionalDate, "owner_keys": keys,
            "progress": ["type": "array", "items": object(["date": date, "value": number], required: ["date", "value"])],
            "status": ["anyOf": [goalStatus, ["type": "null"]]],
        ], required: ["key", "partnership_key", "metric", "target", "owner_keys", "progress"])
        let contribution = object([
            "id": ["type": "integer"], "pledge_key": key, "date": date, "amount": number, "note": optionalText,
            "confirmed_by_key": optionalText, "confirmed": ["type": "boolean"],
        ], required: ["id", "pledge_key", "date", "amount", "confirmed"])
        let asset: [String: Any] = ["type": "string", "enum": AssetKind.allCases.map(\.rawValue)]
        let pledge = object([
            "key": key, "partnership_key": key, "party_key": key, "asset": asset, "amount": number, "unit": optionalText,
            "currency": currency, "due_date": optionalDate, "description": optionalText,
            "contributions": ["type": "array", "items": contribution], "delivered": number, "claimed": number,
        ], required: ["key", "partnership_key", "party_key", "asset", "amount", "contributions", "delivered", "claimed"])
        let risk = object(["partnership_key": key, "party_key": key, "description": name, "exposure_amount": optionalNumber, "currency": currency],
                          required: ["partnership_key", "party_key", "description"])
        let visibility: [String: Any] = ["type": "string", "enum": ["shared", "internal"]]
        let review = object(["key": key, "partnership_key": key, "date": date, "attendee_keys": keys, "visibility": visibility, "notes": optionalText],
                            required: ["key", "partnership_key", "date", "attendee_keys", "visibility"])
        let ref = { (name: String) -> [String: Any] in ["type": "array", "items": ["$ref": "#/components/schemas/\(name)"]] }
        return [
            "Partnership": partnership, "PartnershipPage": page("Partnership"),
            "PartnershipDetail": object(["partnership": ["$ref": "#/components/schemas/Partnership"], "goals": ref("Goal"), "pledges": ref("Pledge"),
                                         "risks": ref("Risk"), "reviews": ref("Review")],
                                        required: ["partnership", "goals", "pledges", "risks", "reviews"]),
            "Goal": goal, "Pledge": pledge, "Contribution": contribution, "Risk": risk, "Review": review,
            "PartnershipWrite": write(["key": key, "counterpart_key": key, "territory_codes": keys, "notes": optionalText], required: ["counterpart_key"]),
            "Activation": write(["date": date, "commitment": ["type": "string", "enum": ["expressed", "implied"]], "signatory_keys": keys,
                                  "note": optionalText], required: ["date"]),
            "StatusChange": write(["date": date, "commitment": ["type": "null", "description": "Only an activation carries a commitment."],
                                    "signatory_keys": ["type": "null"], "note": optionalText], required: ["date"]),
            "GoalWrite": write(["key": key, "metric": name, "unit": optionalText, "baseline": optionalAmount, "target": amount,
                                 "due_date": optionalDate, "owner_keys": keys], required: ["metric", "target", "owner_keys"]),
            "MeasurementWrite": write(["date": date, "value": amount], required: ["date", "value"]),
            "PledgeWrite": write(["key": key, "party_key": key, "asset": asset, "amount": positiveAmount,
                                   "unit": optionalText, "currency": currency, "due_date": optionalDate, "description": optionalText],
                                  required: ["party_key", "asset", "amount"]),
            "ContributionWrite": write(["date": date, "amount": positiveAmount, "note": optionalText],
                                        required: ["date", "amount"]),
            "Confirmation": write(["confirmed_by_key": key], required: ["confirmed_by_key"]),
            "RiskWrite": write(["party_key": key, "description": name, "exposure_amount": ["type": ["number", "null"], "minimum": 0, "exclusiveMaximum": 1e13],
                                 "currency": currency], required: ["party_key", "description"]),
            "AuditEntry": object(["id": ["type": "integer"], "at": ["type": "string"], "actor": optionalText, "action": ["type": "string"],
                                  "target": optionalText, "detail": optionalText, "address": optionalText], required: ["id", "at", "action"]),
            "Duplicate": object(["kind": ["type": "string", "enum": MergeKind.allCases.map(\.rawValue)], "keep": key, "merge": key,
                                 "keep_name": ["type": "string"], "merge_name": ["type": "string"], "reason": ["type": "string"]],
                                required: ["kind", "keep", "merge", "keep_name", "merge_name", "reason"]),
            "DuplicateList": object(["items": ["type": "array", "items": ["$ref": "#/components/schemas/Duplicate"]]], required: ["items"]),
            "MergeRequest": object(["kind": ["type": "string", "enum": MergeKind.allCases.map(\.rawValue)], "keep": key, "merge": key],
                                   required: ["kind", "keep", "merge"]),
            "MergeResult": object(["kind": ["type": "string", "enum": MergeKind.allCases.map(\.rawValue)], "kept": key, "merged": key,
                                   "moved": ["type": "object", "additionalProperties": ["type": "integer"]],
                                   "filled": ["type": "array", "items": ["type": "string"]]],
                                  required: ["kind", "kept", "merged", "moved", "filled"]),
            "ReviewWrite": write(["key": key, "date": date, "attendee_keys": keys, "visibility": visibility, "notes": optionalText],
                                  required: ["date", "attendee_keys"]),
        ]
    }

    static var all: [String: Any] {
        let territory: [String: Any] = ["code": key, "name": name, "parent_code": optionalText, "country": country]
        let organization: [String: Any] = ["key": key, "name": name, "kind": ["type": "string", "enum": OrganizationKind.allCases.map(\.rawValue)],
                                           "country": country, "currency": currency, "is_home": ["type": "boolean"]]
        let branch: [String: Any] = ["key": key, "organization_key": key, "name": name, "city": optionalText,
                                     "country": country, "territory_code": optionalText]
        let person: [String: Any] = ["key": key, "name": name, "email": optionalText, "phone": optionalText, "country": country]
        let employment: [String: Any] = ["person_key": key, "organization_key": key, "branch_key": optionalText,
                                         "function": ["type": "string", "enum": JobFunction.allCases.map(\.rawValue)],
                                         "title": optionalText, "start_date": date, "end_date": optionalDate]
        let interaction: [String: Any] = ["key": key, "date": ["type": "string", "description": "YYYY-MM-DD or an ISO 8601 timestamp with offset",
                                                                  "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}"],
                                          "kind": ["type": "string", "enum": InteractionKind.allCases.map(\.rawValue)],
                                          "initiator_key": key, "participant_keys": ["type": "array", "items": key],
                                          "duration_minutes": ["type": ["integer", "null"], "minimum": 0, "maximum": 100000],
                                          "summary": optionalText]
        var personRead = person
        personRead["employments"] = ["type": "array", "items": ["$ref": "#/components/schemas/Employment"]]
        var employmentRead = employment
        employmentRead["id"] = ["type": "integer"]
        return [
            "Territory": object(territory, required: ["code", "name"]),
            "TerritoryWrite": write(territory, required: ["code", "name"]),
            "TerritoryPage": page("Territory"),
            "Organization": object(organization, required: ["key", "name", "kind", "is_home"]),
            "OrganizationWrite": write(organization, required: ["key", "name", "kind"]),
            "OrganizationPage": page("Organization"),
            "Branch": object(branch, required: ["key", "organization_key", "name"]),
            "BranchWrite": write(branch, required: ["key", "organization_key", "name"]),
            "BranchPage": page("Branch"),
            "Person": object(personRead, required: ["key", "name"]),
            "PersonWrite": write(person, required: ["key", "name"]),
            "PersonPage": page("Person"),
            "Employment": object(employmentRead, required: ["id", "person_key", "organization_key", "function", "start_date"]),
            "EmploymentWrite": write(employment, required: ["person_key", "organization_key", "function", "start_date"]),
            "EmploymentPage": page("Employment"),
            "Interaction": object(interaction, required: ["key", "date", "kind", "initiator_key", "participant_keys"]),
            "InteractionWrite": write(interaction, required: ["date", "kind", "initiator_key"]),
            "InteractionPage": page("Interaction"),
            "Problem": object(["type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"], "detail": ["type": "string"],
                               "errors": ["type": "array", "items": object(["field": ["type": "string"], "message": ["type": "string"]], required: ["field", "message"])]],
                              required: ["type", "title", "status", "detail"]),
        ].merging(assessment) { $1 }.merging(partnerships) { $1 }
    }
}
