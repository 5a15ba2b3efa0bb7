import TandemCore
import TandemStore
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
        group.get { req in try await req.directory.territories(ListQuery(req)) }
        group.post { req in
            let saved = try await req.directory.saveTerritory(try req.body(TerritoryDraft.self))
            return try await created(saved, at: "/api/v1/territories/\(pathComponent(saved.code))")
        }
        group.get(":code") { req in try await req.directory.territory(code: try req.key("code")) }
        group.put(":code") { req in try await req.directory.saveTerritory(try req.body(TerritoryDraft.self), existing: try req.key("code")) }
        group.delete(":code") { req -> HTTPStatus in
            try await req.directory.delete("territories", kind: "territory", key: try req.key("code"), column: "code")
            return .noContent
        }
    }
}

struct OrganizationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("organizations")
        group.get { req in try await req.directory.organizations(ListQuery(req, kinds: OrganizationKind.allCases.map(\.rawValue))) }
        group.post { req in
            let saved = try await req.directory.saveOrganization(try req.body(OrganizationDraft.self))
            return try await created(saved, at: "/api/v1/organizations/\(pathComponent(saved.key))")
        }
        group.get(":key") { req in try await req.directory.organization(key: try req.key()) }
        group.put(":key") { req in try await req.directory.saveOrganization(try req.body(OrganizationDraft.self), existing: try req.key()) }
        group.delete(":key") { req -> HTTPStatus in
            try await req.directory.delete("organizations", kind: "organization", key: try req.key())
            return .noContent
        }
    }
}

struct BranchController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("branches")
        group.get { req in try await req.directory.branches(ListQuery(req)) }
        group.post { req in
            let saved = try await req.directory.saveBranch(try req.body(BranchDraft.self))
            return try await created(saved, at: "/api/v1/branches/\(pathComponent(saved.key))")
        }
        group.get(":key") { req in try await req.directory.branch(key: try req.key()) }
        group.put(":key") { req in try await req.directory.saveBranch(try req.body(BranchDraft.self), existing: try req.key()) }
        group.delete(":key") { req -> HTTPStatus in
            try await req.directory.delete("branches", kind: "branch", key: try req.key())
            return .noContent
        }
    }
}

struct PersonController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("people")
        group.get { req in try await req.directory.people(ListQuery(req)) }
        group.post { req in
            let saved = try await req.directory.savePerson(try req.body(PersonDraft.self))
            return try await created(saved, at: "/api/v1/people/\(pathComponent(saved.key))")
        }
        group.get(":key") { req in try await req.directory.person(key: try req.key()) }
        group.put(":key") { req in try await req.directory.savePerson(try req.body(PersonDraft.self), existing: try req.key()) }
        group.delete(":key") { req -> HTTPStatus in
            try await req.directory.delete("people", kind: "person", key: try req.key())
            return .noContent
        }
    }
}

struct EmploymentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let group = routes.grouped("employments")
        group.get { req in try await req.directory.employments(ListQuery(req)) }
        group.post { req in
            let saved = try await req.directory.saveEmployment(try req.body(EmploymentDraft.self))
            return try await created(saved, at: "/api/v1/employments/\(saved.id)")
        }
        group.get(":id") { req in try await req.directory.employment(id: try Self.id(req)) }
        group.put(":id") { req in try await req.directory.saveEmployment(try req.body(EmploymentDraft.self), existing: try Self.id(req)) }
        group.delete(":id") { req -> HTTPStatus in
            try await req.directory.deleteEmployment(id: try Self.id(req))
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
        group.get { req in try await req.directory.interactions(ListQuery(req, kinds: InteractionKind.allCases.map(\.rawValue))) }
        group.post { req in
            let (saved, revision) = try await req.directory.saveInteractionAndRevision(try req.body(InteractionDraft.self))
            await req.applyToCache(saved, revision: revision)
            return try await created(saved, at: "/api/v1/interactions/\(pathComponent(saved.key))")
        }
        group.get(":key") { req in try await req.directory.interaction(key: try req.key()) }
        group.put(":key") { req in try await req.directory.saveInteraction(try req.body(InteractionDraft.self), existing: try req.key()) }
        group.delete(":key") { req -> HTTPStatus in
            try await req.directory.delete("interactions", kind: "interaction", key: try req.key())
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
        routes.get("duplicates") { req in Duplicates(items: try await req.directory.duplicates()) }
        routes.post("merges") { req in
            let body = try req.body(MergeRequest.self)
            var issues: [FieldIssue] = []
            for (field, value) in [("kind", body.kind?.rawValue), ("keep", body.keep), ("merge", body.merge)] where value?.isEmpty != false {
                issues.append(FieldIssue(field: field, message: "required value is missing"))
            }
            guard issues.isEmpty, let kind = body.kind, let keep = body.keep, let merge = body.merge else { throw StoreError.invalid(issues) }
            return try await req.directory.merge(kind, keep: keep, duplicate: merge, actor: req.principal?.email,
                                                 address: req.clientAddress, now: Accounts.now())
        }
    }
}
