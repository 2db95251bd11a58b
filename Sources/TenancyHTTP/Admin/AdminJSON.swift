import Foundation
import Tenancy

/// The JSON of the admin API: request bodies in, tenants, pages and usage reports out (snake_case).
enum AdminJSON {
    /// One page of `GET /admin/tenants`.
    struct Page: Encodable {
        var tenants: [TenantConfig]
        var nextAfter: String?

        enum CodingKeys: String, CodingKey {
            case tenants
            case nextAfter = "next_after"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tenants, forKey: .tenants)
            // `null` rather than an absent key, so clients can test for the last page the same way always.
            try container.encode(nextAfter, forKey: .nextAfter)
        }
    }

    /// `GET /admin/tenants/{id}/usage`.
    struct Usage: Encodable {
        var tenant: String
        var algorithm: String
        var usage: [Entry]

        struct Entry: Encodable {
            var window: String
            var dimension: String
            var limit: Int64
            var used: Int64
            var remaining: Int64
            var resetSeconds: Int64

            enum CodingKeys: String, CodingKey {
                case window, dimension, limit, used, remaining
                case resetSeconds = "reset_seconds"
            }
        }

        init(tenant: TenantID, usage: QuotaUsage) {
            self.tenant = tenant.rawValue
            algorithm = usage.algorithm.rawValue
            self.usage = usage.entries.map { entry in
                Entry(
                    window: entry.window.rawValue, dimension: entry.dimension.rawValue, limit: entry.limit,
                    used: entry.used, remaining: entry.remaining, resetSeconds: entry.reset.wholeSecondsRoundedUp)
            }
        }
    }

    /// A tenant with its version as the `ETag`.
    static func tenant(_ config: TenantConfig, status: HTTPStatus = .ok) throws(HTTPError) -> HTTPResponse {
        var response = try HTTPResponse.json(config, status: status, encoder: encoder)
        response.headers.appendTrusted("ETag", "\"\(config.version)\"")
        return response
    }

    /// Decodes a JSON body; every failure is a 400 naming the field.
    /// - Parameters:
    ///   - type: The type of the body.
    ///   - request: The request.
    ///   - defaultID: For a tenant body, the ID to assume when the body has none (the path's).
    static func decode<Value: Decodable>(
        _ type: Value.Type, from request: HTTPRequest, defaultID: TenantID? = nil
    ) throws(AdminProblem) -> Value {
        var body = Data(request.body)
        if let defaultID, var object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            object["id"] == nil
        {
            object["id"] = defaultID.rawValue
            body = (try? JSONSerialization.data(withJSONObject: object)) ?? body
        }
        do {
            return try JSONDecoder().decode(Value.self, from: body)
        } catch let error as DecodingError {
            throw problem(error)
        } catch {
            throw AdminProblem(.badRequest, .invalidJSON, "the body is not valid JSON")
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A decoding failure as a 400: a type or value error names its field; broken syntax does not.
    private static func problem(_ error: DecodingError) -> AdminProblem {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
                .trimmingPrefix(".").description
        }
        let (field, message): (String, String)
        switch error {
        case .keyNotFound(let key, let context):
            (field, message) = (path(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context):
            (field, message) = (path(context.codingPath), "must be \(jsonName(of: type))")
        case .valueNotFound(let type, let context):
            (field, message) = (path(context.codingPath), "must be \(jsonName(of: type)), not null")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            (field, message) = (path(context.codingPath), context.debugDescription)
        default:
            return AdminProblem(.badRequest, .invalidJSON, "the body is not valid JSON")
        }
        return AdminProblem(
            .badRequest, .invalidTenant, "\(field) \(message)", fieldErrors: [.init(field: field, message: message)])
    }

    private static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int64.Type, is Int.Type: "an integer"
        case is Bool.Type: "a boolean"
        default: "of another type"
        }
    }
}
