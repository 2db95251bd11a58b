import Tenancy
import Testing

@testable import TenancyHTTP

@Suite struct HTTPResponseTests {
    private struct Payload: Codable, Equatable {
        var id: String
        var count: Int
    }

    @Test func textSetsTheBodyAndContentType() {
        let response = HTTPResponse.text("héllo", status: .created)
        #expect(response.status == .created)
        #expect(response.text == "héllo")
        #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
    }

    @Test func jsonEncodesWithTheGivenEncoder() throws {
        let response = try HTTPResponse.json(Payload(id: "a", count: 2))
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(try response.jsonObject()["count"] as? Int == 2)
    }

    @Test func jsonThatCannotBeEncodedThrowsAnEncodingError() {
        let error = #expect(throws: HTTPError.self) { try HTTPResponse.json(["x": Double.nan]) }
        #expect(error?.code == .encodingFailed)
        #expect(error?.status == .internalServerError)
    }

    @Test func problemRendersTheGatesDocumentShape() throws {
        let response = HTTPResponse.problem(
            status: .conflict, code: HTTPError.Code("tenant_exists"), title: "Exists", detail: "say \"hi\"",
            extensions: [("field", "id")])
        #expect(response.status == .conflict)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(
            response.text
                == #"{"type":"urn:swift-tenancy:problem:tenant_exists","title":"Exists","status":409,"detail":"say \"hi\"","code":"tenant_exists","field":"id"}"#
        )
    }

    @Test func aRejectionKeepsItsStatusHeadersAndBody() throws {
        let rejection = AdmissionRejection(
            status: 429, code: .tenantQuotaExceeded, title: "T", detail: "D",
            headers: [HeaderField("Retry-After", "3"), HeaderField("Bad", "x\r\ny")])
        let response = HTTPResponse(rejection: rejection, typeBase: "https://errors.example/")
        #expect(response.status == .tooManyRequests)
        #expect(response.headers["Retry-After"] == "3")
        #expect(!response.headers.contains("Bad"))
        #expect(response.text == rejection.body(typeBase: "https://errors.example/"))
    }

    @Test func aClientErrorShowsItsMessage() throws {
        let response = HTTPResponse(error: HTTPError(.invalidJSON, "bad field 'x'", status: .badRequest))
        #expect(response.status == .badRequest)
        #expect(try response.jsonObject()["detail"] as? String == "bad field 'x'")
        #expect(response.problemCode == "invalid_json")
    }

    @Test func aServerErrorHidesItsMessage() throws {
        let response = HTTPResponse(error: HTTPError(.internalError, "db password wrong at /etc/x"))
        #expect(response.status == .internalServerError)
        #expect(!response.text.contains("password"))
    }

    @Test func anyOtherErrorIsAnOpaque500() throws {
        struct Secret: Error { let path = "/etc/shadow" }
        let response = HTTPResponse(error: Secret())
        #expect(response.status == .internalServerError)
        #expect(response.problemCode == "internal_error")
        #expect(!response.text.contains("shadow"))
    }
}
