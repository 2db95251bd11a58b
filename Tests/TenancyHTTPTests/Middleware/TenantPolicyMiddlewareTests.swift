import Tenancy
import Testing

@testable import TenancyHTTP

@Suite struct TenantPolicyMiddlewareTests {
    let fixture: TenantFixture

    init() throws {
        fixture = try TenantFixture()
    }

    private func handler(
        _ configuration: AdmissionGate.Configuration = .init(), requirements: PolicyRequirements = [],
        onDenied: RejectionResponder? = nil
    ) throws -> HTTPHandler {
        try fixture.handler(afterResolver: configuration) {
            TenantPolicyMiddleware(gate: $0, requirements: requirements, onDenied: onDenied)
        }
    }

    @Test func anEmptyPolicyAllowsEverything() async throws {
        let handler = try handler()
        for method in [HTTPMethod.get, .post, .delete] {
            let response = try await send(handler, method, "/api/any/path", tenant: "free", headers: [("X-Model", "x")])
            #expect(response.text == "tenant=free bound=free")
        }
        #expect(fixture.log.all.filter { $0.hasPrefix("policy") } == Array(repeating: "policy free allowed", count: 3))
    }

    @Test func deniesAModelOutsideTheAllowList() async throws {
        let response = try await send(try handler(), tenant: "acme", headers: [("X-Model", "gpt-5")])
        #expect(response.status == .forbidden)
        #expect(response.problemCode == "tenant_policy_denied")
        #expect(try response.jsonObject()["reason"] as? String == "model")
        #expect(fixture.log.all == ["resolve resolved header", "policy acme denied model"])
    }

    @Test func readsACustomModelHeader() async throws {
        let handler = try handler(.init(modelHeader: "X-LLM"))
        #expect(try await send(handler, tenant: "acme", headers: [("X-LLM", "gpt-4o")]).status == .ok)
        #expect(try await send(handler, tenant: "acme", headers: [("X-LLM", "other")]).status == .forbidden)
    }

    @Test func aRequiredModelMustBeNamed() async throws {
        let response = try await send(try handler(requirements: [.model]), tenant: "free")
        #expect(response.status == .forbidden)
    }

    @Test func aCustomOnDeniedAnswersInsteadOf403() async throws {
        let handler = try handler(onDenied: { request, rejection in
            .text("\(request.tenant?.rawValue ?? "-"): \(rejection.extensions.first?.value ?? "")", status: .paymentRequired)
        })
        let response = try await send(handler, tenant: "acme", headers: [("X-Model", "gpt-5")])
        #expect(response.status == .paymentRequired)
        #expect(response.text == "acme: model")
    }

    @Test func withoutAResolverBeforeItEveryRequestIsRefused() async throws {
        let handler = try fixture.handler([TenantPolicyMiddleware(gate: fixture.gate())])
        let response = try await send(handler, tenant: "free")
        #expect(response.status == .internalServerError)
        #expect(response.problemCode == "misconfigured")
    }

    @Test func aMissingTenantThatIsAllowedSkipsThePolicy() async throws {
        let response = try await send(try handler(.init(allowMissingTenant: true), requirements: [.model]))
        #expect(response.status == .ok)
        #expect(fixture.log.all == ["resolve missing -"])
    }
}

extension HTTPStatus {
    static let paymentRequired = HTTPStatus(code: 402)
}
