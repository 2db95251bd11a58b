import TenancyTestSupport
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

    @Test func randomTargetsRouteExactlyAsTheirNormalForm() async throws {
        var router = Router()
        try router.get("/public/{file}", answer("public"))
        try router.get("/admin/secrets", answer("secrets"))
        try router.get("/static/*", answer("static"))
        let handler = router.handler
        let tokens = [
            "admin", "secrets", "public", "static", "..", ".", "%2e%2e", "%2E.", "%2F", "", "a%00", "%61dmin", "x%25y",
            "%zz", "?q=/admin", "#/admin", "%C3%A9", "\u{1}",
        ]
        var random = SplitMix64(seed: 4)
        var reachedSecrets = 0
        for _ in 0..<3_000 {
            let count = 1 + random.next(below: 6)
            let target = "/" + (0..<count).map { _ in tokens[random.next(below: tokens.count)] }.joined(separator: "/")
            let request = HTTPRequest(method: .get, target: target)
            let response = await handler(request)
            #expect([200, 400, 404].contains(response.status.code), "\(target)")
            guard !request.path.isEmpty else {
                #expect(response.status == .badRequest, "\(target)")
                continue
            }
            // Whatever the spelling, the answer is the answer for the normal form: the form policies see.
            let normal = await handler(HTTPRequest(method: .get, target: request.path))
            #expect(response.text == normal.text, "\(target)")
            if response.text == "secrets" { reachedSecrets += 1 }
        }
        #expect(reachedSecrets > 0)
    }
}
