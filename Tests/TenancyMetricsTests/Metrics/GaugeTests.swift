import Testing

@testable import TenancyMetrics

@Suite struct GaugeTests {
    @Test func aGaugeGoesUpAndDown() throws {
        let gauge = try plainRegistry().gauge(name: "queue_depth", help: "Items queued.")
        gauge.increment()
        gauge.increment(by: 4.5)
        gauge.decrement()
        gauge.decrement(by: 10)
        #expect(gauge.value == -5.5)
        gauge.set(3)
        #expect(gauge.value == 3)
    }

    @Test func specialValuesRenderAsPrometheusSpellsThem() throws {
        let registry = try plainRegistry()
        let gauges = try registry.gaugeVec(name: "special", help: "Special values.", labelNames: ["kind"])
        try gauges.labels("a_pos_inf").set(.infinity)
        try gauges.labels("b_neg_inf").set(-.infinity)
        try gauges.labels("c_nan").set(.nan)
        try gauges.labels("d_neg_zero").set(-0.0)
        try gauges.labels("e_tiny").set(.leastNonzeroMagnitude)
        try gauges.labels("f_huge").set(1.7976931348623157e308)
        try gauges.labels("g_small").set(0.00001)
        try gauges.labels("h_negative").set(-2.5)
        try gauges.labels("i_million").set(1_000_000)
        try gauges.labels("j_fraction").set(0.1 + 0.2)
        #expect(
            exposition(registry) == """
                # HELP special Special values.
                # TYPE special gauge
                special{kind="a_pos_inf"} +Inf
                special{kind="b_neg_inf"} -Inf
                special{kind="c_nan"} NaN
                special{kind="d_neg_zero"} 0
                special{kind="e_tiny"} 5e-324
                special{kind="f_huge"} 1.7976931348623157e+308
                special{kind="g_small"} 1e-05
                special{kind="h_negative"} -2.5
                special{kind="i_million"} 1000000
                special{kind="j_fraction"} 0.30000000000000004

                """)
    }
}
