import TenancyHTTP
import TenancyTestSupport
import Testing

/// A started server on an ephemeral loopback port, and that port.
func startedServer(
    _ configuration: HTTPServer.Configuration = .init(port: 0, eventLoops: 2),
    handler: @escaping HTTPHandler = echo
) throws -> (server: HTTPServer, port: Int) {
    let server = try HTTPServer(configuration: configuration, handler: handler)
    try server.start()
    let port = try #require(server.port)
    return (server, port)
}

/// Answers `METHOD target` and the body's length, with the body echoed in an `X-Body` field when short.
@Sendable func echo(_ request: HTTPRequest) async -> HTTPResponse {
    var response = HTTPResponse.text("\(request.method) \(request.target) \(request.body.count)")
    if request.body.count <= 64, let body = String(validating: request.body, as: UTF8.self) {
        try? response.headers.add("X-Body", body)
    }
    return response
}

/// The server still answers a plain request on a fresh connection.
func servesANormalRequest(port: Int) throws -> Bool {
    let response = try RawHTTPClient.exchange(Array("GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), port: port)
    return response.status == 200 && response.text == "GET /ok 0"
}
