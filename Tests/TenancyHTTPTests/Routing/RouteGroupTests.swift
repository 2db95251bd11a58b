import Testing

@testable import TenancyHTTP

/// Appends its name to a `X-Trace` response field, so tests see which middleware ran, in which order.
struct Tracer: Middleware {
    let name: String

    func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        var response = try await next(request)
        try response.headers.add("X-Trace", name)
        return response
    }
}

@Suite struct RouteGroupTests {
    private func router() throws -> Router {
        var router = Router(middleware: [Tracer(name: "router")])
        try router.get("/open", answer("open"))
        try router.group("/api/v1/", middleware: [Tracer(name: "api")]) { api in
            try api.get("/", answer("api-root"))
            try api.put("/items/{id}", answer("put"))
            try api.patch("/items/{id}", answer("patch"))
            try api.group("/admin", middleware: [Tracer(name: "admin")]) { admin in
                try admin.post("/reset", answer("reset"))
            }
        }
        return router
    }

    @Test func groupMiddlewareRunsOnlyForItsRoutesInsideTheOuterMiddleware() async throws {
        let router = try router()
        let nested = await router.handler(try .make(.post, "/api/v1/admin/reset"))
        #expect(nested.text == "reset")
        // Response middleware runs innermost first: admin, then api, then the router's.
        #expect(nested.headers.values(for: "X-Trace") == ["admin", "api", "router"])
        let open = await router.handler(try .make(.get, "/open"))
        #expect(open.headers.values(for: "X-Trace") == ["router"])
        let missing = await router.handler(try .make(.get, "/api/v1/none"))
        #expect(missing.status == .notFound)
        #expect(missing.headers.values(for: "X-Trace") == ["router"])
    }

    @Test func theGroupRootAndEveryMethodHelperRegister() async throws {
        let router = try router()
        #expect(await router.handler(try .make(.get, "/api/v1")).text == "api-root")
        #expect(await router.handler(try .make(.put, "/api/v1/items/7")).text == "put id=7")
        #expect(await router.handler(try .make(.patch, "/api/v1/items/7")).text == "patch id=7")
    }

    @Test(arguments: ["/static/*", "relative", "/a//b"])
    func rejectsAnInvalidPrefix(prefix: String) {
        var router = Router()
        let error = #expect(throws: HTTPError.self) { try router.group(prefix) { _ in } }
        #expect(error?.code == .invalidRoutePattern)
    }

    @Test func aConflictInAGroupRegistersNoneOfItsRoutes() async throws {
        var router = Router()
        try router.get("/g/taken", answer("first"))
        #expect(throws: HTTPError.self) {
            try router.group("/g") { group in
                try group.get("/fresh", answer("fresh"))
                try group.get("/taken", answer("second"))
            }
        }
        #expect(await router.handler(try .make(.get, "/g/fresh")).status == .notFound)
        #expect(await router.handler(try .make(.get, "/g/taken")).text == "first")
    }

    @Test func parametersCompareAndIterateInPatternOrder() async throws {
        var router = Router()
        try router.get("/t/{tenant}/r/{id}") { request in
            var expected = HTTPParameters()
            expected.append("tenant", "acme")
            expected.append("id", "9")
            #expect(request.parameters == expected)
            #expect(request.parameters["id"] == "9")
            #expect(request.parameters["nope"] == nil)
            return .text(request.parameters.map(\.name).joined(separator: ","))
        }
        #expect(await router.handler(try .make(.get, "/t/acme/r/9")).text == "tenant,id")
    }
}
