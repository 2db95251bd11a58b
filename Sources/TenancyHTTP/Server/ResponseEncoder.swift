import Tenancy

/// Writes a response's status line, fields and body into a connection's reusable output buffer, so it
/// leaves in one `send`.
///
/// The server owns the framing (see ``HTTPHandler``): it writes `Content-Length` (except for 1xx, 204 and
/// 304), `Date` and, when needed, `Connection`, and drops a handler's fields of those names and
/// `Transfer-Encoding`, `Keep-Alive` and `Upgrade`. A `HEAD` response carries the `Content-Length` of the
/// body it leaves out.
enum ResponseEncoder {
    /// How the connection continues after the response.
    enum Persistence: Sendable {
        /// HTTP/1.1 keep-alive: no `Connection` field.
        case keepAlive
        /// HTTP/1.0 keep-alive, which must be confirmed: `Connection: keep-alive`.
        case keepAliveConfirmed
        /// The server closes after the response: `Connection: close`.
        case close
    }

    /// Appends the encoded response to `output`.
    /// - Parameters:
    ///   - response: The response.
    ///   - headOnly: Leave the body out (a `HEAD` request).
    ///   - persistence: Whether the connection stays open.
    ///   - date: The `Date` field line.
    ///   - output: The buffer.
    static func encode(
        _ response: HTTPResponse,
        headOnly: Bool,
        persistence: Persistence,
        date: [UInt8],
        into output: inout [UInt8]
    ) {
        output.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(response.status.code, to: &output)
        output.append(space)
        output.append(contentsOf: response.status.reasonPhrase.utf8)
        output.append(contentsOf: crlf)
        let forbidsBody = response.status.forbidsBody
        if !forbidsBody {
            output.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &output)
            output.append(contentsOf: crlf)
        }
        output.append(contentsOf: date)
        switch persistence {
        case .keepAlive: break
        case .keepAliveConfirmed: output.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        case .close: output.append(contentsOf: "Connection: close\r\n".utf8)
        }
        for field in response.headers where !isServerOwned(field.name) {
            output.append(contentsOf: field.name.utf8)
            output.append(contentsOf: ": ".utf8)
            output.append(contentsOf: field.value.utf8)
            output.append(contentsOf: crlf)
        }
        output.append(contentsOf: crlf)
        if !headOnly && !forbidsBody { output.append(contentsOf: response.body) }
    }

    /// `HTTP/1.1 100 Continue`, the interim response to `Expect: 100-continue`.
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Whether a handler's field is one the server writes or forbids.
    static func isServerOwned(_ name: String) -> Bool {
        // A cheap length filter first: most fields are none of these.
        switch name.utf8.count {
        case 4, 7, 10, 14, 17:
            HTTPResponse.serverOwnedHeaders.contains { $0.equalsIgnoringASCIICase(name) }
        default:
            false
        }
    }

    private static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        guard value >= 10 else {
            output.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: max(0, value)))
            return
        }
        appendDecimal(value / 10, to: &output)
        output.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10))
    }

    private static let space = UInt8(ascii: " ")
    private static let crlf: [UInt8] = [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
}
