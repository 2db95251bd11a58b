import Testing

@testable import TenancyMetrics

@Suite struct GaugeVecTests {
    @Test func everyArityFormReachesTheSameChild() throws {
        let registry = try plainRegistry()
        let one = try registry.gaugeVec(name: "one", help: "One.", labelNames: ["a"])
        let two = try registry.gaugeVec(name: "two", help: "Two.", labelNames: ["a", "b"])
        let three = try registry.gaugeVec(name: "three", help: "Three.", labelNames: ["a", "b", "c"])
        try one.labels("x").set(1)
        try two.labels("x", "y").set(2)
        try three.labels("x", "y", "z").set(3)
        #expect(try one.labels(["x"]).value == 1)
        #expect(try two.labels(["x", "y"]).value == 2)
        #expect(try three.labels(["x", "y", "z"]).value == 3)
        #expect(two.name == "two")
        #expect(three.labelNames == ["a", "b", "c"])
        #expect(
            exposition(registry) == """
                # HELP one One.
                # TYPE one gauge
                one{a="x"} 1
                # HELP three Three.
                # TYPE three gauge
                three{a="x",b="y",c="z"} 3
                # HELP two Two.
                # TYPE two gauge
                two{a="x",b="y"} 2

                """)
    }

    @Test func wrongArityIsAnError() throws {
        let vec = try plainRegistry().gaugeVec(name: "g", help: "G.", labelNames: ["a"])
        #expect(throws: MetricsError.self) { try vec.labels("x", "y") }
        #expect(throws: MetricsError.self) { try vec.labels("x", "y", "z") }
        #expect(throws: MetricsError.self) { try vec.labels([]) }
    }
}
