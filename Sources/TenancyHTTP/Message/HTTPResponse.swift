import Foundation
import Tenancy

/// A response: status, header fields and the complete body.
///
/// The server owns the framing: it writes `Content-Length` (from ``body``), `Date` and `Connection`
/// itself and ignores those fields, `Transfer-Encoding`, `Keep-Alive` and `Upgrade` when a handler sets
/// them. For `HEAD` requests and for statuses that forbid a body (``HTTPStatus/forbidsBody``) it sends no
/// body.
public struct HTTPResponse: Sendable {
    /// The status.
    public var status: HTTPStatus
    /// The header fields; always valid on the wire (see ``HTTPHeaders``).
    public var headers: HTTPHeaders
    /// The complete body.
    public var body: [UInt8]

    /// Creates a response.
    /// - Parameters:
    ///   - status: The status; 200 by default.
    ///   - headers: The header fields.
    ///   - body: The body.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The fields the server writes itself; a handler's values for them are ignored.
    static let serverOwnedHeaders = ["Content-Length", "Transfer-Encoding", "Date", "Connection", "Keep-Alive", "Upgrade"]

    /// A `text/plain; charset=utf-8` response.
    /// - Parameters:
    ///   - text: The body.
    ///   - status: The status; 200 by default.
    /// - Returns: The response.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: Array(text.utf8))
        response.headers.appendTrusted("Content-Type", "text/plain; charset=utf-8")
        return response
    }

    /// An `application/json` response with `value` encoded by `encoder`.
    /// - Parameters:
    ///   - value: The value to encode.
    ///   - status: The status; 200 by default.
    ///   - encoder: The encoder; a plain `JSONEncoder` by default.
    /// - Returns: The response.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/encodingFailed`` (status 500) when `value` cannot be
    ///   encoded (a non-finite number, a throwing `encode(to:)`).
    public static func json<Value: Encodable>(
        _ value: Value, status: HTTPStatus = .ok, encoder: JSONEncoder = JSONEncoder()
    ) throws(HTTPError) -> HTTPResponse {
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw HTTPError(.encodingFailed, "could not encode \(Value.self) as JSON: \(error)")
        }
        var response = HTTPResponse(status: status, body: Array(data))
        response.headers.appendTrusted("Content-Type", "application/json")
        return response
    }
}
