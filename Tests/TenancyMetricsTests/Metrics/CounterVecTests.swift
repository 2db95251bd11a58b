import Testing

@testable import TenancyMetrics

@Suite struct CounterVecTests {
    @Test func seriesAreSortedByLabelValuesBytewiseValueByValue() throws {
        let registry = try plainRegistry()
        let requests = try registry.counterVec(
            name: "http_requests_total", help: "Requests.", labelNames: ["route", "code"])
        for (route, code) in [("/b", "500"), ("/a", "200"), ("/b", "200"), ("/a", "404"), ("/B", "200"), ("/a", "20")] {
            try requests.labels(route, code).increment()
        }
        #expect(
            exposition(registry) == """
                # HELP http_requests_total Requests.
                # TYPE http_requests_total counter
                http_requests_total{route="/B",code="200"} 1
                http_requests_total{route="/a",code="20"} 1
                http_requests_total{route="/a",code="200"} 1
                http_requests_total{route="/a",code="404"} 1
                http_requests_total{route="/b",code="200"} 1
                http_requests_total{route="/b",code="500"} 1

                """)
    }

    @Test func hostileLabelValuesAreEscapedAndKeptApart() throws {
        let registry = try plainRegistry()
        let events = try registry.counterVec(name: "events_total", help: "Events.", labelNames: ["tenant_id"])
        let hostile = [
            "quote\"d", "back\\slash", "new\nline", "ünïcødé ✓", "__other__", "}{,=", "", "trailing\\",
            "e\u{301}", "\u{E9}",
        ]
        for value in hostile { try events.labels(value).increment() }
        #expect(
            exposition(registry) == """
                # HELP events_total Events.
                # TYPE events_total counter
                events_total{tenant_id=""} 1
                events_total{tenant_id="__other__"} 1
                events_total{tenant_id="back\\\\slash"} 1
                events_total{tenant_id="e\u{301}"} 1
                events_total{tenant_id="new\\nline"} 1
                events_total{tenant_id="quote\\"d"} 1
                events_total{tenant_id="trailing\\\\"} 1
                events_total{tenant_id="}{,="} 1
                events_total{tenant_id="\u{E9}"} 1
                events_total{tenant_id="ünïcødé ✓"} 1

                """)
    }

    @Test func theSameValuesReturnTheSameChild() throws {
        let vec = try plainRegistry().counterVec(name: "a_total", help: "A.", labelNames: ["x", "y", "z"])
        let first = try vec.labels("1", "2", "3")
        let second = try vec.labels(["1", "2", "3"])
        #expect(first === second)
        first.increment()
        #expect(second.value == 1)
    }

    @Test func valuesThatConcatenateAlikeAreDifferentSeries() throws {
        let vec = try plainRegistry().counterVec(name: "a_total", help: "A.", labelNames: ["x", "y"])
        #expect(try vec.labels("ab", "c") !== vec.labels("a", "bc"))
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5])
    func anyArityIsSupportedThroughTheArrayForm(arity: Int) throws {
        let registry = try plainRegistry()
        let names = (0..<arity).map { "l\($0)" }
        let vec = try registry.counterVec(name: "a_total", help: "A.", labelNames: names)
        let values = (0..<arity).map { "v\($0)" }
        try vec.labels(values).increment()
        #expect(try vec.labels(values).value == 1)
        let pairs = zip(names, values).map { "\($0)=\"\($1)\"" }.joined(separator: ",")
        #expect(exposition(registry).hasSuffix(arity == 0 ? "a_total 1\n" : "a_total{\(pairs)} 1\n"))
    }

    @Test(arguments: [
        ["only"], ["one", "two", "three"], [], ["1", "2", "3", "4"],
    ])
    func aWrongNumberOfValuesIsAnErrorNotACrash(values: [String]) throws {
        let vec = try plainRegistry().counterVec(name: "a_total", help: "A.", labelNames: ["x", "y"])
        let error = #expect(throws: MetricsError.self) { try vec.labels(values) }
        #expect(error?.code == .labelCountMismatch)
    }

    @Test func theFixedArityFormsCheckTheCountToo() throws {
        let vec = try plainRegistry().counterVec(name: "a_total", help: "A.", labelNames: ["x", "y"])
        #expect(throws: MetricsError.self) { try vec.labels("one") }
        #expect(throws: MetricsError.self) { try vec.labels("one", "two", "three") }
        #expect(vec.name == "a_total")
        #expect(vec.labelNames == ["x", "y"])
    }

    @Test func labelValuesLongerThanTheBoundAreRejected() throws {
        let registry = try plainRegistry(maximumLabelValueBytes: 8)
        let vec = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["x"])
        _ = try vec.labels("12345678")
        let error = #expect(throws: MetricsError.self) { try vec.labels("123456789") }
        #expect(error?.code == .labelValueTooLong)
        let multibyte = #expect(throws: MetricsError.self) { try vec.labels("ééééé") }  // 10 bytes, 5 characters
        #expect(multibyte?.code == .labelValueTooLong)
    }

    @Test func theDefaultBoundIs256Bytes() throws {
        let vec = try MetricsRegistry().counterVec(name: "a_total", help: "A.", labelNames: ["x"])
        _ = try vec.labels(String(repeating: "a", count: 256))
        #expect(throws: MetricsError.self) { try vec.labels(String(repeating: "a", count: 257)) }
    }
}
