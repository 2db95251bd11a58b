import Testing

@testable import TenancyHTTP

@Suite struct RoutePatternTests {
    @Test(arguments: [
        "", "no-slash", "/a//b", "/a/./b", "/a/../b", "/*/x", "/a/{}", "/a/{1x}", "/a/{x-y}", "/a/{x}{y}",
        "/a/pre{x}", "/a/{x}/{x}", "/a/%41", "/a/b c", "/a/?q", "/a/#f", "/a/{", "/ü",
    ])
    func rejectsInvalidPatternsWithAnError(pattern: String) {
        var router = Router()
        let error = #expect(throws: HTTPError.self) { try router.get(pattern, answer("x")) }
        #expect(error?.code == .invalidRoutePattern)
    }

    @Test func rejectsAnOverlongPattern() {
        var router = Router()
        #expect(throws: HTTPError.self) { try router.get("/" + String(repeating: "a", count: 3_000), answer("x")) }
    }

    @Test(arguments: ["/", "/a", "/a/", "/a/{id}", "/a/{id}/*", "/x:y@z/~a.b-c_d!$&'()*+,;=", "/{_private9}"])
    func acceptsValidPatterns(pattern: String) throws {
        var router = Router()
        try router.get(pattern, answer("x"))
    }

    @Test func rejectsTheSameMethodAndShapeTwice() throws {
        var router = Router()
        try router.get("/a/{id}", answer("x"))
        let error = #expect(throws: HTTPError.self) { try router.get("/a/{id}/", answer("y")) }
        #expect(error?.code == .conflictingRoute)
        try router.post("/a/{id}", answer("post is another method"))
    }

    @Test func rejectsTwoParameterNamesAtOnePosition() throws {
        var router = Router()
        try router.get("/a/{id}", answer("x"))
        let error = #expect(throws: HTTPError.self) { try router.get("/a/{name}/b", answer("y")) }
        #expect(error?.code == .conflictingRoute)
    }

    @Test func rejectsATakenWildcard() throws {
        var router = Router()
        try router.get("/s/*", answer("x"))
        let error = #expect(throws: HTTPError.self) { try router.get("/s/*", answer("y")) }
        #expect(error?.code == .conflictingRoute)
    }

    @Test func aRejectedRegistrationLeavesTheRouterUnchanged() async throws {
        var router = Router()
        try router.get("/a/{id}", answer("x"))
        #expect(throws: HTTPError.self) { try router.get("/a/{other}/deeper", answer("y")) }
        #expect(await router.handler(try .make(.get, "/a/1/deeper")).status == .notFound)
    }
}
