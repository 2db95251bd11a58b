import Testing

@testable import TenancyHTTP

@Suite struct HTTPHeadersTests {
    @Test func looksUpNamesCaseInsensitivelyAndReturnsTheFirstValue() throws {
        let headers = try HTTPHeaders([("Accept", "a"), ("X-Multi", "1"), ("x-multi", "2")])
        #expect(headers["ACCEPT"] == "a")
        #expect(headers["x-MULTI"] == "1")
        #expect(headers.values(for: "X-Multi") == ["1", "2"])
        #expect(headers["missing"] == nil)
        #expect(headers.contains("accept"))
        #expect(headers.count == 3)
    }

    @Test func keepsInsertionOrderAndNameCase() throws {
        var headers = HTTPHeaders()
        try headers.add("B-Field", "1")
        try headers.add("a-field", "2")
        #expect(headers.map(\.name) == ["B-Field", "a-field"])
        #expect(headers.description == "B-Field: 1\na-field: 2")
    }

    @Test func replaceOrAddReplacesTheFirstAndRemovesTheRest() throws {
        var headers = try HTTPHeaders([("X", "1"), ("Y", "y"), ("x", "2"), ("X", "3")])
        try headers.replaceOrAdd("x", "new")
        #expect(headers.map(\.name) == ["x", "Y"])
        #expect(headers.values(for: "X") == ["new"])
        try headers.replaceOrAdd("Z", "z")
        #expect(headers["z"] == "z")
    }

    @Test func removeDropsEveryFieldOfTheName() throws {
        var headers = try HTTPHeaders([("X", "1"), ("Y", "y"), ("x", "2")])
        headers.remove("X")
        #expect(headers.map(\.name) == ["Y"])
        headers.remove("Y")
        #expect(headers.isEmpty)
    }

    @Test(arguments: ["a\r\nInjected: yes", "a\nb", "a\rb", "a\u{0}b", "a\u{7F}b", "a\u{1B}b"])
    func rejectsValuesThatCouldSplitTheResponse(value: String) throws {
        var headers = HTTPHeaders()
        let error = #expect(throws: HTTPError.self) { try headers.add("X", value) }
        #expect(error?.code == .invalidHeaderValue)
        #expect(headers.isEmpty)
        #expect(throws: HTTPError.self) { try headers.replaceOrAdd("X", value) }
        #expect(headers.isEmpty)
    }

    @Test(arguments: ["", "Bad Name", "Bad:Name", "X\r\nY", "Name\u{0}", "Ünicode", "(x)"])
    func rejectsNamesThatAreNotTokens(name: String) throws {
        var headers = HTTPHeaders()
        let error = #expect(throws: HTTPError.self) { try headers.add(name, "v") }
        #expect(error?.code == .invalidHeaderName)
        #expect(headers.isEmpty)
    }

    @Test(arguments: ["tab\tinside", "", "UTF-8 ✓", "quoted \"value\"; q=1"])
    func acceptsTabsSpacesAndUTF8InValues(value: String) throws {
        var headers = HTTPHeaders()
        try headers.add("X-Value", value)
        #expect(headers["x-value"] == value)
    }

    @Test func anInvalidPairInTheInitializerThrows() {
        #expect(throws: HTTPError.self) { try HTTPHeaders([("Good", "1"), ("Bad", "\n")]) }
    }
}
