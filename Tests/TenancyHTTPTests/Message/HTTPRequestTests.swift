import Tenancy
import Testing

@testable import TenancyHTTP

@Suite struct HTTPRequestTests {
    @Test func parsesQueryItemsInOrderFormDecoded() throws {
        let request = try HTTPRequest.make(.get, "/s?q=a+b&tag=x&tag=y%21&flag&=empty&bad=%zz&&last=1#frag")
        #expect(request.rawQuery == "q=a+b&tag=x&tag=y%21&flag&=empty&bad=%zz&&last=1")
        #expect(request.queryItems.map(\.name) == ["q", "tag", "tag", "flag", "", "last"])
        #expect(request.queryValue("q") == "a b")
        #expect(request.queryValues("tag") == ["x", "y!"])
        #expect(request.queryValue("flag") == "")
        #expect(request.queryValue("bad") == nil)
        #expect(request.queryValue("last") == "1")
    }

    @Test func hasNoQueryWithoutAQuestionMark() throws {
        let request = try HTTPRequest.make(.get, "/s#q=1")
        #expect(request.rawQuery.isEmpty)
        #expect(request.queryItems.isEmpty)
    }

    @Test func hostIsTheSingleHostFieldOnly() throws {
        #expect(try HTTPRequest.make(.get, "/", headers: [("Host", "acme.example.com")]).host == "acme.example.com")
        #expect(try HTTPRequest.make(.get, "/", headers: [("Host", "a"), ("host", "b")]).host == nil)
        #expect(try HTTPRequest.make(.get, "/").host == nil)
    }

    @Test func theAdmissionViewCombinesRepeatedFieldsSoNoneIsIgnored() throws {
        let request = try HTTPRequest.make(
            .post, "/x?y", headers: [("X-Tenant-ID", "a"), ("x-tenant-id", "b"), ("Host", "h")])
        let view = request.admissionRequest
        #expect(view.method == "POST")
        #expect(view.target == "/x?y")
        #expect(view.host == "h")
        #expect(view.header("X-TENANT-ID") == "a, b")
        #expect(view.header("missing") == nil)
        #expect(view.principal == nil)
    }

    @Test func aFreshRequestCarriesNoTenantOrParameters() throws {
        let request = try HTTPRequest.make(.get, "/x")
        #expect(request.tenant == nil)
        #expect(request.tenantConfig == nil)
        #expect(request.quota == nil)
        #expect(request.requestID == nil)
        #expect(request.parameters.items.isEmpty)
        #expect(request.version == .http1_1)
    }
}

@Suite struct HTTPMethodAndStatusTests {
    @Test(arguments: ["GET", "PROPFIND", "M-SEARCH", "get"])
    func acceptsTokenMethods(raw: String) throws {
        #expect(try #require(HTTPMethod(rawValue: raw)).rawValue == raw)
    }

    @Test(arguments: ["", "GE T", "GET\r\n", "(GET)", String(repeating: "A", count: 33)])
    func rejectsMethodsThatAreNotShortTokens(raw: String) {
        #expect(HTTPMethod(rawValue: raw) == nil)
    }

    @Test func methodConstantsSpellTheirTokens() {
        let methods: [HTTPMethod] = [.get, .head, .post, .put, .delete, .patch, .options]
        #expect(methods.map(\.description) == ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    }

    @Test(arguments: [(413, "Content Too Large"), (431, "Request Header Fields Too Large"), (299, "Unknown")])
    func statusCodesGetTheirStandardPhrase(code: Int, phrase: String) {
        #expect(HTTPStatus(code: code).reasonPhrase == phrase)
    }

    @Test(arguments: [0, 99, 1000, -1])
    func outOfRangeCodesBecome500(code: Int) {
        #expect(HTTPStatus(code: code) == .internalServerError)
        #expect(HTTPStatus(code: code, reasonPhrase: "x").code == 500)
    }

    @Test func customReasonPhrasesLoseControlCharacters() {
        let status = HTTPStatus(code: 299, reasonPhrase: "Fine\r\nSet-Cookie: x")
        #expect(status.reasonPhrase == "FineSet-Cookie: x")
        #expect(status.description == "299 FineSet-Cookie: x")
        #expect(status == HTTPStatus(code: 299))
    }

    @Test func bodylessStatuses() {
        #expect(HTTPStatus.noContent.forbidsBody)
        #expect(HTTPStatus.notModified.forbidsBody)
        #expect(HTTPStatus(code: 101).forbidsBody)
        #expect(!HTTPStatus.ok.forbidsBody)
    }

    @Test func versionsPrintAsOnTheWire() {
        #expect(HTTPVersion.http1_0.description == "HTTP/1.0")
        #expect(HTTPVersion(major: 1, minor: 1) == .http1_1)
    }
}
