import Tenancy
import Testing

@testable import TenancyHTTP

@Suite struct RecoveryMiddlewareTests {
    struct Secret: Error { let token = "hunter2" }

    @Test func aThrownErrorBecomesAnOpaque500AndIsReported() async throws {
        let seen = Synchronized<[String]>([])
        var router = Router(middleware: [RecoveryMiddleware { request, error in seen.withLock { $0.append("\(request.path) \(error)") } }])
        try router.get("/boom") { _ in throw Secret() }
        let response = await router.handler(try .make(.get, "/boom"))
        #expect(response.status == .internalServerError)
        #expect(response.problemCode == "internal_error")
        #expect(!response.text.contains("hunter2"))
        #expect(seen.withLock { $0 } == ["/boom Secret(token: \"hunter2\")"])
    }

    @Test func theRouterAnswersAnErrorEvenWithoutRecovery() async throws {
        var router = Router()
        try router.get("/boom") { _ in throw HTTPError(.conflictingRoute, "taken", status: .conflict) }
        let response = await router.handler(try .make(.get, "/boom"))
        #expect(response.status == .conflict)
        #expect(response.problemCode == "conflicting_route")
    }

    @Test func responsesPassThroughUntouched() async throws {
        var router = Router(middleware: [RecoveryMiddleware()])
        try router.get("/ok") { _ in .text("fine") }
        #expect(await router.handler(try .make(.get, "/ok")).text == "fine")
    }
}

@Suite struct RequestIDMiddlewareTests {
    private func handler(_ middleware: RequestIDMiddleware = RequestIDMiddleware()) throws -> HTTPHandler {
        var router = Router(middleware: [middleware])
        try router.get("/id") { request in .text(request.requestID ?? "none") }
        return router.handler
    }

    @Test func keepsAValidClientID() async throws {
        let response = try await handler()(try .make(.get, "/id", headers: [("X-Request-ID", "abc-123:x/y+z=@.")]))
        #expect(response.text == "abc-123:x/y+z=@.")
        #expect(response.headers["X-Request-ID"] == "abc-123:x/y+z=@.")
    }

    @Test(arguments: ["", "has space", "quote\"", "semi;colon", "ünï", String(repeating: "a", count: 129)])
    func replacesAnUnsafeOrOverlongID(given: String) async throws {
        let response = try await handler()(try .make(.get, "/id", headers: [("X-Request-ID", given)]))
        #expect(response.text != given)
        #expect(response.text.utf8.count == 32)
        #expect(response.headers["X-Request-ID"] == response.text)
    }

    @Test func replacesARepeatedID() async throws {
        let response = try await handler()(try .make(.get, "/id", headers: [("X-Request-ID", "a"), ("X-Request-ID", "b")]))
        #expect(response.text.utf8.count == 32)
    }

    @Test func generatesUniqueIDsWhenAbsent() async throws {
        let handler = try handler()
        var seen: Set<String> = []
        for _ in 0..<100 { seen.insert(await handler(try .make(.get, "/id")).text) }
        #expect(seen.count == 100)
        #expect(seen.allSatisfy { $0.utf8.count == 32 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func aGeneratedIDIs32LowerCaseHexDigitsAllOfThemRandom() {
        let ids = (0..<200).map { _ in Array(RequestIDMiddleware.randomID().utf8) }
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy { Array("0123456789abcdef".utf8).contains($0) } })
        // Every one of the 32 digits varies: no half of the 128 bits is left zero or fixed (one digit being
        // the same in all 200 IDs has a probability of 16^-199).
        for position in 0..<32 {
            #expect(Set(ids.map { $0[position] }).count > 1, "digit \(position) never changes")
        }
    }

    @Test func usesACustomHeaderAndGeneratorButValidatesItsOutput() async throws {
        let custom = try handler(RequestIDMiddleware(headerName: "X-Trace", maximumLength: 4, generate: { "gen1" }))
        #expect(await custom(try .make(.get, "/id", headers: [("X-Trace", "12345")])).text == "gen1")
        let unsafe = try handler(RequestIDMiddleware(headerName: "bad name", generate: { "bad id" }))
        let response = await unsafe(try .make(.get, "/id"))
        #expect(response.text.utf8.count == 32)
        #expect(response.headers["X-Request-ID"] == response.text)
    }

    @Test func replacesAnIDTheHandlerSet() async throws {
        var router = Router(middleware: [RequestIDMiddleware()])
        try router.get("/id") { _ in
            var response = HTTPResponse.text("x")
            try response.headers.add("x-request-id", "forged")
            return response
        }
        let response = await router.handler(try .make(.get, "/id", headers: [("X-Request-ID", "real")]))
        #expect(response.headers.values(for: "X-Request-ID") == ["real"])
    }
}
