import Testing

@testable import Tenancy

@Suite struct PolicyRequestTests {
    @Test func namesNoModelNoToolAndNoRequirementsByDefault() {
        let request = PolicyRequest(method: "GET", path: "/api/v1/ping")
        #expect(request.method == "GET")
        #expect(request.path == "/api/v1/ping")
        #expect(request.model == nil)
        #expect(request.tool == nil)
        #expect(request.requirements.isEmpty)
    }

    @Test func keepsEveryPartAsGiven() {
        let request = PolicyRequest(
            method: "POST",
            path: "/a/../b?q",
            model: "m",
            tool: "t",
            requirements: [.model, .tool]
        )
        #expect(request.path == "/a/../b?q")
        #expect(request.model == "m")
        #expect(request.tool == "t")
        #expect(request.requirements == [.model, .tool])
    }
}
