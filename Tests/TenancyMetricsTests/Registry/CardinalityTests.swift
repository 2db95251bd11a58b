import Testing

@testable import TenancyMetrics

@Suite struct CardinalityTests {
    private func boundedRegistry(
        maximumValues: Int = 2, idleExpiry: Duration? = nil, now: ManualNow = ManualNow()
    ) throws -> MetricsRegistry {
        try MetricsRegistry(
            configuration: .init(cardinality: CardinalityLimit(maximumValues: maximumValues, idleExpiry: idleExpiry)),
            now: now.closure)
    }

    @Test func valuesBeyondTheCapAreRecordedAsOtherAndCountedAsOverflow() throws {
        let registry = try boundedRegistry()
        let requests = try registry.counterVec(
            name: "app_requests_total", help: "Requests.", labelNames: ["tenant_id", "code"])
        try requests.labels("acme", "200").increment()
        try requests.labels("globex", "200").increment()
        try requests.labels("initech", "200").increment()
        try requests.labels("umbrella", "500").increment()
        try requests.labels("initech", "200").increment()
        try requests.labels("acme", "500").increment()  // tracked: a new series for a known value is fine
        #expect(registry.trackedValueCount == 2)
        #expect(
            exposition(registry) == """
                # HELP app_requests_total Requests.
                # TYPE app_requests_total counter
                app_requests_total{tenant_id="__other__",code="200"} 2
                app_requests_total{tenant_id="__other__",code="500"} 1
                app_requests_total{tenant_id="acme",code="200"} 1
                app_requests_total{tenant_id="acme",code="500"} 1
                app_requests_total{tenant_id="globex",code="200"} 1
                # HELP tenancy_metrics_overflow_total Samples recorded under tenant_id="__other__" because the cap of 2 distinct values was reached, by family.
                # TYPE tenancy_metrics_overflow_total counter
                tenancy_metrics_overflow_total{family="app_requests_total"} 3
                # HELP tenancy_metrics_tenants_tracked Distinct tenant_id values currently tracked.
                # TYPE tenancy_metrics_tenants_tracked gauge
                tenancy_metrics_tenants_tracked 2

                """)
    }

    @Test func theCapIsSharedByEveryFamilyThatCarriesTheBoundedLabel() throws {
        let registry = try boundedRegistry(maximumValues: 1)
        let requests = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["tenant_id"])
        let latency = try registry.histogramVec(name: "b_seconds", help: "B.", labelNames: ["tenant_id"], buckets: [1])
        let depth = try registry.gaugeVec(name: "c", help: "C.", labelNames: ["queue", "tenant_id"])
        try requests.labels("acme").increment()
        try latency.labels("acme").observe(0.5)
        try depth.labels("q", "acme").set(3)
        try latency.labels("globex").observe(0.5)
        try depth.labels("q", "globex").set(4)
        #expect(try depth.labels("q", "__other__").value == 4)  // a literal overflow value is overflow too
        let text = exposition(registry)
        #expect(text.contains("b_seconds_count{tenant_id=\"__other__\"} 1\n"))
        #expect(text.contains("c{queue=\"q\",tenant_id=\"acme\"} 3\n"))
        #expect(text.contains("c{queue=\"q\",tenant_id=\"__other__\"} 4\n"))
        #expect(text.contains("tenancy_metrics_overflow_total{family=\"a_total\"} 0\n"))
        #expect(text.contains("tenancy_metrics_overflow_total{family=\"b_seconds\"} 1\n"))
        #expect(text.contains("tenancy_metrics_overflow_total{family=\"c\"} 2\n"))
        #expect(text.contains("tenancy_metrics_tenants_tracked 1\n"))
    }

    @Test func familiesWithoutTheBoundedLabelAreNotBoundedAndAddNoOwnFamilies() throws {
        let registry = try boundedRegistry(maximumValues: 0)
        let vec = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["tenant"])
        for index in 0..<10 { try vec.labels("t\(index)").increment() }
        let text = exposition(registry)
        #expect(!text.contains("tenancy_metrics"))
        #expect(text.split(separator: "\n").count == 12)
    }

    @Test func tenThousandDistinctTenantsStayWithinTheCapPlusTheOverflowSeries() throws {
        let registry = MetricsRegistry()
        let requests = try registry.counterVec(
            name: "app_requests_total", help: "Requests.", labelNames: ["tenant_id", "outcome"])
        let latency = try registry.histogramVec(
            name: "app_request_duration_seconds", help: "Latency.", labelNames: ["tenant_id"])
        for index in 0..<10_000 {
            let tenant = "tenant-\(index)"
            try requests.labels(tenant, "allowed").increment()
            try latency.labels(tenant).observe(0.01)
        }
        let lines = exposition(registry).split(separator: "\n")
        let requestSeries = lines.filter { $0.hasPrefix("app_requests_total{") }
        let latencySeries = lines.filter { $0.hasPrefix("app_request_duration_seconds_count{") }
        #expect(requestSeries.count == 1_000 + 1)
        #expect(latencySeries.count == 1_000 + 1)
        #expect(lines.contains("app_requests_total{tenant_id=\"__other__\",outcome=\"allowed\"} 9000"))
        #expect(lines.contains("app_request_duration_seconds_count{tenant_id=\"__other__\"} 9000"))
        #expect(lines.contains("tenancy_metrics_overflow_total{family=\"app_requests_total\"} 9000"))
        #expect(lines.contains("tenancy_metrics_overflow_total{family=\"app_request_duration_seconds\"} 9000"))
        #expect(lines.contains("tenancy_metrics_tenants_tracked 1000"))
        #expect(registry.trackedValueCount == 1_000)
    }

    @Test func removingAValueDropsItsSeriesEverywhereAndFreesItsSlot() throws {
        let registry = try boundedRegistry(maximumValues: 1)
        let requests = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["tenant_id"])
        let latency = try registry.histogramVec(name: "b_seconds", help: "B.", labelNames: ["tenant_id"], buckets: [])
        let handle = try requests.labels("acme")
        handle.increment()
        try latency.labels("acme").observe(1)
        #expect(registry.removeSeries(withBoundedValue: "acme"))
        #expect(!registry.removeSeries(withBoundedValue: "acme"))
        #expect(registry.trackedValueCount == 0)
        handle.increment()  // a stale handle keeps working, unrendered
        try requests.labels("globex").increment()
        #expect(
            exposition(registry) == """
                # HELP a_total A.
                # TYPE a_total counter
                a_total{tenant_id="globex"} 1
                # HELP tenancy_metrics_overflow_total Samples recorded under tenant_id="__other__" because the cap of 1 distinct values was reached, by family.
                # TYPE tenancy_metrics_overflow_total counter
                tenancy_metrics_overflow_total{family="a_total"} 0
                tenancy_metrics_overflow_total{family="b_seconds"} 0
                # HELP tenancy_metrics_tenants_tracked Distinct tenant_id values currently tracked.
                # TYPE tenancy_metrics_tenants_tracked gauge
                tenancy_metrics_tenants_tracked 1

                """)
    }

    @Test func removingWithoutABoundRemovesNothing() throws {
        let registry = try plainRegistry()
        #expect(!registry.removeSeries(withBoundedValue: "acme"))
        #expect(registry.expireIdleSeries().isEmpty)
        #expect(registry.trackedValueCount == 0)
    }

    @Test func seriesUnchangedForTheIdleExpiryAreRemoved() throws {
        let now = ManualNow()
        let registry = try boundedRegistry(maximumValues: 10, idleExpiry: .seconds(600), now: now)
        let requests = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["tenant_id"])
        let busy = try requests.labels("busy")
        let idle = try requests.labels("idle")
        idle.increment()
        busy.increment()
        #expect(registry.expireIdleSeries().isEmpty)  // first sweep: both just changed
        now.advance(by: .seconds(300))
        busy.increment()
        #expect(registry.expireIdleSeries().isEmpty)
        now.advance(by: .seconds(300))
        busy.increment()
        #expect(registry.expireIdleSeries() == ["idle"])
        #expect(idle.series.tracked?.isExpired == true)
        #expect(registry.trackedValueCount == 1)
        let text = exposition(registry)
        #expect(!text.contains("idle"))
        #expect(text.contains("a_total{tenant_id=\"busy\"} 3\n"))
        #expect(text.contains("tenancy_metrics_tenants_tracked 1\n"))
    }

    @Test func aScrapeRunsTheSweepWhenATenthOfTheExpiryHasPassed() throws {
        let now = ManualNow()
        let registry = try boundedRegistry(maximumValues: 10, idleExpiry: .seconds(100), now: now)
        let gauges = try registry.gaugeVec(name: "g", help: "G.", labelNames: ["tenant_id"])
        try gauges.labels("acme").set(1)
        _ = registry.render()  // sweep: acme active
        now.advance(by: .seconds(100))
        _ = registry.render()  // sweep: unchanged since the previous sweep, which saw it active 100 s ago
        #expect(registry.trackedValueCount == 0)
        try gauges.labels("acme").set(1)
        now.advance(by: .seconds(5))
        _ = registry.render()  // not due: 5 s < 10 s
        now.advance(by: .seconds(100))
        _ = registry.render()  // due, but the sweep 100 s ago was the first to see the new series
        #expect(registry.trackedValueCount == 1)
        now.advance(by: .seconds(99))
        _ = registry.render()  // idle for 99 s since that sweep
        #expect(registry.trackedValueCount == 1)
        now.advance(by: .seconds(10))
        _ = registry.render()  // due again, and idle for 109 s
        #expect(registry.trackedValueCount == 0)
    }

    @Test func aValueAdmittedAgainAfterExpiryGetsFreshSeries() throws {
        let now = ManualNow()
        let registry = try boundedRegistry(maximumValues: 10, idleExpiry: .seconds(1), now: now)
        let requests = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["tenant_id"])
        let old = try requests.labels("acme")
        old.increment()
        registry.expireIdleSeries()
        now.advance(by: .seconds(1))
        #expect(registry.expireIdleSeries() == ["acme"])
        let fresh = try requests.labels("acme")
        #expect(fresh !== old)
        #expect(fresh.value == 0)
        #expect(fresh.series.tracked?.isExpired == false)
    }

    @Test func histogramAndGaugeActivityKeepValuesAlive() throws {
        let now = ManualNow()
        let registry = try boundedRegistry(maximumValues: 10, idleExpiry: .seconds(10), now: now)
        let latency = try registry.histogramVec(name: "h", help: "H.", labelNames: ["tenant_id"], buckets: [1])
        let depth = try registry.gaugeVec(name: "g", help: "G.", labelNames: ["tenant_id"])
        registry.expireIdleSeries()
        for step in 1...5 {
            try latency.labels("observed").observe(Double(step))
            try depth.labels("set").set(Double(step))
            now.advance(by: .seconds(10))
            #expect(registry.expireIdleSeries().isEmpty)
        }
        now.advance(by: .seconds(10))
        #expect(Set(registry.expireIdleSeries()) == ["observed", "set"])
    }

    @Test func theOwnFamiliesFollowTheConfiguredNames() throws {
        let registry = try MetricsRegistry(
            configuration: .init(
                cardinality: CardinalityLimit(
                    labelName: "customer", maximumValues: 0, overflowValue: "other",
                    overflowCounterName: "shop_overflow_total", trackedGaugeName: "shop_customers")))
        let orders = try registry.counterVec(name: "shop_orders_total", help: "Orders.", labelNames: ["customer"])
        try orders.labels("alice").increment()
        #expect(
            exposition(registry) == """
                # HELP shop_customers Distinct customer values currently tracked.
                # TYPE shop_customers gauge
                shop_customers 0
                # HELP shop_orders_total Orders.
                # TYPE shop_orders_total counter
                shop_orders_total{customer="other"} 1
                # HELP shop_overflow_total Samples recorded under customer="other" because the cap of 0 distinct values was reached, by family.
                # TYPE shop_overflow_total counter
                shop_overflow_total{family="shop_orders_total"} 1

                """)
    }

    @Test func aBoundedFamilyCannotBeRegisteredWhenTheOwnFamilyNamesAreTaken() throws {
        let registry = MetricsRegistry()
        _ = try registry.gauge(name: "tenancy_metrics_tenants_tracked", help: "Mine.")
        let error = #expect(throws: MetricsError.self) {
            try registry.counterVec(name: "a_total", help: "A.", labelNames: ["tenant_id"])
        }
        #expect(error?.code == .conflictingRegistration)
    }

    @Test func aBoundedFamilyCannotBeRegisteredWhenTheOwnFamiliesWouldClashWithAHistogram() throws {
        let registry = try MetricsRegistry(
            configuration: .init(cardinality: CardinalityLimit(trackedGaugeName: "h_count")))
        _ = try registry.histogram(name: "h", help: "Writes h_count.")
        let error = #expect(throws: MetricsError.self) {
            try registry.counterVec(name: "a_total", help: "A.", labelNames: ["tenant_id"])
        }
        #expect(error?.code == .conflictingRegistration)
    }

    @Test func theOwnFamiliesCanBeReRegisteredIdentically() throws {
        let registry = try boundedRegistry(maximumValues: 5)
        _ = try registry.counterVec(name: "a_total", help: "A.", labelNames: ["tenant_id"])
        let tracked = try registry.gauge(
            name: "tenancy_metrics_tenants_tracked", help: "Distinct tenant_id values currently tracked.")
        #expect(tracked.value == 0)
    }

    @Test(arguments: [
        CardinalityLimit(labelName: "1bad"), CardinalityLimit(labelName: "__x"), CardinalityLimit(labelName: "family"),
        CardinalityLimit(labelName: "le"), CardinalityLimit(maximumValues: -1), CardinalityLimit(overflowValue: ""),
        CardinalityLimit(overflowValue: String(repeating: "x", count: 257)), CardinalityLimit(idleExpiry: .zero),
        CardinalityLimit(idleExpiry: .seconds(-1)), CardinalityLimit(overflowCounterName: "bad-name"),
        CardinalityLimit(trackedGaugeName: "__x"), CardinalityLimit(overflowCounterName: "x", trackedGaugeName: "x"),
    ])
    func outOfRangeLimitsAreInvalidConfigurations(limit: CardinalityLimit) {
        let error = #expect(throws: MetricsError.self) {
            try MetricsRegistry(configuration: .init(cardinality: limit))
        }
        #expect(error?.code == .invalidConfiguration)
    }
}
