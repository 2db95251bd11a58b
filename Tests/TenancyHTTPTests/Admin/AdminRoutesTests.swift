import Foundation
import Tenancy
import Testing

@testable import TenancyHTTP

/// The admin REST API over the fixture's real in-memory store, driven through a router.
@Suite struct AdminRoutesTests {
    let fixture: TenantFixture
    let audit = AdminLog()
    let handler: HTTPHandler

    init() throws {
        fixture = try TenantFixture()
        let admin = TenantAdminService(
            store: fixture.store, quota: QuotaEnforcer(store: fixture.quotaStore, clock: fixture.clock),
            observers: TenancyObservers([audit]))
        var router = Router(middleware: [RequestIDMiddleware()])
        try AdminRoutes(service: admin, maximumPageSize: 2).register(on: &router)
        handler = router.handler
    }

    private func call(_ method: HTTPMethod, _ target: String, _ body: String = "", ifMatch: String? = nil) async throws
        -> HTTPResponse
    {
        try await send(handler, method, target, headers: ifMatch.map { [("If-Match", $0)] } ?? [], body: body)
    }

    @Test func createAnswers201WithTheStoredTenantItsLocationAndVersionTag() async throws {
        let response = try await call(.post, "/admin/tenants", #"{"id": "initech", "metadata": {"plan": "free"}}"#)
        #expect(response.status == .created)
        #expect(response.headers["Location"] == "/admin/tenants/initech")
        #expect(response.headers["ETag"] == "\"1\"")
        let tenant = try response.jsonObject()
        #expect(tenant["id"] as? String == "initech")
        #expect(tenant["version"] as? Int == 1)
        #expect((tenant["metadata"] as? [String: String]) == ["plan": "free"])
        #expect(audit.all == ["created initech 1"])
    }

    @Test func aDuplicateCreateIs409AndChangesNothing() async throws {
        let response = try await call(.post, "/admin/tenants", #"{"id": "acme"}"#)
        #expect(response.status == .conflict)
        #expect(response.problemCode == "tenant_exists")
        #expect(audit.all.isEmpty)
    }

    @Test(arguments: [
        (#"{"id": "bad id!"}"#, "id"),
        (#"{"id": "x", "quota": {"limits": [{"window": "minute", "requests": "ten"}]}}"#, "quota.limits[0].requests"),
        (#"{"id": "x", "quota": {"limits": [{"window": "fortnight"}]}}"#, "quota.limits[0].window"),
        (#"{"id": "x", "quota": {"limits": [{"window": "minute", "requests": -5}]}}"#, "quota.limits[0].requests"),
        (#"{"quota": {}}"#, "id"),
    ])
    func anInvalidTenantIs400NamingTheField(body: String, field: String) async throws {
        let response = try await call(.post, "/admin/tenants", body)
        #expect(response.status == .badRequest)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        let problem = try response.jsonObject()
        #expect(problem["code"] as? String == "invalid_tenant")
        let errors = try #require(problem["errors"] as? [[String: String]])
        #expect(errors.map { $0["field"] } == [field], "\(errors)")
    }

    @Test(arguments: ["", "{", "[1, 2]", "null"])
    func aBodyThatIsNoTenantObjectIs400(body: String) async throws {
        let response = try await call(.post, "/admin/tenants", body)
        #expect(response.status == .badRequest)
        #expect(["invalid_json", "invalid_tenant"].contains(response.problemCode ?? ""))
    }

    @Test func listingPagesByCursorAndCapsThePageSize() async throws {
        let first = try await call(.get, "/admin/tenants?limit=50").jsonObject()
        let ids = (first["tenants"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == ["acme", "free"])  // capped at the configured maximum of 2
        #expect(first["next_after"] as? String == "free")
        let last = try await call(.get, "/admin/tenants?after=free").jsonObject()
        #expect((last["tenants"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["frozen"])
        #expect(last["next_after"] is NSNull)
    }

    @Test(arguments: ["/admin/tenants?limit=0", "/admin/tenants?limit=x", "/admin/tenants?after=a%20b"])
    func aBadListArgumentIs400(target: String) async throws {
        let response = try await call(.get, target)
        #expect(response.status == .badRequest)
        #expect(response.problemCode == "invalid_argument")
    }

    @Test func readingATenantCarriesItsVersionTag() async throws {
        let response = try await call(.get, "/admin/tenants/acme")
        #expect(response.status == .ok)
        #expect(response.headers["ETag"] == "\"1\"")
        #expect(try response.jsonObject()["id"] as? String == "acme")
    }

    @Test(arguments: ["/admin/tenants/nobody", "/admin/tenants/bad%20id"])
    func anUnknownOrMalformedTenantIs404(target: String) async throws {
        let response = try await call(.get, target)
        #expect(response.status == .notFound)
        #expect(response.problemCode == "tenant_not_found")
    }

    @Test(arguments: ["\"1\"", "1", "*"])
    func replaceWithAMatchingVersionSucceedsAndBumpsIt(ifMatch: String) async throws {
        let response = try await call(.put, "/admin/tenants/acme", #"{"metadata": {"plan": "pro"}}"#, ifMatch: ifMatch)
        #expect(response.status == .ok)
        #expect(response.headers["ETag"] == "\"2\"")
        #expect(audit.all == ["replaced acme 2"])
    }

    @Test func replaceWithAStaleVersionIs412AndChangesNothing() async throws {
        let response = try await call(.put, "/admin/tenants/acme", #"{"status": "suspended"}"#, ifMatch: "\"7\"")
        #expect(response.status == .preconditionFailed)
        #expect(response.problemCode == "version_conflict")
        #expect(try await call(.get, "/admin/tenants/acme").jsonObject()["status"] as? String == "active")
    }

    @Test func aWeakTagNeverMatches() async throws {
        let response = try await call(.put, "/admin/tenants/acme", "{}", ifMatch: "W/\"1\"")
        #expect(response.status == .preconditionFailed)
        #expect(audit.all.isEmpty)
    }

    @Test func severalIfMatchFieldsAreRefusedNotHalfRead() async throws {
        let response = try await send(
            handler, .put, "/admin/tenants/acme", headers: [("If-Match", "*"), ("If-Match", "\"7\"")], body: "{}")
        #expect(response.status == .badRequest)
        #expect(try await call(.put, "/admin/tenants/acme", "{}", ifMatch: "\"7\", \"1\"").status == .badRequest)
        #expect(audit.all.isEmpty)
    }

    @Test func replaceWithAnUnreadableIfMatchIs400() async throws {
        let response = try await call(.put, "/admin/tenants/acme", "{}", ifMatch: "\"v1\"")
        #expect(response.status == .badRequest)
        #expect(response.problemCode == "invalid_argument")
    }

    @Test func replaceCannotRenameATenant() async throws {
        let response = try await call(.put, "/admin/tenants/acme", #"{"id": "globex"}"#)
        #expect(response.status == .badRequest)
        #expect(response.problemCode == "invalid_tenant")
    }

    @Test func replacingATenantThatDoesNotExistIs404() async throws {
        let response = try await call(.put, "/admin/tenants/nobody", "{}")
        #expect(response.status == .notFound)
    }

    @Test func deleteIs204ThenTheTenantIsGone() async throws {
        #expect(try await call(.delete, "/admin/tenants/free").status == .noContent)
        #expect(try await call(.get, "/admin/tenants/free").status == .notFound)
        #expect(try await call(.delete, "/admin/tenants/free").status == .notFound)
        #expect(audit.all == ["deleted free 1"])
    }

    @Test func deleteWithAStaleVersionIs412() async throws {
        #expect(try await call(.delete, "/admin/tenants/free", ifMatch: "\"3\"").status == .preconditionFailed)
    }

    @Test func quotaAndPolicyUpdatesReplaceOnlyTheirPart() async throws {
        let quota = try await call(
            .put, "/admin/tenants/acme/quota", #"{"algorithm": "token_bucket", "limits": [{"window": "second", "requests": 5}]}"#)
        #expect(quota.status == .ok)
        let policy = try await call(.put, "/admin/tenants/acme/policy", #"{"allowed_tools": ["search"]}"#)
        #expect(policy.status == .ok)
        let tenant = try policy.jsonObject()
        #expect((tenant["quota"] as? [String: Any])?["algorithm"] as? String == "token_bucket")
        #expect((tenant["policy"] as? [String: Any])?["allowed_tools"] as? [String] == ["search"])
        #expect((tenant["policy"] as? [String: Any])?["allowed_models"] as? [String] == [])
        #expect(tenant["version"] as? Int == 3)
        #expect(audit.all == ["quota_updated acme 2", "policy_updated acme 3"])
    }

    @Test func anInvalidPolicyIs400() async throws {
        let response = try await call(.put, "/admin/tenants/acme/policy", #"{"allowed_methods": ["GET POST"]}"#)
        #expect(response.status == .badRequest)
        #expect(response.problemCode == "invalid_tenant")
    }

    @Test func usageReportsEveryLimitedDimension() async throws {
        let usage = try await call(.get, "/admin/tenants/acme/usage").jsonObject()
        #expect(usage["tenant"] as? String == "acme")
        #expect(usage["algorithm"] as? String == "fixed_window")
        let entries = try #require(usage["usage"] as? [[String: Any]])
        #expect(entries.map { $0["dimension"] as? String } == ["requests", "tokens"])
        #expect(entries.first?["remaining"] as? Int == 2)
        #expect(entries.first?["reset_seconds"] as? Int == 45)
        #expect(try await call(.get, "/admin/tenants/nobody/usage").status == .notFound)
    }

    @Test func aFailingBackendIs503() async throws {
        fixture.store.setDown(true)
        let response = try await call(.get, "/admin/tenants/acme")
        #expect(response.status == .serviceUnavailable)
        #expect(response.problemCode == "tenant_backend_unavailable")
    }

    @Test(arguments: ["'3'", "\"-1\"", "W/", ""])
    func ifMatchParsingRejectsWhatIsNoVersion(value: String) throws {
        let request = try HTTPRequest.make(.put, "/admin/tenants/acme", headers: [("If-Match", value)])
        #expect(throws: (any Error).self) { try AdminRoutes.ifMatch(request) }
    }
}

/// Admin changes as `action tenant version`.
final class AdminLog: TenancyObserver {
    private let lines = Synchronized<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func adminChanged(_ event: AdminEvent) {
        lines.withLock { $0.append("\(event.action.rawValue) \(event.tenant) \(event.version)") }
    }
}
