import Tenancy
import Testing

@testable import TenancyHTTP

@Suite struct TenantResolverMiddlewareTests {
    let fixture: TenantFixture

    init() throws {
        fixture = try TenantFixture()
    }

    private func handler(
        _ configuration: AdmissionGate.Configuration = .init(), onMissing: RejectionResponder? = nil,
        onRejected: RejectionResponder? = nil, before: [any Middleware] = []
    ) throws -> HTTPHandler {
        let resolver = TenantResolverMiddleware(
            gate: fixture.gate(configuration), onMissing: onMissing, onRejected: onRejected)
        return try fixture.handler(before + [resolver])
    }

    @Test func resolvesTheTenantFromTheHeaderAndBindsItForTheHandler() async throws {
        let response = try await send(try handler(), tenant: "acme")
        #expect(response.status == .ok)
        #expect(response.text == "tenant=acme bound=acme")
        #expect(fixture.log.all == ["resolve resolved header"])
    }

    @Test func thePrincipalsTenantWinsOverTheHeader() async throws {
        let auth = BearerAuthMiddleware(tokens: ["key-1": Principal(subject: "svc", tenant: try TenantID("free"))])
        let response = try await send(
            try handler(before: [auth]), tenant: "acme", headers: [("Authorization", "Bearer key-1")])
        #expect(response.text == "tenant=free bound=free")
        #expect(fixture.log.all == ["resolve resolved principal"])
    }

    @Test func readsACustomHeader() async throws {
        let handler = try handler(.init(resolver: TenantResolver([.header("X-Org")])))
        #expect(try await send(handler, headers: [("x-org", "free")]).text == "tenant=free bound=free")
        #expect(try await send(handler, tenant: "free").status == .unauthorized)
    }

    @Test func allowMissingLetsARequestWithoutATenantThroughUnbound() async throws {
        let response = try await send(try handler(.init(allowMissingTenant: true)))
        #expect(response.status == .ok)
        #expect(response.text == "tenant=- bound=-")
        #expect(fixture.log.all == ["resolve missing -"])
    }

    @Test func aMissingTenantIs401WithAChallenge() async throws {
        let response = try await send(try handler())
        #expect(response.status == .unauthorized)
        #expect(response.problemCode == "tenant_required")
        #expect(response.headers["WWW-Authenticate"] == "Tenant realm=\"tenancy\"")
    }

    @Test func aCustomOnMissingAnswersInsteadOf401() async throws {
        let handler = try handler(onMissing: { _, rejection in .text("pick a tenant (\(rejection.code))", status: .notFound) })
        let response = try await send(handler)
        #expect(response.status == .notFound)
        #expect(response.text == "pick a tenant (tenant_required)")
    }

    @Test func aCustomOnRejectedAnswersTheOtherRefusals() async throws {
        let handler = try handler(onRejected: { _, rejection in .text(rejection.code.rawValue, status: .forbidden) })
        #expect(try await send(handler, tenant: "nobody").text == "tenant_unknown")
        #expect(try await send(handler, tenant: "bad id!").text == "tenant_invalid_id")
    }

    @Test func hooksFireForMissingInvalidUnknownSuspendedAndResolved() async throws {
        let handler = try handler()
        #expect(try await send(handler).status == .unauthorized)
        #expect(try await send(handler, tenant: "../etc").status == .badRequest)
        #expect(try await send(handler, tenant: "nobody").status == .forbidden)
        #expect(try await send(handler, tenant: "frozen").problemCode == "tenant_suspended")
        #expect(try await send(handler, tenant: "free").status == .ok)
        #expect(
            fixture.log.all == [
                "resolve missing -", "resolve invalid header", "resolve unknown header", "resolve suspended header",
                "resolve resolved header",
            ])
    }

    @Test func anUnknownTenantIs403NeverA429() async throws {
        for _ in 0..<5 {
            let response = try await send(try handler(), tenant: "nobody")
            #expect(response.status == .forbidden)
            #expect(response.problemCode == "tenant_unknown")
        }
    }

    @Test func aFailingConfigBackendIs503AndNeverReachesTheHandler() async throws {
        fixture.store.setDown(true)
        let response = try await send(try handler(), tenant: "acme")
        #expect(response.status == .serviceUnavailable)
        #expect(response.problemCode == "tenant_backend_unavailable")
    }

    @Test func problemsUseTheGatesTypeBase() async throws {
        let response = try await send(try handler(.init(problemTypeBase: "https://errors.example/")))
        #expect(try response.jsonObject()["type"] as? String == "https://errors.example/tenant_required")
    }
}
