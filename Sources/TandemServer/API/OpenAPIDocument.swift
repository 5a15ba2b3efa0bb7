import Foundation
import TandemCore
import Vapor

/// The OpenAPI 3.1 description of `/api/v1`, built from one table of resources so that the routes
/// and the description cannot drift apart unnoticed (a test compares them with the router).
enum OpenAPIDocument {
    struct Resource {
        var path: String
        var parameter: String
        var schema: String
        var filters: [String]
        var listOrder: String

        var replaceSchema: String { parameter == "id" ? schema + "Write" : schema + "Replace" }
    }

    /// The bodies of the replaces whose identifier is in the path (see `OpenAPISchemas.replace`).
    static var replaceSchemas: [String: Any] {
        let schemas = OpenAPISchemas.all
        var result: [String: Any] = [:]
        for resource in resources where resource.parameter != "id" {
            guard let write = schemas[resource.schema + "Write"] as? [String: Any] else { continue }
            result[resource.replaceSchema] = OpenAPISchemas.replace(write, identifier: resource.parameter)
        }
        return result
    }

    static let resources: [Resource] = [
        Resource(path: "territories", parameter: "code", schema: "Territory", filters: ["territory", "country"], listOrder: "creation order; `territory` lists the children of that territory"),
        Resource(path: "organizations", parameter: "key", schema: "Organization", filters: ["kind", "country", "territory"], listOrder: "creation order"),
        Resource(path: "branches", parameter: "key", schema: "Branch", filters: ["organization", "territory", "country"], listOrder: "creation order"),
        Resource(path: "people", parameter: "key", schema: "Person", filters: ["organization", "territory", "function", "current", "country"], listOrder: "creation order"),
        Resource(path: "employments", parameter: "id", schema: "Employment", filters: ["person", "organization", "branch", "territory", "function", "current"], listOrder: "creation order"),
        Resource(path: "interactions", parameter: "key", schema: "Interaction", filters: ["person", "organization", "territory", "function", "kind", "from", "to"], listOrder: "most recent first"),
    ]

    /// Every (method, path) the description documents, in OpenAPI path syntax.
    static var operations: Set<String> {
        var result: Set<String> = ["GET /api/v1/openapi.json", "GET /api/v1/assessments", "GET /api/v1/assessments/{organization_key}",
                                   "GET /api/v1/relationships", "GET /api/v1/coverage", "GET /api/v1/alerts", "GET /api/v1/sales/summary",
                                   "GET /api/v1/economics", "GET /api/v1/plan", "GET /api/v1/lead-lag",
                                   "GET /api/v1/partnerships", "POST /api/v1/partnerships", "GET /api/v1/partnerships/{key}",
                                   "POST /api/v1/partnerships/{key}/activate", "POST /api/v1/partnerships/{key}/suspend",
                                   "POST /api/v1/partnerships/{key}/end", "POST /api/v1/partnerships/{key}/goals",
                                   "POST /api/v1/partnerships/{key}/pledges", "POST /api/v1/partnerships/{key}/risks",
                                   "POST /api/v1/partnerships/{key}/reviews", "POST /api/v1/goals/{key}/progress",
                                   "POST /api/v1/pledges/{key}/contributions", "POST /api/v1/contributions/{id}/confirm",
                                   "GET /api/v1/audit", "GET /api/v1/duplicates", "POST /api/v1/merges"]
        for resource in resources {
            result.formUnion(["GET /api/v1/\(resource.path)", "POST /api/v1/\(resource.path)"])
            for method in ["GET", "PUT", "DELETE"] { result.insert("\(method) /api/v1/\(resource.path)/{\(resource.parameter)}") }
        }
        return result
    }

    static var filterParameters: [String: [String: Any]] { [
        "limit": ["name": "limit", "in": "query", "description": "Page size, 1 to 500 (default 50).", "schema": ["type": "integer", "minimum": 1, "maximum": 500]],
        "cursor": ["name": "cursor", "in": "query", "description": "The `next_cursor` of the previous page.", "schema": ["type": "string", "pattern": "^[A-Za-z0-9_-]+$"]],
        "organization": ["name": "organization", "in": "query", "description": "Organization key.", "schema": ["type": "string"]],
        "territory": ["name": "territory", "in": "query", "description": "Territory code; includes every territory below it.", "schema": ["type": "string"]],
        "person": ["name": "person", "in": "query", "description": "Person key.", "schema": ["type": "string"]],
        "branch": ["name": "branch", "in": "query", "description": "Branch key.", "schema": ["type": "string"]],
        "country": ["name": "country", "in": "query", "description": "ISO 3166-1 alpha-2 country code.", "schema": ["type": "string", "pattern": "^[A-Za-z]{2}$"]],
        "function": ["name": "function", "in": "query", "schema": ["type": "string", "enum": JobFunction.allCases.map(\.rawValue)]],
        "current": ["name": "current", "in": "query", "description": "Only employments without an end date.", "schema": ["type": "boolean"]],
        "from": ["name": "from", "in": "query", "description": "First date, inclusive.", "schema": ["type": "string", "format": "date"]],
        "to": ["name": "to", "in": "query", "description": "Last date, inclusive.", "schema": ["type": "string", "format": "date"]],
    ] }

    /// A date the derived reports accept: the years 1900 to 9000.
    static var asOfDate: [String: Any] { ["type": "string", "format": "date", "pattern": "^(19[0-9]{2}|[2-8][0-9]{3}|9000)-"] }

    static func kindParameter(_ resource: Resource) -> [String: Any] {
        let values = resource.path == "organizations" ? OrganizationKind.allCases.map(\.rawValue) : InteractionKind.allCases.map(\.rawValue)
        return ["name": "kind", "in": "query", "schema": ["type": "string", "enum": values]]
    }

    static func json(_ schema: String) -> [String: Any] {
        ["application/json": ["schema": ["$ref": "#/components/schemas/\(schema)"]]]
    }

    static var problem: [String: Any] { ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]] }

    static func errors(_ codes: [Int]) -> [String: Any] {
        let titles = [400: "Malformed request body", 401: "No valid bearer token", 403: "Not allowed for the token's role",
                      404: "No such record in this workspace (or not visible to a partner guest)", 409: "Conflicts with existing data",
                      415: "Body is not JSON", 422: "Invalid fields (including keys that name no record, and cursors this API did not issue)",
                      503: "The database is busy (writes queued behind an import, say): nothing was changed; send the request again after Retry-After seconds"]
        var result: [String: Any] = [:]
        for code in codes { result[String(code)] = ["description": titles[code] ?? "Error", "content": problem] }
        return result
    }

    static var document: [String: Any] {
        var paths: [String: Any] = ["/api/v1/openapi.json": ["get": ["summary": "This description", "operationId": "openapi",
                                                                      "responses": ["200": ["description": "OpenAPI 3.1 document", "content": ["application/json": ["schema": ["type": "object"]]]]]]]]
        for resource in resources {
            let idParameter: [String: Any] = ["name": resource.parameter, "in": "path", "required": true,
                                              "schema": resource.parameter == "id" ? ["type": "integer", "minimum": 1] : ["type": "string", "minLength": 1]]
            var listParameters = ["limit", "cursor"].compactMap { filterParameters[$0] }
            for filter in resource.filters { listParameters.append(filter == "kind" ? kindParameter(resource) : filterParameters[filter]!) }
            let write = resource.schema + "Write"
            paths["/api/v1/\(resource.path)"] = [
                "get": ["summary": "List \(resource.path) (\(resource.listOrder))", "operationId": "list_\(resource.path)", "parameters": listParameters,
                        "responses": ["200": ["description": "One page", "content": json(resource.schema + "Page")]].merging(errors([422])) { $1 }],
                "post": ["summary": "Create", "operationId": "create_\(resource.path)", "requestBody": ["required": true, "content": json(write)],
                         "responses": ["201": ["description": "Created", "content": json(resource.schema)]].merging(errors([400, 409, 415, 422])) { $1 }],
            ]
            paths["/api/v1/\(resource.path)/{\(resource.parameter)}"] = [
                "parameters": [idParameter],
                "get": ["summary": "Get one", "operationId": "get_\(resource.path)",
                        "responses": ["200": ["description": "Found", "content": json(resource.schema)]].merging(errors([404])) { $1 }],
                "put": ["summary": "Replace", "operationId": "replace_\(resource.path)", "requestBody": ["required": true, "content": json(resource.replaceSchema)],
                        "responses": ["200": ["description": "Replaced", "content": json(resource.schema)]].merging(errors([400, 404, 409, 415, 422])) { $1 }],
                "delete": ["summary": "Delete (refused while other records refer to it)", "operationId": "delete_\(resource.path)",
                           "responses": ["204": ["description": "Deleted"]].merging(errors([404, 409])) { $1 }],
            ]
        }
        for (path, operation) in assessmentPaths { paths[path] = operation }
        for (path, operation) in economicsPaths { paths[path] = operation }
        for (path, operation) in partnershipPaths { paths[path] = operation }
        paths["/api/v1/audit"] = ["get": [
            "summary": "The audit trail, newest first (admins only)", "operationId": "audit_trail",
            "parameters": [["name": "limit", "in": "query", "description": "At most this many (1 to 10000, default 1000).",
                            "schema": ["type": "integer", "minimum": 1, "maximum": 10000]]],
            "responses": ["200": ["description": "Entries", "content": ["application/json": ["schema": [
                "type": "array", "items": ["$ref": "#/components/schemas/AuditEntry"]]]]]].merging(errors([422])) { $1 }]]
        paths["/api/v1/duplicates"] = ["get": [
            "summary": "Likely duplicate people, organizations and branches, each with the merge that would join them", "operationId": "list_duplicates",
            "responses": ["200": ["description": "Candidates", "content": json("DuplicateList")]]]]
        paths["/api/v1/merges"] = ["post": [
            "summary": "Merge a duplicate into the record to keep: everything that referred to it moves, it is deleted (audited)",
            "operationId": "merge", "requestBody": ["required": true, "content": json("MergeRequest")],
            "responses": ["200": ["description": "Merged", "content": json("MergeResult")]].merging(errors([400, 404, 409, 415, 422])) { $1 }]]
        return [
            "openapi": "3.1.0",
            "security": [["bearer": [String]()]],
            "info": ["title": "Tandem API", "version": "1.0.0",
                     "description": "Channel relationships and partnerships. Lists use keyset pagination: pass `next_cursor` as `cursor`. Errors are RFC 9457 problem details."],
            "paths": finished(paths),
            "components": ["schemas": OpenAPISchemas.all.merging(replaceSchemas) { $1 },
                           "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer",
                                                          "description": "An API token from `tandem token create --email E`."]]],
        ]
    }

    /// Which operations can use what a create returns (OpenAPI links), so that clients and
    /// stateful testers can follow a new record to the operations on it.
    static var links: [String: [(operation: String, parameter: String, value: String)]] {
        var result: [String: [(operation: String, parameter: String, value: String)]] = [:]
        for resource in resources {
            let value = "$response.body#/\(resource.parameter)"
            result["create_\(resource.path)"] = ["get", "replace", "delete"].map { ("\($0)_\(resource.path)", resource.parameter, value) }
        }
        let partnership = "$response.body#/partnership/key"
        result["propose_partnership"] = ["get_partnership", "activate_partnership", "suspend_partnership", "end_partnership",
                                         "add_goals", "add_pledges", "add_risks", "add_reviews"].map { ($0, "key", partnership) }
        result["add_goals"] = [("measure_goal", "key", "$response.body#/key")]
        result["add_pledges"] = [("add_contribution", "key", "$response.body#/key")]
        result["add_contribution"] = [("confirm_contribution", "id", "$response.body#/id")]
        return result
    }

    /// What every operation shares: a bearer token (401 without one, 403 when the role may not,
    /// 404 for what a partner guest may not see), 422 for a parameter holding U+0000, 503 when the
    /// database is too busy to answer in time (`DatabaseBusy`), and optional query parameters whose empty value
    /// means absent (`Request.parameter`). The description itself is public.
    static func finished(_ paths: [String: Any]) -> [String: Any] {
        var result = paths
        for (path, item) in paths {
            guard var item = item as? [String: Any] else { continue }
            for method in ["get", "put", "post", "delete"] {
                guard var operation = item[method] as? [String: Any] else { continue }
                if let id = operation["operationId"] as? String, let targets = links[id],
                   var responses = operation["responses"] as? [String: Any],
                   let status = responses.keys.first(where: { $0.hasPrefix("2") }), var success = responses[status] as? [String: Any] {
                    success["links"] = Dictionary(uniqueKeysWithValues: targets.map { target in
                        (target.operation, ["operationId": target.operation, "parameters": [target.parameter: target.value]] as [String: Any])
                    })
                    responses[status] = success
                    operation["responses"] = responses
                }
                // 422 everywhere: a query parameter holding U+0000 is refused (NulCharacterMiddleware).
                if path == "/api/v1/openapi.json" {
                    operation["security"] = [[String: Any]]()
                    operation["responses"] = (operation["responses"] as? [String: Any] ?? [:]).merging(errors([422])) { old, _ in old }
                } else {
                    operation["responses"] = (operation["responses"] as? [String: Any] ?? [:]).merging(errors([401, 403, 404, 422, 503])) { old, _ in old }
                }
                if let parameters = operation["parameters"] as? [[String: Any]] {
                    operation["parameters"] = parameters.map { parameter in
                        var parameter = parameter
                        if parameter["in"] as? String == "query", parameter["required"] as? Bool != true { parameter["allowEmptyValue"] = true }
                        return parameter
                    }
                }
                item[method] = operation
            }
            result[path] = item
        }
        return result
    }

    /// The assessment: derived, read-only, computed as of a date. It names order-seekers, so it
    /// is for the home company's eyes only.
    static var assessmentPaths: [String: Any] {
        let asOf: [String: Any] = ["name": "as_of", "in": "query", "description": "Assess as of this date (default today, UTC).", "schema": asOfDate]
        let list: [String: Any] = ["type": "array", "items": ["$ref": "#/components/schemas/Assessment"]]
        return [
            "/api/v1/assessments": ["get": [
                "summary": "Every counterpart organization: the five partnership tests, the classification and order-seekers",
                "operationId": "list_assessments", "parameters": [asOf],
                "responses": ["200": ["description": "One assessment per counterpart with dealings or a partnership",
                                      "content": ["application/json": ["schema": list]]]].merging(errors([422])) { $1 }]],
            "/api/v1/assessments/{organization_key}": [
                "parameters": [["name": "organization_key", "in": "path", "required": true, "schema": ["type": "string", "minLength": 1]]],
                "get": ["summary": "One counterpart organization's assessment", "operationId": "get_assessment", "parameters": [asOf],
                        "responses": ["200": ["description": "Found", "content": json("Assessment")]].merging(errors([404, 422])) { $1 }]],
            "/api/v1/coverage": ["get": [
                "summary": "The relationship backbone per counterpart branch", "operationId": "list_coverage",
                "parameters": [asOf, filterParameters["organization"]!],
                "responses": ["200": ["description": "One row per counterpart branch", "content": ["application/json": ["schema": [
                    "type": "array", "items": ["$ref": "#/components/schemas/BranchCoverage"]]]]]].merging(errors([422])) { $1 }]],
            "/api/v1/alerts": ["get": [
                "summary": "What to act on: cooling relationships, people who left or moved, overdue pledges, goals off track",
                "operationId": "list_alerts", "parameters": [asOf, filterParameters["organization"]!],
                "responses": ["200": ["description": "Alerts by kind", "content": ["application/json": ["schema": [
                    "type": "array", "items": ["$ref": "#/components/schemas/Alert"]]]]]].merging(errors([422])) { $1 }]],
            "/api/v1/relationships": ["get": [
                "summary": "Relationships across the fence, strongest first", "operationId": "list_relationships",
                "parameters": [asOf, filterParameters["person"]!, filterParameters["organization"]!,
                               ["name": "limit", "in": "query", "description": "At most this many (1 to 5000, default 500).",
                                "schema": ["type": "integer", "minimum": 1, "maximum": 5000]]],
                "responses": ["200": ["description": "Relationships", "content": ["application/json": ["schema": [
                    "type": "array", "items": ["$ref": "#/components/schemas/Relationship"]]]]]].merging(errors([422])) { $1 }]],
        ]
    }

    /// A partnership's lifecycle and shared records.
    static var partnershipPaths: [String: Any] {
        let key: [String: Any] = ["name": "key", "in": "path", "required": true, "schema": ["type": "string", "minLength": 1]]
        func post(_ summary: String, _ operation: String, body: String, status: String, result: String, errors codes: [Int]) -> [String: Any] {
            ["post": ["summary": summary, "operationId": operation, "requestBody": ["required": true, "content": json(body)],
                      "responses": [status: ["description": status == "201" ? "Created" : "Done", "content": json(result)]]
                          .merging(errors(codes)) { $1 }]]
        }
        var paths: [String: Any] = [
            "/api/v1/partnerships": [
                "get": ["summary": "List partnerships (creation order)", "operationId": "list_partnerships",
                        "parameters": ["limit", "cursor", "organization"].compactMap { filterParameters[$0] }
                            + [["name": "status", "in": "query", "schema": ["type": "string", "enum": PartnershipStatus.allCases.map(\.rawValue)]]],
                        "responses": ["200": ["description": "One page", "content": json("PartnershipPage")]].merging(errors([422])) { $1 }],
                "post": ["summary": "Propose a partnership with a counterpart", "operationId": "propose_partnership",
                         "requestBody": ["required": true, "content": json("PartnershipWrite")],
                         "responses": ["201": ["description": "Proposed", "content": json("PartnershipDetail")]].merging(errors([400, 409, 415, 422])) { $1 }],
            ],
            "/api/v1/partnerships/{key}": ["parameters": [key], "get": [
                "summary": "A partnership with its goals, pledges and contributions, risks and reviews", "operationId": "get_partnership",
                "responses": ["200": ["description": "Found", "content": json("PartnershipDetail")]].merging(errors([404])) { $1 }]],
        ]
        for (path, summary) in [("activate", "Activate (from proposed or suspended) with an expressed or implied commitment"),
                                ("suspend", "Suspend an active partnership"), ("end", "End a partnership")] {
            var operation = post(summary, "\(path)_partnership", body: path == "activate" ? "Activation" : "StatusChange", status: "200", result: "PartnershipDetail", errors: [400, 404, 409, 415, 422])
            operation["parameters"] = [key]
            paths["/api/v1/partnerships/{key}/\(path)"] = operation
        }
        for (path, body, result, summary) in [("goals", "GoalWrite", "Goal", "Add a shared goal, with an owner on each side"),
                                              ("pledges", "PledgeWrite", "Pledge", "Add a pledge of one side"),
                                              ("risks", "RiskWrite", "Risk", "Add a risk one side carries"),
                                              ("reviews", "ReviewWrite", "Review", "Record a business review")] {
            var operation = post(summary, "add_\(path)", body: body, status: "201", result: result, errors: [400, 404, 409, 415, 422])
            operation["parameters"] = [key]
            paths["/api/v1/partnerships/{key}/\(path)"] = operation
        }
        var progress = post("Record a goal's value on a date (replacing one of the same date)", "measure_goal", body: "MeasurementWrite",
                            status: "200", result: "Goal", errors: [400, 404, 415, 422])
        progress["parameters"] = [key]
        paths["/api/v1/goals/{key}/progress"] = progress
        var contribution = post("Record a contribution against a pledge (a claim until the other side confirms it)", "add_contribution",
                                body: "ContributionWrite", status: "201", result: "Contribution", errors: [400, 404, 409, 415, 422])
        contribution["parameters"] = [key]
        paths["/api/v1/pledges/{key}/contributions"] = contribution
        var confirm = post("Confirm a contribution: only a person of the other side can", "confirm_contribution", body: "Confirmation",
                           status: "200", result: "Contribution", errors: [400, 404, 409, 415, 422])
        confirm["parameters"] = [["name": "id", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1]]]
        paths["/api/v1/contributions/{id}/confirm"] = confirm
        return paths
    }

    /// Sales and profit: derived, read-only.
    static var economicsPaths: [String: Any] {
        func parameter(_ name: String, _ description: String, _ schema: [String: Any]) -> [String: Any] {
            ["name": name, "in": "query", "description": description, "schema": schema]
        }
        let month: [String: Any] = ["type": "string", "pattern": "^(19[0-9]{2}|[2-8][0-9]{3}|9000)-(0[1-9]|1[0-2])$"]
        let grouping = "(\(SalesGrouping.allCases.map(\.rawValue).joined(separator: "|")))"
        return [
            "/api/v1/sales/summary": ["get": [
                "summary": "Sell-in, sell-through and both sides' gross profit, grouped, with growth against the same months a year earlier",
                "operationId": "sales_summary",
                "parameters": [
                    parameter("by", "Comma-separated: \(SalesGrouping.allCases.map(\.rawValue).joined(separator: ", ")) (default period).",
                              ["type": "string", "pattern": "^\(grouping)(,\(grouping))*$"]),
                    parameter("period", "Length of a period (default month).", ["type": "string", "enum": PeriodGrain.allCases.map(\.rawValue)]),
                    parameter("from", "First month (default 11 months before `to`).", month),
                    parameter("to", "Last month (default the latest month with sales).", month),
                    parameter("manufacturer", "Whose lines (default the home organization).", ["type": "string"]),
                    filterParameters["organization"]!, filterParameters["territory"]!,
                    parameter("product_line", "Only this product line.", ["type": "string"]),
                ],
                "responses": ["200": ["description": "One row per group and currency", "content": json("SalesSummary")]].merging(errors([422])) { $1 }]],
            "/api/v1/economics": ["get": [
                "summary": "What each partnership costs and returns for each side, against a documented baseline",
                "operationId": "list_economics",
                "parameters": [
                    parameter("as_of", "As of this date (default today, UTC).", asOfDate),
                    parameter("partnership", "Only this partnership.", ["type": "string"]),
                    parameter("hourly_cost", "The cost of an hour by currency, e.g. EUR:75,DKK:560; hours without one are not priced.",
                              ["type": "string", "pattern": "^[A-Za-z]{3}:[0-9]+(\\.[0-9]+)?(,[A-Za-z]{3}:[0-9]+(\\.[0-9]+)?)*$"]),
                    parameter("carrying_rate", "Yearly cost of holding inventory as a share of its value (default 0.25).",
                              ["type": "number", "minimum": 0, "maximum": 1]),
                ],
                "responses": ["200": ["description": "One entry per partnership", "content": ["application/json": ["schema": [
                    "type": "array", "items": ["$ref": "#/components/schemas/PartnershipEconomics"]]]]]].merging(errors([404, 422])) { $1 }]],
            "/api/v1/lead-lag": ["get": [
                "summary": "Does the relationship lead the sales? Strength changes against sell-through growth 0 to 4 quarters later",
                "operationId": "lead_lag",
                "parameters": [
                    parameter("by", "Group by (default territory).", ["type": "string", "enum": LeadLagAnalysis.Grouping.allCases.map(\.rawValue)]),
                    filterParameters["territory"]!,
                    parameter("as_of", "As of this date (default today, UTC).", asOfDate),
                ],
                "responses": ["200": ["description": "One table per group", "content": ["application/json": ["schema": [
                    "type": "array", "items": ["$ref": "#/components/schemas/LeadLag"]]]]]].merging(errors([422])) { $1 }]],
            "/api/v1/plan": ["get": [
                "summary": "Where to partner: the counterparts that maximise both sides' expected gross profit within a money and an hours budget",
                "operationId": "plan_partnerships",
                "parameters": [
                    ["name": "budget_money", "in": "query", "required": true, "description": "Money a year, in the plan's currency.",
                     "schema": ["type": "number", "minimum": 0, "maximum": EconomicsController.planLimits["budget_money"]!]],
                    ["name": "budget_hours", "in": "query", "required": true, "description": "Hours a year.",
                     "schema": ["type": "number", "minimum": 0, "maximum": EconomicsController.planLimits["budget_hours"]!]],
                    parameter("as_of", "As of this date (default today, UTC).", asOfDate),
                    parameter("currency", "The plan's currency (default the home company's).", ["type": "string", "pattern": "^[A-Za-z]{3}$"]),
                    parameter("rates", "Exchange rates into the plan's currency, e.g. DKK:0.134,USD:0.92.",
                              ["type": "string", "pattern": "^[A-Za-z]{3}:[0-9]+(\\.[0-9]+)?(,[A-Za-z]{3}:[0-9]+(\\.[0-9]+)?)*$"]),
                    parameter("uplift_home", "Expected growth of the home company's gross profit (default: measured).", ["type": "number", "minimum": -1, "maximum": EconomicsController.planLimits["uplift_home"]!]),
                    parameter("uplift_counterpart", "Expected growth of the counterpart's gross profit (default: measured).", ["type": "number", "minimum": -1, "maximum": EconomicsController.planLimits["uplift_counterpart"]!]),
                    parameter("money_share", "Money a year per partnership as a share of the counterpart's sell-in (default: measured).",
                              ["type": "number", "minimum": 0, "maximum": EconomicsController.planLimits["money_share"]!]),
                    parameter("hours_per_branch", "Hours a year per counterpart branch (default: measured).", ["type": "number", "minimum": 0, "maximum": EconomicsController.planLimits["hours_per_branch"]!]),
                ],
                "responses": ["200": ["description": "The plan", "content": json("PartnershipPlan")]].merging(errors([422])) { $1 }]],
        ]
    }

    static func response() -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
