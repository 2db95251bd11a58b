import Tenancy
import TenancyMetrics
import TenancyTestSupport
import Testing

@testable import TenancyHTTP

/// The tenant stack over real loopback sockets: what a client sees on the wire.
@Suite struct TenantMiddlewareLoopbackTests {
    let fixture: TenantFixture
    let metrics: TenantMetrics

    init() throws {
        fixture = try TenantFixture()
        metrics = try TenantMetrics()
    }

    /// `/api/...` behind request ID, completion, bearer auth (optional) and the three tenant steps.
    private func serve(_ configuration: AdmissionGate.Configuration = .init()) throws -> (HTTPServer, Int) {
        let gate = fixture.gate(configuration, observers: [metrics])
        let auth = BearerAuthMiddleware { token in
            token == "svc-free" ? Principal(subject: "svc", tenant: try? TenantID("free")) : nil
        }
        let optionalAuth = OptionalAuth(auth: auth)
        var router = Router(middleware: [RequestIDMiddleware()])
        try router.group(
            "/api",
            middleware: [
                RequestCompletionMiddleware(observers: gate.observers), optionalAuth, TenantResolverMiddleware(gate: gate),
                TenantPolicyMiddleware(gate: gate), TenantQuotaMiddleware(gate: gate),
            ]
        ) { api in
            try api.get("/whoami", echoTenant)
        }
        return try startedServer(handler: router.handler)
    }

    private func get(_ port: Int, _ headers: [String] = [], method: String = "GET") throws -> RawHTTPClient.Response {
        try RawHTTPClient.request(method, "/api/whoami", port: port, headers: headers + ["Connection: close"])
    }

    @Test func resolvesFromTheHeaderAndAnswersWithARequestID() throws {
        let (server, port) = try serve()
        defer { server.shutdown() }
        let response = try get(port, ["X-Tenant-ID: acme"])
        #expect(response.status == 200)
        #expect(response.text == "tenant=acme bound=acme")
        #expect(response.header("X-Request-ID")?.utf8.count == 32)
        #expect(response.header("X-Quota-Remaining-Requests") == "1")
    }

    @Test func thePrincipalWinsOverTheHeader() throws {
        let (server, port) = try serve()
        defer { server.shutdown() }
        let response = try get(port, ["X-Tenant-ID: acme", "Authorization: Bearer svc-free"])
        #expect(response.text == "tenant=free bound=free")
    }

    @Test func missingIs401AndUnknownIs403AsProblemJSON() throws {
        let (server, port) = try serve()
        defer { server.shutdown() }
        let missing = try get(port)
        #expect(missing.status == 401)
        #expect(missing.header("Content-Type") == "application/problem+json")
        #expect(missing.header("WWW-Authenticate") == "Tenant realm=\"tenancy\"")
        let unknown = try get(port, ["X-Tenant-ID: nobody"])
        #expect(unknown.status == 403)
        #expect(unknown.text.contains("\"code\":\"tenant_unknown\""))
    }

    @Test func quotaIs429WithRetryAfterAndRateLimitAndDeniedRequestsSpendNone() throws {
        let (server, port) = try serve()
        defer { server.shutdown() }
        #expect(try get(port, ["X-Tenant-ID: acme", "X-Model: gpt-5"]).status == 403)
        #expect(try get(port, ["X-Tenant-ID: acme"]).status == 200)
        #expect(try get(port, ["X-Tenant-ID: acme"]).status == 200)
        let rejected = try get(port, ["X-Tenant-ID: acme"])
        #expect(rejected.status == 429)
        #expect(rejected.header("Retry-After") == "45")
        #expect(rejected.header("RateLimit") == "\"minute\";r=0;t=45, \"minute-tokens\";r=100;t=45")
        #expect(rejected.header("RateLimit-Policy") == "\"minute\";q=2;w=60, \"minute-tokens\";q=100;qu=\"tokens\";w=60")
        let exposition = String(decoding: metrics.registry.render(), as: UTF8.self)
        #expect(exposition.contains("tenancy_requests_total{tenant_id=\"acme\",outcome=\"allowed\"} 2"))
        #expect(exposition.contains("tenancy_requests_total{tenant_id=\"acme\",outcome=\"policy_denied\"} 1"))
        #expect(exposition.contains("tenancy_requests_total{tenant_id=\"acme\",outcome=\"quota_rejected\"} 1"))
    }

    @Test func aFailingBackendIs503OrAdmittedWhenFailingOpen() throws {
        fixture.quotaStore.setDown(true)
        let (closed, closedPort) = try serve()
        defer { closed.shutdown() }
        #expect(try get(closedPort, ["X-Tenant-ID: acme"]).status == 503)
        let (open, openPort) = try serve(.init(failOpenOnQuotaBackendError: true))
        defer { open.shutdown() }
        #expect(try get(openPort, ["X-Tenant-ID: acme"]).status == 200)
    }

    @Test func headGetsTheHeadersWithoutTheBody() throws {
        let (server, port) = try serve()
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        defer { connection.close() }
        try connection.send("HEAD /api/whoami HTTP/1.1\r\nHost: x\r\nX-Tenant-ID: free\r\n\r\n")
        let response = try connection.readResponse(headOnly: true)
        #expect(response.status == 200)
        #expect(response.header("Content-Length") == "\("tenant=free bound=free".utf8.count)")
        #expect(response.body.isEmpty)
    }
}

/// Runs bearer authentication only when an `Authorization` field is present, so tests can mix
/// authenticated and header-only requests.
private struct OptionalAuth: Middleware {
    let auth: BearerAuthMiddleware

    func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        request.headers.contains("Authorization") ? try await auth.respond(to: request, next: next) : try await next(request)
    }
}
