import Testing

@testable import TenancyMetrics

@Suite struct HistogramVecTests {
    @Test func labeledHistogramsPutLeLastAndRenderEachSeriesAsOneGroup() throws {
        let registry = try plainRegistry()
        let latency = try registry.histogramVec(
            name: "rpc_duration_seconds", help: "RPC latency.", labelNames: ["service", "method"], buckets: [0.01, 0.1])
        try latency.labels("b", "get").observe(0.05)
        try latency.labels("a", "put").observe(0.005)
        try latency.labels("a", "put").observe(1)
        #expect(latency.buckets == [0.01, 0.1])
        #expect(
            exposition(registry) == """
                # HELP rpc_duration_seconds RPC latency.
                # TYPE rpc_duration_seconds histogram
                rpc_duration_seconds_bucket{service="a",method="put",le="0.01"} 1
                rpc_duration_seconds_bucket{service="a",method="put",le="0.1"} 1
                rpc_duration_seconds_bucket{service="a",method="put",le="+Inf"} 2
                rpc_duration_seconds_sum{service="a",method="put"} 1.005
                rpc_duration_seconds_count{service="a",method="put"} 2
                rpc_duration_seconds_bucket{service="b",method="get",le="0.01"} 0
                rpc_duration_seconds_bucket{service="b",method="get",le="0.1"} 1
                rpc_duration_seconds_bucket{service="b",method="get",le="+Inf"} 1
                rpc_duration_seconds_sum{service="b",method="get"} 0.05
                rpc_duration_seconds_count{service="b",method="get"} 1

                """)
    }

    @Test func everyArityFormWorks() throws {
        let registry = try plainRegistry()
        let one = try registry.histogramVec(name: "one", help: "1.", labelNames: ["a"], buckets: [1])
        let three = try registry.histogramVec(name: "three", help: "3.", labelNames: ["a", "b", "c"], buckets: [1])
        try one.labels(["x"]).observe(1)
        try three.labels("x", "y", "z").observe(1)
        #expect(try one.labels("x").snapshot.count == 1)
        #expect(try three.labels(["x", "y", "z"]).snapshot.count == 1)
        #expect(one.name == "one")
        #expect(three.labelNames == ["a", "b", "c"])
        #expect(throws: MetricsError.self) { try one.labels("x", "y") }
    }

    @Test func hostileValuesAreEscapedInEveryLineOfTheSeries() throws {
        let registry = try plainRegistry()
        let vec = try registry.histogramVec(name: "h", help: "H.", labelNames: ["v"], buckets: [])
        try vec.labels("a\"b\\c\nd").observe(0.5)
        #expect(
            exposition(registry) == """
                # HELP h H.
                # TYPE h histogram
                h_bucket{v="a\\"b\\\\c\\nd",le="+Inf"} 1
                h_sum{v="a\\"b\\\\c\\nd"} 0.5
                h_count{v="a\\"b\\\\c\\nd"} 1

                """)
    }
}
