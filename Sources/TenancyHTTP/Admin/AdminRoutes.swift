import Foundation
import Tenancy

/// The admin REST API of DESIGN.md over a ``TenantAdminService``: create, read, list, replace and delete
/// tenants, change their quota or policy, and read their current quota usage.
///
/// ```swift
/// var router = Router()
/// try AdminRoutes(service: admin).register(
///     on: &router, middleware: [BearerAuthMiddleware(tokens: [token: Principal(subject: "admin", tenant: nil)])])
/// ```
///
/// | route | success | errors |
/// |---|---|---|
/// | `POST /admin/tenants` | 201, `Location`, `ETag` | 400 `invalid_tenant` / `invalid_json`, 409 `tenant_exists` |
/// | `GET /admin/tenants?limit=&after=` | 200 `{"tenants": [...], "next_after": id or null}` | 400 `invalid_argument` |
/// | `GET /admin/tenants/{id}` | 200, `ETag` | 404 `tenant_not_found` |
/// | `PUT /admin/tenants/{id}` | 200, `ETag` | 400, 404, 412 `version_conflict` |
/// | `DELETE /admin/tenants/{id}` | 204 | 404, 412 |
/// | `PUT /admin/tenants/{id}/quota`, `.../policy` | 200, `ETag` | 400, 404, 412 |
/// | `GET /admin/tenants/{id}/usage` | 200 | 404 |
///
/// Writes honour `If-Match` with the tenant's version (`"3"`, `3` or `*`; a weak tag never matches); a create is one
/// conditional insert, so two racing creates give one 201 and one 409. Every change goes through the
/// service, so it reaches the observers (the audit trail) and the store invalidates its caches at once.
/// The routes carry no authentication of their own: register them behind the middleware that does, and
/// never behind the tenant middleware (admin requests are not tenant requests).
public struct AdminRoutes: Sendable {
    /// Where the changes go.
    public let service: TenantAdminService
    /// The most tenants one list page returns, whatever `limit` asks for.
    public let maximumPageSize: Int

    /// Creates the routes.
    /// - Parameters:
    ///   - service: The admin service over the tenant config store.
    ///   - maximumPageSize: The most tenants one list page returns; 1000 by default.
    public init(service: TenantAdminService, maximumPageSize: Int = 1_000) {
        self.service = service
        self.maximumPageSize = max(1, maximumPageSize)
    }

    /// Registers the routes under `/admin/tenants`.
    /// - Parameters:
    ///   - builder: The router or group to register on.
    ///   - middleware: Middleware around every admin route, such as bearer authentication; first runs first.
    /// - Throws: ``HTTPError`` when a route conflicts with one already registered.
    public func register(on builder: inout some RouteBuilder, middleware: [any Middleware] = []) throws {
        try builder.group("/admin/tenants", middleware: middleware) { group in
            try group.post("/") { request in await answer { try await create(request) } }
            try group.get("/") { request in await answer { try await list(request) } }
            try group.get("/{id}") { request in await answer { try await tenant(request) } }
            try group.put("/{id}") { request in await answer { try await replace(request) } }
            try group.delete("/{id}") { request in await answer { try await delete(request) } }
            try group.put("/{id}/quota") { request in await answer { try await updateQuota(request) } }
            try group.put("/{id}/policy") { request in await answer { try await updatePolicy(request) } }
            try group.get("/{id}/usage") { request in await answer { try await usage(request) } }
        }
    }

    /// The route's response, or the problem it failed with.
    private func answer(_ route: () async throws -> HTTPResponse) async -> HTTPResponse {
        do {
            return try await route()
        } catch let problem as AdminProblem {
            return problem.response
        } catch {
            return HTTPResponse(error: error)
        }
    }

    private func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let config = try AdminJSON.decode(TenantConfig.self, from: request)
        let stored = try await perform { () async throws(TenancyError) in
            try await service.create(config, actor: Self.actor(of: request))
        }
        var response = try AdminJSON.tenant(stored, status: .created)
        response.headers.appendTrusted("Location", "/admin/tenants/\(stored.id)")
        return response
    }

    private func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        var limit = 100
        if let raw = request.queryValue("limit") {
            guard let value = Int(raw), value > 0 else {
                throw AdminProblem(.badRequest, .invalidArgument, "limit must be a positive integer, got '\(raw.boundedForMessage())'")
            }
            limit = min(value, maximumPageSize)
        }
        var after: TenantID?
        if let raw = request.queryValue("after"), !raw.isEmpty {
            do {
                after = try TenantID(raw)
            } catch {
                throw AdminProblem(.badRequest, .invalidArgument, "after: \(error.message)")
            }
        }
        let page = try await perform { () async throws(TenancyError) in try await service.list(after: after, limit: limit) }
        return try HTTPResponse.json(AdminJSON.Page(tenants: page.tenants, nextAfter: page.nextAfter?.rawValue))
    }

    private func tenant(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = try Self.tenantID(request)
        let config = try await perform { () async throws(TenancyError) in try await service.tenant(id) }
        return try AdminJSON.tenant(config)
    }

    private func replace(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = try Self.tenantID(request)
        let config = try AdminJSON.decode(TenantConfig.self, from: request, defaultID: id)
        guard config.id == id else {
            throw AdminProblem(
                .badRequest, .invalidTenant, "the body's id '\(config.id)' differs from the path's '\(id)'",
                fieldErrors: [.init(field: "id", message: "must equal the tenant ID of the path")])
        }
        let condition = try Self.ifMatch(request)
        let stored = try await perform { () async throws(TenancyError) in
            try await service.replace(config, ifMatch: condition, actor: Self.actor(of: request))
        }
        return try AdminJSON.tenant(stored)
    }

    private func delete(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = try Self.tenantID(request)
        let condition = try Self.ifMatch(request)
        _ = try await perform { () async throws(TenancyError) in
            try await service.delete(id, ifMatch: condition, actor: Self.actor(of: request))
        }
        return HTTPResponse(status: .noContent)
    }

    private func updateQuota(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await update(request, QuotaConfig.self) { id, quota, condition, actor async throws(TenancyError) in
            try await service.updateQuota(id, quota, ifMatch: condition, actor: actor)
        }
    }

    private func updatePolicy(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await update(request, PolicyConfig.self) { id, policy, condition, actor async throws(TenancyError) in
            try await service.updatePolicy(id, policy, ifMatch: condition, actor: actor)
        }
    }

    /// `PUT /admin/tenants/{id}/<part>`: decodes the part, honours `If-Match`, applies it through the service.
    private func update<Part: Decodable>(
        _ request: HTTPRequest, _ type: Part.Type,
        _ apply: (TenantID, Part, Int64?, String) async throws(TenancyError) -> TenantConfig
    ) async throws -> HTTPResponse {
        let id = try Self.tenantID(request)
        let part = try AdminJSON.decode(type, from: request)
        let condition = try Self.ifMatch(request)
        let stored = try await perform { () async throws(TenancyError) in
            try await apply(id, part, condition, Self.actor(of: request))
        }
        return try AdminJSON.tenant(stored)
    }

    private func usage(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = try Self.tenantID(request)
        let usage = try await perform { () async throws(TenancyError) in try await service.usage(id) }
        return try HTTPResponse.json(AdminJSON.Usage(tenant: id, usage: usage))
    }

    /// Runs a service call, turning its errors into the admin API's problems.
    private func perform<Value>(_ call: () async throws(TenancyError) -> Value) async throws(AdminProblem) -> Value {
        do {
            return try await call()
        } catch {
            throw AdminProblem(error)
        }
    }

    private static func tenantID(_ request: HTTPRequest) throws(AdminProblem) -> TenantID {
        let raw = request.parameters["id"] ?? ""
        do {
            return try TenantID(raw)
        } catch {
            // No tenant can have a malformed ID, so it is not found rather than a bad request.
            throw AdminProblem(.notFound, .tenantNotFound, "tenant '\(raw.boundedForMessage())' does not exist")
        }
    }

    /// The version an `If-Match` header names; `nil` without one or for `*` (any version of an existing
    /// tenant). Several fields or a list are refused rather than half-read (`*` in one and `"3"` in another
    /// must not become unconditional), and a weak tag never matches: `If-Match` compares strongly (RFC 9110).
    static func ifMatch(_ request: HTTPRequest) throws(AdminProblem) -> Int64? {
        let fields = request.headers.values(for: "If-Match")
        guard let raw = fields.first else { return nil }
        guard fields.count == 1, !raw.contains(",") else {
            throw AdminProblem(.badRequest, .invalidArgument, "send one If-Match with one tenant version, such as \"3\"")
        }
        var value = Substring(raw.trimmingCharacters(in: .whitespaces))
        if value == "*" { return nil }
        if value.hasPrefix("W/") {
            throw AdminProblem(
                .preconditionFailed, .versionConflict, "a weak entity tag never matches If-Match; send the version as \"3\"")
        }
        if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
        guard let version = Int64(value), version >= 0 else {
            throw AdminProblem(
                .badRequest, .invalidArgument, "If-Match must name a tenant version such as \"3\", got '\(raw.boundedForMessage())'")
        }
        return version
    }

    /// Who made a change, for the audit trail: the request ID when there is one.
    private static func actor(of request: HTTPRequest) -> String {
        request.requestID.map { "admin-api request \($0)" } ?? "admin-api"
    }
}
