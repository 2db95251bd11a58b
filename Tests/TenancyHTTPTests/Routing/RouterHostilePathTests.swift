import Testing

@testable import TenancyHTTP

@Suite struct RouterHostilePathTests {
    private func router() throws -> Router {
        var router = Router()
        try router.get("/public/{file}", answer("public"))
        try router.get("/admin/secrets", answer("secrets"))
        return router
    }

    @Test(arguments: [
        "/public/../admin/secrets", "/public/%2e%2e/admin/secrets", "/public/%2E%2E%2Fadmin%2Fsecrets",
        "//admin//secrets", "/public/./../admin/secrets", "/%61dmin/secrets",
    ])
    func traversalResolvesToTheSameRouteThePolicySees(target: String) async throws {
        // Every spelling lands on /admin/secrets, which is exactly the path the tenant policy evaluates,
        // so a policy protecting /admin cannot be bypassed by the spelling.
        let request = try HTTPRequest.make(.get, target)
        #expect(request.path == "/admin/secrets")
        #expect(try await router().handler(request).text == "secrets")
    }

    @Test func dotDotNeverClimbsAboveTheRoot() async throws {
        let request = try HTTPRequest.make(.get, "/../../../admin/secrets")
        #expect(request.path == "/admin/secrets")
    }

    @Test(arguments: ["/public/a%00b", "/public/%0d%0a", "/public/%zz", "/public/%", "/public/%c3%28", "*",
        "http://evil/admin/secrets", "/public/a\u{1}b", "/public/%C2%85"])
    func targetsWithoutANormalFormAre400(target: String) async throws {
        let response = try await router().handler(try .make(.get, target))
        #expect(response.status == .badRequest)
        #expect(response.problemCode == "invalid_path")
    }

    @Test func aVeryLongPathIsRefusedNotProcessed() async throws {
        let target = "/public/" + String(repeating: "a", count: 10_000)
        #expect(try await router().handler(try .make(.get, target)).status == .badRequest)
    }

    @Test func manySegmentsAreBoundedByTheTrieDepth() async throws {
        let target = String(repeating: "/public", count: 1_000)
        let clock = ContinuousClock()
        let started = clock.now
        let response = try await router().handler(try .make(.get, target))
        #expect(response.status == .notFound)
        #expect(clock.now - started < .seconds(1))
    }
}
