import TandemCore
import TandemWorkspace
import Vapor

extension Territory: Content {}
extension Organization: Content {}
extension Branch: Content {}
extension Person: Content {}
extension Employment: Content {}
extension Interaction: Content {}
extension ListPage: Content {}

struct TerritoryController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("territories")
        group.get { req in try await req.workspace.territories(ListQuery(req)) }
        group.post { req in
            let saved = try await req.workspace.saveTerritory(try req.body(TerritoryDraft.self))
            return try await created(saved, at: "/api/v1/territories/\(pathComponent(saved.code))")
        }
        group.get(":code") { req in try await req.workspace.territory(code: try req.key("code")) }
        group.put(":code") { req in try await req.workspace.saveTerritory(try req.body(TerritoryDraft.self), existing: try req.key("code")) }
        group.delete(":code") { req -> HTTPStatus in
            try await req.workspace.delete(.territory, key: try req.key("code"))
            return .noContent
        }
    }
}

struct OrganizationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("organizations")
        group.get { req in try await req.workspace.organizations(ListQuery(req, kinds: OrganizationKind.allCases.map(\.rawValue))) }
        group.post { req in
            let saved = try await req.workspace.saveOrganization(try req.body(OrganizationDraft.self))
            return try await created(saved, at: "/api/v1/organizations/\(pathComponent(saved.key))")
        }
        group.get(":key") { req in try await req.workspace.organization(key: try req.key()) }
        group.put(":key") { req in try await req.workspace.saveOrganization(try req.body(OrganizationDraft.self), existing: try req.key()) }
        group.delete(":key") { req -> HTTPStatus in
            try await req.workspace.delete(.organization, key: try req.key())
            return .noContent
        }
    }
}

struct BranchController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("branches")
        group.get { req in try await req.workspace.branches(ListQuery(req)) }
        group.post { req in
            let saved = try await req.workspace.saveBranch(try req.body(BranchDraft.self))
            return try await created(saved, at: "/api/v1/branches/\(pathComponent(saved.key))")
        }
        group.get(":key") { req in try await req.workspace.branch(key: try req.key()) }
        group.put(":key") { req in try await req.workspace.saveBranch(try req.body(BranchDraft.self), existing: try req.key()) }
        group.delete(":key") { req -> HTTPStatus in
            try await req.workspace.delete(.branch, key: try req.key())
            return .noContent
        }
    }
}

struct PersonController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("people")
        group.get { req in try await req.workspace.people(ListQuery(req)) }
        group.post { req in
            let saved = try await req.workspace.savePerson(try req.body(PersonDraft.self))
            return try await created(saved, at: "/api/v1/people/\(pathComponent(saved.key))")
        }
        group.get(":key") { req in try await req.workspace.person(key: try req.key()) }
        group.put(":key") { req in try await req.workspace.savePerson(try req.body(PersonDraft.self), existing: try req.key()) }
        group.delete(":key") { req -> HTTPStatus in
            try await req.workspace.delete(.person, key: try req.key())
            return .noContent
        }
    }
}

struct EmploymentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("employments")
        group.get { req in try await req.workspace.employments(ListQuery(req)) }
        group.post { req in
            let saved = try await req.workspace.saveEmployment(try req.body(EmploymentDraft.self))
            return try await created(saved, at: "/api/v1/employments/\(saved.id)")
        }
        group.get(":id") { req in try await req.workspace.employment(id: try Self.id(req)) }
        group.put(":id") { req in try await req.workspace.saveEmployment(try req.body(EmploymentDraft.self), existing: try Self.id(req)) }
        group.delete(":id") { req -> HTTPStatus in
            try await req.workspace.deleteEmployment(id: try Self.id(req))
            return .noContent
        }
    }

    static func id(_ req: Request) throws -> Int64 {
        let text = try req.key("id")
        guard let id = Int64(text), id > 0 else { throw StoreError.notFound(kind: "employment", key: text) }
        return id
    }
}

struct InteractionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("interactions")
        group.get { req in try await req.workspace.interactions(ListQuery(req, kinds: InteractionKind.allCases.map(\.rawValue))) }
        group.post { req in
            let saved = try await req.workspace.logInteraction(try req.body(InteractionDraft.self))
            return try await created(saved, at: "/api/v1/interactions/\(pathComponent(saved.key))")
        }
        group.get(":key") { req in try await req.workspace.interaction(key: try req.key()) }
        group.put(":key") { req in try await req.workspace.replaceInteraction(try req.body(InteractionDraft.self), existing: try req.key()) }
        group.delete(":key") { req -> HTTPStatus in
            try await req.workspace.delete(.interaction, key: try req.key())
            return .noContent
        }
    }
}

extension DuplicateCandidate: Content {}
extension MergeResult: Content {}

/// Likely duplicates, and merging one record into another (admins and managers; audited).
struct MergeController: RouteCollection {
    struct Duplicates: Content {
        var items: [DuplicateCandidate]
    }

    struct MergeRequest: Content {
        var kind: MergeKind?
        var keep: String?
        var merge: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("duplicates") { req in Duplicates(items: try await req.workspace.duplicates()) }
        routes.post("merges") { req in
            let body = try req.body(MergeRequest.self)
            var issues: [FieldIssue] = []
            for (field, value) in [("kind", body.kind?.rawValue), ("keep", body.keep), ("merge", body.merge)] where value?.isEmpty != false {
                issues.append(FieldIssue(field: field, message: "required value is missing"))
            }
            guard issues.isEmpty, let kind = body.kind, let keep = body.keep, let merge = body.merge else { throw StoreError.invalid(issues) }
            return try await req.workspace.merge(kind, keep: keep, duplicate: merge, actor: req.principal?.email,
                                                 address: req.clientAddress, now: Accounts.now())
        }
    }
}
