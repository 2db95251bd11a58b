import Testing

@testable import TenancyMetrics

/// Byte-exact status lines and headers.
@Suite struct ListenerResponseTests {
    private func head(_ response: ListenerResponse) -> String {
        var buffer: [UInt8] = []
        response.writeHead(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func theExpositionHeadIsExact() {
        let response = ListenerResponse(status: .ok, contentType: MetricsRegistry.contentType, contentLength: 1234)
        #expect(
            head(response)
                == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                + "Content-Length: 1234\r\nConnection: close\r\n\r\n"
        )
    }

    private let handler = ConnectionHandler(configuration: .init()) { _ in }

    @Test func aStatusThatRequiresAHeaderCarriesIt() {
        #expect(
            String(decoding: handler.errorMessage(.methodNotAllowed, headOnly: false), as: UTF8.self) == """
                HTTP/1.1 405 Method Not Allowed\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Length: 54\r
                Allow: GET, HEAD\r
                Connection: close\r
                \r
                405 Method Not Allowed: only GET and HEAD are allowed

                """
        )
        #expect(head(.error(.unauthorized, path: "/m")).contains("\r\nWWW-Authenticate: Bearer\r\n"))
        #expect(head(.error(.serviceUnavailable, path: "/m")).contains("\r\nRetry-After: 1\r\n"))
    }

    @Test func aHeadRequestGetsTheHeadersOfAnErrorWithoutItsBody() {
        let message = String(decoding: handler.errorMessage(.notFound, headOnly: true), as: UTF8.self)
        #expect(message.hasSuffix("Content-Length: 57\r\nConnection: close\r\n\r\n"))
    }

    @Test(arguments: [
        (ListenerResponse.Status.ok, "200 OK"), (.badRequest, "400 Bad Request"), (.unauthorized, "401 Unauthorized"),
        (.notFound, "404 Not Found"), (.methodNotAllowed, "405 Method Not Allowed"),
        (.requestTimeout, "408 Request Timeout"), (.requestHeaderFieldsTooLarge, "431 Request Header Fields Too Large"),
        (.serviceUnavailable, "503 Service Unavailable"), (.httpVersionNotSupported, "505 HTTP Version Not Supported"),
    ])
    func everyStatusLineAndErrorBodyAgree(status: ListenerResponse.Status, line: String) {
        #expect(head(.error(status, path: "/metrics")).hasPrefix("HTTP/1.1 \(line)\r\n"))
        let body = ListenerResponse.errorBody(status, path: "/metrics")
        #expect(String(decoding: body, as: UTF8.self).hasPrefix("\(line): "))
        #expect(head(.error(status, path: "/metrics")).contains("Content-Length: \(body.count)\r\n"))
    }
}
