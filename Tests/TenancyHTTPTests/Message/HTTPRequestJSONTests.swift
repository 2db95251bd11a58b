import Testing

@testable import TenancyHTTP

@Suite struct HTTPRequestJSONTests {
    struct Order: Decodable, Equatable {
        struct Item: Decodable, Equatable { var name: String }
        var id: Int
        var items: [Item]
    }

    private func decode(_ body: String, contentType: String? = "application/json") throws -> Order {
        let request = try HTTPRequest.make(.post, "/", headers: contentType.map { [("Content-Type", $0)] } ?? [], body: body)
        return try request.decode(Order.self)
    }

    @Test(arguments: [nil, "application/json", "application/json; charset=utf-8", "Application/JSON", "application/problem+json"])
    func decodesJSONBodies(contentType: String?) throws {
        #expect(try decode(#"{"id":1,"items":[{"name":"a"}]}"#, contentType: contentType) == Order(id: 1, items: [.init(name: "a")]))
    }

    @Test(arguments: [
        ("", "the body is empty; JSON is expected"), ("{", "the body is not valid JSON"),
        (#"{"items":[]}"#, "field 'id' is missing"), (#"{"id":"x","items":[]}"#, "field 'id' has the wrong type"),
        (#"{"id":1,"items":[{"name":null}]}"#, "field 'items[0].name' must not be null"),
        (#"{"id":1,"items":[{}]}"#, "field 'items[0].name' is missing"),
    ])
    func badBodiesAre400NamingTheField(body: String, message: String) {
        let error = #expect(throws: HTTPError.self) { try decode(body) }
        #expect(error?.status == .badRequest)
        #expect(error?.code == .invalidJSON)
        #expect(error?.message == message)
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "application/jsonx", "json", "", ";", " ; charset=utf-8"])
    func otherMediaTypesAre415(contentType: String) {
        let error = #expect(throws: HTTPError.self) { try decode("{}", contentType: contentType) }
        #expect(error?.status == .unsupportedMediaType)
        #expect(error?.code == .unsupportedMediaType)
    }
}
