import Foundation
import Tenancy
import Testing

@testable import TenancyHTTP

@Suite struct BearerAuthMiddlewareTests {
    private func handler(_ middleware: BearerAuthMiddleware) throws -> HTTPHandler {
        var router = Router()
        try router.group("/admin", middleware: [middleware]) { admin in
            try admin.get("/who") { request in .text(request.principal?.subject ?? "nobody") }
        }
        return router.handler
    }

    private let tokens = BearerAuthMiddleware(
        realm: "admin", tokens: ["s3cret-token": Principal(subject: "ops", tenant: nil), "other": Principal(subject: "ci", tenant: nil)])

    @Test(arguments: ["Bearer s3cret-token", "bearer s3cret-token", "BEARER   s3cret-token"])
    func acceptsAConfiguredTokenAndSetsThePrincipal(authorization: String) async throws {
        let response = try await handler(tokens)(try .make(.get, "/admin/who", headers: [("Authorization", authorization)]))
        #expect(response.status == .ok)
        #expect(response.text == "ops")
    }

    @Test func withoutATokenIs401WithAChallenge() async throws {
        let response = try await handler(tokens)(try .make(.get, "/admin/who"))
        #expect(response.status == .unauthorized)
        #expect(response.problemCode == "unauthorized")
        #expect(response.headers["WWW-Authenticate"] == "Bearer realm=\"admin\"")
    }

    @Test(arguments: [
        "Bearer s3cret-toke", "Bearer s3cret-token2", "Bearer ", "Basic s3cret-token", "Bearer", "s3cret-token",
        "Bearer S3CRET-TOKEN",
    ])
    func aWrongOrMalformedTokenIs401(authorization: String) async throws {
        let response = try await handler(tokens)(try .make(.get, "/admin/who", headers: [("Authorization", authorization)]))
        #expect(response.status == .unauthorized)
        #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer realm=\"admin\"") == true)
    }

    @Test func aWrongTokenGetsTheInvalidTokenError() async throws {
        let response = try await handler(tokens)(try .make(.get, "/admin/who", headers: [("Authorization", "Bearer x")]))
        #expect(response.headers["WWW-Authenticate"] == "Bearer realm=\"admin\", error=\"invalid_token\"")
    }

    @Test func twoAuthorizationFieldsAreRefused() async throws {
        let headers = [("Authorization", "Bearer s3cret-token"), ("Authorization", "Bearer other")]
        #expect(try await handler(tokens)(try .make(.get, "/admin/who", headers: headers)).status == .unauthorized)
    }

    @Test func theRealmCannotBreakItsQuotedString() async throws {
        let middleware = BearerAuthMiddleware(realm: "a\"b\\c\r\nd", tokens: [:])
        let response = try await handler(middleware)(try .make(.get, "/admin/who"))
        #expect(response.headers["WWW-Authenticate"] == "Bearer realm=\"abcd\"")
    }

    @Test func aVerifierDecides() async throws {
        let middleware = BearerAuthMiddleware { token in token == "jwt" ? Principal(subject: "jwt-user", tenant: nil) : nil }
        #expect(try await handler(middleware)(try .make(.get, "/admin/who", headers: [("Authorization", "Bearer jwt")])).text == "jwt-user")
    }
}

@Suite struct BasicAuthMiddlewareTests {
    private func handler(_ middleware: BasicAuthMiddleware) throws -> HTTPHandler {
        var router = Router(middleware: [middleware])
        try router.get("/who") { request in .text(request.principal?.subject ?? "nobody") }
        return router.handler
    }

    private func basic(_ pair: String) -> (String, String) {
        ("Authorization", "Basic " + Data(pair.utf8).base64EncodedString())
    }

    private let users = BasicAuthMiddleware(realm: "ops", users: ["alice": "pa:ss", "bob": "hunter2"])

    @Test func acceptsAConfiguredUserWithAColonInThePassword() async throws {
        let response = try await handler(users)(try .make(.get, "/who", headers: [basic("alice:pa:ss")]))
        #expect(response.text == "alice")
    }

    @Test(arguments: ["alice:wrong", "alice:pa:s", "carol:hunter2", "bob", ":", "bob:hunter2 "])
    func aWrongUserOrPasswordIs401(pair: String) async throws {
        let response = try await handler(users)(try .make(.get, "/who", headers: [basic(pair)]))
        #expect(response.status == .unauthorized)
        #expect(response.headers["WWW-Authenticate"] == "Basic realm=\"ops\", charset=\"UTF-8\"")
    }

    @Test(arguments: ["Basic !!!notbase64", "Basic", "Bearer YWxpY2U6cGE6c3M="])
    func malformedCredentialsAre401(authorization: String) async throws {
        let response = try await handler(users)(try .make(.get, "/who", headers: [("Authorization", authorization)]))
        #expect(response.status == .unauthorized)
    }

    @Test func aVerifierDecides() async throws {
        let middleware = BasicAuthMiddleware { user, password in
            password == "pw" ? Principal(subject: user, tenant: try? TenantID("acme")) : nil
        }
        #expect(try await handler(middleware)(try .make(.get, "/who", headers: [basic("zed:pw")])).text == "zed")
    }
}
