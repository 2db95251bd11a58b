import Testing

@testable import TenancyHTTP

@Suite struct RouterTests {
    private func router() throws -> Router {
        var router = Router()
        try router.get("/", answer("root"))
        try router.get("/users/me", answer("me"))
        try router.get("/users/{id}", answer("user"))
        try router.delete("/users/{id}", answer("delete-user"))
        try router.get("/users/{id}/posts/{post}", answer("post"))
        try router.get("/static/*", answer("static"))
        try router.get("/static/index.html", answer("index"))
        try router.post("/a/{x}/c", answer("param-then-c"))
        try router.post("/a/b/d", answer("literal-b-then-d"))
        return router
    }

    private func call(_ router: Router, _ method: HTTPMethod, _ target: String) async throws -> HTTPResponse {
        await router.handler(try .make(method, target))
    }

    @Test(arguments: [
        ("/", "root"), ("/users/me", "me"), ("/users/42", "user id=42"), ("/users/42/posts/7", "post id=42,post=7"),
        ("/static/index.html", "index"), ("/static/css/site.css", "static *=css/site.css"),
        ("/users/42/", "user id=42"),
    ])
    func literalBeatsParameterBeatsWildcard(target: String, expected: String) async throws {
        let response = try await call(try router(), .get, target)
        #expect(response.status == .ok)
        #expect(response.text == expected)
    }

    @Test func backtracksFromALiteralThatDeadEndsToAParameter() async throws {
        let router = try router()
        #expect(try await call(router, .post, "/a/b/c").text == "param-then-c x=b")
        #expect(try await call(router, .post, "/a/b/d").text == "literal-b-then-d")
    }

    @Test func answersUnknownPathsWith404Problem() async throws {
        let response = try await call(try router(), .get, "/nope")
        #expect(response.status == .notFound)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(response.problemCode == "not_found")
    }

    @Test func answersAKnownPathWithAnotherMethodWith405AndAllow() async throws {
        let response = try await call(try router(), .put, "/users/42")
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "DELETE, GET, HEAD")
        #expect(response.problemCode == "method_not_allowed")
    }

    @Test func headIsAnsweredByTheGetRoute() async throws {
        let response = try await call(try router(), .head, "/users/me")
        #expect(response.text == "me")
    }

    @Test func anExplicitHeadRouteWinsOverGet() async throws {
        var router = Router()
        try router.get("/x", answer("get"))
        try router.add(.head, "/x", answer("head"))
        #expect(try await call(router, .head, "/x").text == "head")
    }

    @Test func wildcardNeedsAtLeastOneSegment() async throws {
        var router = Router()
        try router.get("/files/*", answer("files"))
        #expect(try await call(router, .get, "/files").status == .notFound)
        #expect(try await call(router, .get, "/files/").status == .notFound)
        #expect(try await call(router, .get, "/files/a").text == "files *=a")
    }

    @Test func parametersAreDecodedSingleSegments() async throws {
        var router = Router()
        try router.get("/items/{name}", answer("item"))
        #expect(try await call(router, .get, "/items/a%20b").text == "item name=a b")
        #expect(try await call(router, .get, "/items/100%25").text == "item name=100%")
        #expect(try await call(router, .get, "/items/what%3F%23").text == "item name=what?#")
        // An encoded slash is a separator in the normal form, so it cannot smuggle a second segment in.
        #expect(try await call(router, .get, "/items/a%2Fb").status == .notFound)
    }

    @Test func queryDoesNotTakePartInMatching() async throws {
        #expect(try await call(try router(), .get, "/users/me?x=1#frag").text == "me")
    }

    @Test func optionsAsteriskListsEveryMethodOfTheServer() async throws {
        let response = try await router().handler(HTTPRequest(method: .options, target: "*"))
        #expect(response.status == .noContent)
        #expect(response.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS, POST")
        #expect(try await router().handler(HTTPRequest(method: .get, target: "*")).status == .badRequest)
    }
}
