import Foundation
import Testing
import Tenancy

@testable import TenancyHTTP

extension HTTPRequest {
    /// A request as the server would build it.
    static func make(
        _ method: HTTPMethod = .get, _ target: String, headers: [(String, String)] = [], body: String = ""
    ) throws -> HTTPRequest {
        HTTPRequest(method: method, target: target, headers: try HTTPHeaders(headers), body: Array(body.utf8))
    }
}

extension HTTPResponse {
    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object.
    func jsonObject() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body))
        return try #require(object as? [String: Any])
    }

    /// The problem document's `code`.
    var problemCode: String? { (try? jsonObject())?["code"] as? String }
}

/// Answers with the route's pattern name, for dispatch assertions.
func answer(_ name: String) -> HTTPResponder {
    { request in
        let parameters = request.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        return .text(parameters.isEmpty ? name : "\(name) \(parameters)")
    }
}
