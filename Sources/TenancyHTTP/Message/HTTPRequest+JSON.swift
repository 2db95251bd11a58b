import Foundation

extension HTTPRequest {
    /// Decodes the body as JSON.
    ///
    /// The body's size is already bounded by the server. Errors name the field (`items[2].name`) but never
    /// quote the body.
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - decoder: The decoder; a plain `JSONDecoder` by default.
    /// - Returns: The value.
    /// - Throws: ``HTTPError`` with status 415 (``HTTPError/Code/unsupportedMediaType``) when a
    ///   `Content-Type` is present and is not JSON (`application/json` or a `+json` type), or 400
    ///   (``HTTPError/Code/invalidJSON``) for an empty body, malformed JSON or the wrong shape.
    public func decode<Value: Decodable>(_ type: Value.Type, decoder: JSONDecoder = JSONDecoder()) throws(HTTPError)
        -> Value
    {
        if let contentType = headers["Content-Type"] {
            // `first`, not `[0]`: an empty value or a lone ";" splits into nothing, and must be a 415, not a trap.
            let mediaType = (contentType.split(separator: ";", maxSplits: 1).first ?? "")
                .trimmingCharacters(in: .whitespaces).lowercased()
            guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
            else {
                throw HTTPError(
                    .unsupportedMediaType, "the body must be application/json, not '\(mediaType.boundedForMessage())'",
                    status: .unsupportedMediaType)
            }
        }
        guard !body.isEmpty else { throw HTTPError(.invalidJSON, "the body is empty; JSON is expected", status: .badRequest) }
        do {
            return try decoder.decode(Value.self, from: Data(body))
        } catch let error as DecodingError {
            throw HTTPError(.invalidJSON, Self.describe(error), status: .badRequest)
        } catch {
            throw HTTPError(.invalidJSON, "the body is not valid JSON", status: .badRequest)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return String(text.drop { $0 == "." }).boundedForMessage(128)
        }
        switch error {
        case .keyNotFound(let key, let context): return "field '\(path(context, key))' is missing"
        case .valueNotFound(_, let context): return "field '\(path(context))' must not be null"
        case .typeMismatch(_, let context): return "field '\(path(context))' has the wrong type"
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return "field '\(path(context))' has an invalid value"
        default: return "the body is not valid JSON"
        }
    }
}
