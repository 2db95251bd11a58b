import Foundation
import Tenancy
import TenancyHTTP

/// The tenant routes of the demo, all behind the tenant middleware: a ping, a stand-in model endpoint
/// governed by model/tool policy and token quota, and tenant-scoped resources kept in SQLite.
struct DemoRoutes: Sendable {
    let resources: ResourceStore

    /// The tokens a chat request is charged when it does not say: about one per four bytes of body, the
    /// rule of thumb for English text. The gate charges the larger of this and `X-Token-Count`.
    static func estimatedTokens(_ request: any AdmissionRequest) -> Int64? {
        guard let request = request as? HTTPAdmissionRequest else { return nil }
        return Int64((request.request.body.count + 3) / 4)
    }

    func ping(_ request: HTTPRequest) throws -> HTTPResponse {
        try .json(Pong(pong: true, tenant: request.tenant?.rawValue ?? ""))
    }

    func chatCompletion(_ request: HTTPRequest) throws -> HTTPResponse {
        let body: ChatRequest
        do {
            body = try JSONDecoder().decode(ChatRequest.self, from: Data(request.body))
        } catch {
            return Self.problem(.badRequest, "invalid_json", "the body must be {\"messages\": [{\"role\", \"content\"}]}")
        }
        guard let last = body.messages.last else {
            return Self.problem(.badRequest, "invalid_request", "messages must not be empty")
        }
        let model = request.headers["X-Model"] ?? ""
        let declared = request.headers["X-Token-Count"].flatMap { Int64($0) } ?? 0
        let prompt = max(declared, Self.estimatedTokens(HTTPAdmissionRequest(request)) ?? 0)
        let reply = "Hello from \(model) for tenant \(request.tenant?.rawValue ?? "-"): you said \(last.content.count) characters."
        let completion = ChatCompletion(
            id: "chatcmpl-" + UUID().uuidString.lowercased().prefix(12), model: model,
            tenant: request.tenant?.rawValue ?? "",
            choices: [.init(index: 0, message: .init(role: "assistant", content: reply), finishReason: "stop")],
            usage: .init(promptTokens: prompt, completionTokens: 0, totalTokens: prompt))
        return try .json(completion)
    }

    func createResource(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let tenant = request.tenant else { return Self.problem(.unauthorized, "tenant_required", "no tenant") }
        let body: NewResource
        do {
            body = try JSONDecoder().decode(NewResource.self, from: Data(request.body))
        } catch {
            return Self.problem(.badRequest, "invalid_json", "the body must be {\"name\": string, \"content\": string}")
        }
        guard (1...200).contains(body.name.utf8.count), (body.content ?? "").utf8.count <= ResourceStore.maximumContentBytes
        else {
            return Self.problem(
                .badRequest, "invalid_resource",
                "name must be 1-200 bytes and content at most \(ResourceStore.maximumContentBytes) bytes")
        }
        guard let resource = try resources.create(name: body.name, content: body.content ?? "", for: tenant) else {
            return Self.problem(
                .conflict, "resource_limit_reached", "a tenant may keep at most \(ResourceStore.maximumPerTenant) resources")
        }
        var response = try HTTPResponse.json(resource, status: .created)
        try response.headers.add("Location", "/api/v1/resources/\(resource.id)")
        return response
    }

    /// `GET /api/v1/resources?limit=&after=`: one page (at most 100) in ID order, without content, and the
    /// cursor of the next page (`null` on the last).
    func listResources(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let tenant = request.tenant else { return Self.problem(.unauthorized, "tenant_required", "no tenant") }
        var limit = 100
        if let raw = request.queryValue("limit") {
            guard let value = Int(raw), (1...100).contains(value) else {
                return Self.problem(.badRequest, "invalid_argument", "limit must be an integer from 1 to 100")
            }
            limit = value
        }
        let page = try resources.list(for: tenant, after: request.queryValue("after"), limit: limit + 1)
        let items = Array(page.prefix(limit))
        return try .json(ResourceList(resources: items, nextAfter: page.count > limit ? items.last?.id : nil))
    }

    func resource(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let tenant = request.tenant, let id = request.parameters["id"],
            let resource = try resources.resource(id, for: tenant)
        else { return Self.notFound }
        return try .json(resource)
    }

    func deleteResource(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let tenant = request.tenant, let id = request.parameters["id"], try resources.delete(id, for: tenant)
        else { return Self.notFound }
        return HTTPResponse(status: .noContent)
    }

    /// Another tenant's resource is as absent as one that never existed: 404, never 403.
    private static var notFound: HTTPResponse {
        problem(.notFound, "resource_not_found", "no such resource")
    }

    private static func problem(_ status: HTTPStatus, _ code: String, _ detail: String) -> HTTPResponse {
        .problem(status: status, code: HTTPError.Code(code), title: status.reasonPhrase, detail: detail)
    }

    private struct Pong: Encodable {
        var pong: Bool
        var tenant: String
    }

    private struct NewResource: Decodable {
        var name: String
        var content: String?
    }

    private struct ResourceList: Encodable {
        var resources: [ResourceStore.Summary]
        var nextAfter: String?

        enum CodingKeys: String, CodingKey {
            case resources
            case nextAfter = "next_after"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(resources, forKey: .resources)
            try container.encode(nextAfter, forKey: .nextAfter)
        }
    }

    private struct ChatRequest: Decodable {
        struct Message: Decodable {
            var role: String
            var content: String
        }
        var messages: [Message]
    }

    private struct ChatCompletion: Encodable {
        struct Choice: Encodable {
            var index: Int
            var message: Message
            var finishReason: String

            enum CodingKeys: String, CodingKey {
                case index, message
                case finishReason = "finish_reason"
            }
        }

        struct Message: Encodable {
            var role: String
            var content: String
        }

        struct Usage: Encodable {
            var promptTokens: Int64
            var completionTokens: Int64
            var totalTokens: Int64

            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
                case totalTokens = "total_tokens"
            }
        }

        var id: String
        var object = "chat.completion"
        var model: String
        var tenant: String
        var choices: [Choice]
        var usage: Usage
    }
}
