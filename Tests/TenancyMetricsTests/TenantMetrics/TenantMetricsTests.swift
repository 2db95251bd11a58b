import Tenancy
import Testing

@testable import TenancyMetrics

@Suite struct TenantMetricsTests {
    private static func tenant(_ raw: String) throws -> TenantID { try TenantID(raw) }

    private func metrics(
        _ configuration: TenantMetrics.Configuration = .init(includeProcessMetrics: false),
        clock: any TenancyClock = SystemClock()
    ) throws -> TenantMetrics {
        try TenantMetrics(configuration: configuration, clock: clock)
    }

    private func completed(_ tenant: TenantID?, _ outcome: RequestOutcome?, _ duration: Duration = .milliseconds(1))
        -> CompletionEvent
    {
        CompletionEvent(tenant: tenant, outcome: outcome, status: 200, duration: duration)
    }

    @Test func beforeAnyTrafficOnlyTheConstantSeriesExist() throws {
        #expect(
            exposition(try metrics().registry) == """
                # HELP tenancy_build_info A constant 1, labelled with the swift-tenancy version.
                # TYPE tenancy_build_info gauge
                tenancy_build_info{version="0.1.0"} 1
                # HELP tenancy_metrics_overflow_total Samples recorded under tenant_id="__other__" because the cap of 1000 distinct values was reached, by family.
                # TYPE tenancy_metrics_overflow_total counter
                tenancy_metrics_overflow_total{family="tenancy_policy_denials_total"} 0
                tenancy_metrics_overflow_total{family="tenancy_quota_rejections_total"} 0
                tenancy_metrics_overflow_total{family="tenancy_request_duration_seconds"} 0
                tenancy_metrics_overflow_total{family="tenancy_requests_total"} 0
                tenancy_metrics_overflow_total{family="tenancy_tokens_total"} 0
                # HELP tenancy_metrics_tenants_tracked Distinct tenant_id values currently tracked.
                # TYPE tenancy_metrics_tenants_tracked gauge
                tenancy_metrics_tenants_tracked 0
                # HELP tenancy_resolutions_total Tenant resolutions by the strategy that found the value and how they ended.
                # TYPE tenancy_resolutions_total counter
                tenancy_resolutions_total{source="none",result="missing"} 0

                """)
    }

    @Test func theProcessFamiliesAndTheBuildVersionAreExportedByDefault() throws {
        let metrics = try TenantMetrics(configuration: .init(version: "1.2.3"))
        let text = exposition(metrics.registry)
        for family in [
            "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
            "process_open_fds", "process_max_fds", "process_start_time_seconds",
        ] {
            #expect(text.contains("\n# TYPE \(family) "))
        }
        #expect(text.contains("tenancy_build_info{version=\"1.2.3\"} 1\n"))
    }

    @Test func theNamespacePrefixesEveryFamily() throws {
        let metrics = try metrics(.init(namespace: "saas", includeProcessMetrics: false))
        metrics.requestCompleted(completed(try Self.tenant("acme"), .allowed))
        let names = Set(
            exposition(metrics.registry).split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map {
                $0.split(separator: " ")[2]
            })
        #expect(
            names == [
                "saas_build_info", "saas_metrics_overflow_total", "saas_metrics_tenants_tracked",
                "saas_policy_denials_total", "saas_quota_rejections_total", "saas_request_duration_seconds",
                "saas_requests_total", "saas_resolutions_total", "saas_tokens_total",
            ])
    }

    @Test(arguments: ["", "bad-namespace", "9lives", "__reserved"])
    func anInvalidNamespaceIsAnInvalidConfiguration(namespace: String) {
        let error = #expect(throws: MetricsError.self) { try TenantMetrics(configuration: .init(namespace: namespace)) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test(arguments: [
        TenantMetrics.Configuration(maximumTenants: -1), TenantMetrics.Configuration(idleExpiry: .zero),
    ])
    func outOfRangeBoundsAreInvalidConfigurations(configuration: TenantMetrics.Configuration) {
        let error = #expect(throws: MetricsError.self) { try TenantMetrics(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func invalidDurationBucketsAreRejected() {
        let error = #expect(throws: MetricsError.self) {
            try TenantMetrics(configuration: .init(durationBuckets: [1, 0.5]))
        }
        #expect(error?.code == .invalidBuckets)
    }

    @Test func onlyAllowedRequestsAreTimed() throws {
        let metrics = try metrics()
        let acme = try Self.tenant("acme")
        for outcome in RequestOutcome.allCases { metrics.requestCompleted(completed(acme, outcome, .milliseconds(20))) }
        let text = exposition(metrics.registry)
        #expect(text.contains("tenancy_request_duration_seconds_count{tenant_id=\"acme\"} 1\n"))
        #expect(text.contains("tenancy_request_duration_seconds_sum{tenant_id=\"acme\"} 0.02\n"))
        for outcome in RequestOutcome.allCases {
            #expect(text.contains("tenancy_requests_total{tenant_id=\"acme\",outcome=\"\(outcome.rawValue)\"} 1\n"))
        }
    }

    @Test func requestsWithoutAResolvedTenantAreNotRecordedPerTenant() throws {
        let metrics = try metrics()
        metrics.requestCompleted(completed(nil, nil))
        metrics.requestCompleted(completed(nil, .allowed))
        metrics.requestCompleted(completed(try Self.tenant("acme"), nil))
        #expect(!exposition(metrics.registry).contains("{tenant_id="))
    }

    @Test func everyPolicyReasonAndQuotaDimensionHasItsSeries() throws {
        let metrics = try metrics()
        let acme = try Self.tenant("acme")
        for reason in PolicyDenialReason.allCases {
            metrics.policyEvaluated(PolicyEvent(tenant: acme, decision: .denied(reason, detail: "no")))
        }
        metrics.policyEvaluated(PolicyEvent(tenant: acme, decision: .allowed))
        for dimension in QuotaDimension.allCases {
            metrics.quotaEvaluated(
                QuotaEvent(tenant: acme, outcome: .rejected(dimension), cost: QuotaCost(), decision: nil))
        }
        metrics.quotaEvaluated(QuotaEvent(tenant: acme, outcome: .allowed, cost: QuotaCost(tokens: 250), decision: nil))
        metrics.quotaEvaluated(QuotaEvent(tenant: acme, outcome: .allowed, cost: QuotaCost(tokens: 0), decision: nil))
        metrics.quotaEvaluated(
            QuotaEvent(tenant: acme, outcome: .invalidCost, cost: QuotaCost(tokens: 0), decision: nil))
        metrics.quotaEvaluated(
            QuotaEvent(
                tenant: acme, outcome: .backendError(TenancyError(.backendUnavailable, "down")),
                cost: QuotaCost(tokens: 9), decision: nil))
        let text = exposition(metrics.registry)
        for reason in PolicyDenialReason.allCases {
            #expect(text.contains("tenancy_policy_denials_total{tenant_id=\"acme\",reason=\"\(reason.rawValue)\"} 1\n"))
        }
        for dimension in QuotaDimension.allCases {
            let line = "tenancy_quota_rejections_total{tenant_id=\"acme\",dimension=\"\(dimension.rawValue)\"} 1\n"
            #expect(text.contains(line))
        }
        #expect(text.contains("tenancy_tokens_total{tenant_id=\"acme\"} 250\n"))
    }

    @Test func resolutionsAreCountedPerSourceWithEveryResultPreInitialised() throws {
        let metrics = try metrics()
        let acme = try Self.tenant("acme")
        metrics.tenantResolved(ResolutionEvent(result: .resolved, source: "subdomain", tenant: acme))
        metrics.tenantResolved(ResolutionEvent(result: .unknown, source: "principal", tenant: try Self.tenant("ghost")))
        metrics.tenantResolved(ResolutionEvent(result: .missing, source: nil, tenant: nil))
        // Unusual pairs are still counted; an over-long source is dropped.
        metrics.tenantResolved(ResolutionEvent(result: .missing, source: "custom", tenant: nil))
        metrics.tenantResolved(ResolutionEvent(result: .resolved, source: nil, tenant: nil))
        let longSource = String(repeating: "s", count: 300)
        metrics.tenantResolved(ResolutionEvent(result: .invalid, source: longSource, tenant: nil))
        let resolutions = exposition(metrics.registry).split(separator: "\n").filter {
            $0.hasPrefix("tenancy_resolutions_total{")
        }
        #expect(
            resolutions == [
                "tenancy_resolutions_total{source=\"custom\",result=\"error\"} 0",
                "tenancy_resolutions_total{source=\"custom\",result=\"invalid\"} 0",
                "tenancy_resolutions_total{source=\"custom\",result=\"missing\"} 1",
                "tenancy_resolutions_total{source=\"custom\",result=\"resolved\"} 0",
                "tenancy_resolutions_total{source=\"custom\",result=\"suspended\"} 0",
                "tenancy_resolutions_total{source=\"custom\",result=\"unknown\"} 0",
                "tenancy_resolutions_total{source=\"none\",result=\"missing\"} 1",
                "tenancy_resolutions_total{source=\"none\",result=\"resolved\"} 1",
                "tenancy_resolutions_total{source=\"principal\",result=\"error\"} 0",
                "tenancy_resolutions_total{source=\"principal\",result=\"invalid\"} 0",
                "tenancy_resolutions_total{source=\"principal\",result=\"resolved\"} 0",
                "tenancy_resolutions_total{source=\"principal\",result=\"suspended\"} 0",
                "tenancy_resolutions_total{source=\"principal\",result=\"unknown\"} 1",
                "tenancy_resolutions_total{source=\"subdomain\",result=\"error\"} 0",
                "tenancy_resolutions_total{source=\"subdomain\",result=\"invalid\"} 0",
                "tenancy_resolutions_total{source=\"subdomain\",result=\"resolved\"} 1",
                "tenancy_resolutions_total{source=\"subdomain\",result=\"suspended\"} 0",
                "tenancy_resolutions_total{source=\"subdomain\",result=\"unknown\"} 0",
            ])
        #expect(metrics.registry.trackedValueCount == 1)  // acme; never ghost
    }

    @Test func aResolvedTenantGetsAllItsSeriesAtZeroWhenFirstSeen() throws {
        let metrics = try metrics()
        metrics.tenantResolved(ResolutionEvent(result: .resolved, source: "header", tenant: try Self.tenant("acme")))
        let series = exposition(metrics.registry).split(separator: "\n").filter { $0.contains("tenant_id=\"acme\"") }
        #expect(series.count == 5 + 14 + 2 + 4 + 1)
        #expect(series.allSatisfy { $0.hasSuffix(" 0") })
    }

    @Test func tenantsBeyondTheCapAreRecordedAsOtherAndCountedPerFamily() throws {
        let metrics = try metrics(.init(maximumTenants: 1, includeProcessMetrics: false))
        let acme = try Self.tenant("acme")
        let globex = try Self.tenant("globex")
        let initech = try Self.tenant("initech")
        metrics.requestCompleted(completed(acme, .allowed))
        metrics.requestCompleted(completed(globex, .allowed, .seconds(7)))
        metrics.requestCompleted(completed(initech, .quotaRejected))
        metrics.quotaEvaluated(
            QuotaEvent(tenant: initech, outcome: .rejected(.tokens), cost: QuotaCost(), decision: nil))
        metrics.quotaEvaluated(QuotaEvent(tenant: globex, outcome: .allowed, cost: QuotaCost(tokens: 5), decision: nil))
        metrics.policyEvaluated(PolicyEvent(tenant: globex, decision: .denied(.tool, detail: "no")))
        // A real tenant spelled like the overflow value.
        metrics.requestCompleted(completed(try Self.tenant("__other__"), .badRequest))
        let text = exposition(metrics.registry)
        #expect(!text.contains("globex"))
        #expect(!text.contains("initech"))
        for line in [
            "tenancy_requests_total{tenant_id=\"__other__\",outcome=\"allowed\"} 1",
            "tenancy_requests_total{tenant_id=\"__other__\",outcome=\"bad_request\"} 1",
            "tenancy_requests_total{tenant_id=\"__other__\",outcome=\"quota_rejected\"} 1",
            "tenancy_requests_total{tenant_id=\"__other__\",outcome=\"error\"} 0",
            "tenancy_requests_total{tenant_id=\"acme\",outcome=\"allowed\"} 1",
            "tenancy_request_duration_seconds_bucket{tenant_id=\"__other__\",le=\"5\"} 0",
            "tenancy_request_duration_seconds_bucket{tenant_id=\"__other__\",le=\"10\"} 1",
            "tenancy_quota_rejections_total{tenant_id=\"__other__\",dimension=\"tokens\"} 1",
            "tenancy_policy_denials_total{tenant_id=\"__other__\",reason=\"tool\"} 1",
            "tenancy_tokens_total{tenant_id=\"__other__\"} 5",
            "tenancy_metrics_overflow_total{family=\"tenancy_requests_total\"} 3",
            "tenancy_metrics_overflow_total{family=\"tenancy_request_duration_seconds\"} 1",
            "tenancy_metrics_overflow_total{family=\"tenancy_quota_rejections_total\"} 1",
            "tenancy_metrics_overflow_total{family=\"tenancy_policy_denials_total\"} 1",
            "tenancy_metrics_overflow_total{family=\"tenancy_tokens_total\"} 1",
            "tenancy_metrics_tenants_tracked 1",
        ] {
            #expect(text.contains("\n\(line)\n"), "missing: \(line)")
        }
    }

    @Test func tenThousandTenantsStayWithinTheCapPlusOverflow() throws {
        let metrics = try metrics()
        for index in 0..<10_000 {
            let tenant = try Self.tenant("tenant-\(index)")
            metrics.tenantResolved(ResolutionEvent(result: .resolved, source: "header", tenant: tenant))
            metrics.requestCompleted(completed(tenant, .allowed))
        }
        let lines = exposition(metrics.registry).split(separator: "\n")
        let tenantValues = Set(lines.compactMap { line -> Substring? in
            guard let start = line.range(of: "tenant_id=\"") else { return nil }
            return line[start.upperBound...].prefix { $0 != "\"" }
        })
        #expect(tenantValues.count == 1_000 + 1)
        #expect(lines.filter { $0.hasPrefix("tenancy_requests_total{") }.count == (1_000 + 1) * 5)
        #expect(lines.contains("tenancy_requests_total{tenant_id=\"__other__\",outcome=\"allowed\"} 9000"))
        #expect(lines.contains("tenancy_metrics_overflow_total{family=\"tenancy_requests_total\"} 9000"))
        #expect(lines.contains("tenancy_metrics_tenants_tracked 1000"))
    }

    @Test func idleTenantsExpireAndComeBackWithFreshSeries() throws {
        let clock = ManualClock(at: Timestamp(secondsSinceEpoch: 1_800_000_000))
        let metrics = try metrics(.init(idleExpiry: .seconds(3_600), includeProcessMetrics: false), clock: clock)
        let acme = try Self.tenant("acme")
        let busy = try Self.tenant("busy")
        metrics.requestCompleted(completed(acme, .allowed))
        metrics.requestCompleted(completed(busy, .allowed))
        _ = metrics.registry.render()
        for _ in 0..<4 {
            clock.advance(by: .seconds(1_000))
            metrics.requestCompleted(completed(busy, .allowed))
            _ = metrics.registry.render()
        }
        let afterExpiry = exposition(metrics.registry)
        #expect(!afterExpiry.contains("acme"))
        #expect(afterExpiry.contains("tenancy_requests_total{tenant_id=\"busy\",outcome=\"allowed\"} 5\n"))
        #expect(afterExpiry.contains("tenancy_metrics_tenants_tracked 1\n"))
        metrics.requestCompleted(completed(acme, .policyDenied))
        let back = exposition(metrics.registry)
        #expect(back.contains("tenancy_requests_total{tenant_id=\"acme\",outcome=\"allowed\"} 0\n"))
        #expect(back.contains("tenancy_requests_total{tenant_id=\"acme\",outcome=\"policy_denied\"} 1\n"))
    }

    private let acmeAllowedOnce = "tenancy_requests_total{tenant_id=\"acme\",outcome=\"allowed\"} 1\n"

    @Test func deletingAnUnknownTenantAndOtherAdminChangesAreHarmless() throws {
        let metrics = try metrics()
        let acme = try Self.tenant("acme")
        metrics.requestCompleted(completed(acme, .allowed))
        for action in AdminEvent.Action.allCases where action != .deleted {
            metrics.adminChanged(AdminEvent(action: action, tenant: acme, version: 2, actor: nil))
        }
        metrics.adminChanged(AdminEvent(action: .deleted, tenant: try Self.tenant("ghost"), version: 1, actor: nil))
        #expect(exposition(metrics.registry).contains(acmeAllowedOnce))
        metrics.adminChanged(AdminEvent(action: .deleted, tenant: acme, version: 3, actor: "ops"))
        #expect(!exposition(metrics.registry).contains("acme"))
        metrics.requestCompleted(completed(acme, .allowed))
        #expect(exposition(metrics.registry).contains(acmeAllowedOnce))
    }

    @Test func theHandleIndexesFollowTheDeclarationOrderOfTheEnums() {
        #expect(RequestOutcome.allCases.map(TenantHandles.index(of:)) == Array(0..<RequestOutcome.allCases.count))
        #expect(QuotaDimension.allCases.map(TenantHandles.index(of:)) == Array(0..<QuotaDimension.allCases.count))
        #expect(
            PolicyDenialReason.allCases.map(TenantHandles.index(of:)) == Array(0..<PolicyDenialReason.allCases.count))
    }

    @Test func theDefaultConfigurationIsTheDesignContract() {
        let configuration = TenantMetrics.Configuration()
        #expect(configuration.namespace == "tenancy")
        #expect(configuration.maximumTenants == 1_000)
        #expect(configuration.idleExpiry == nil)
        #expect(configuration.durationBuckets == [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
        #expect(configuration.includeProcessMetrics)
        #expect(configuration.version == TenantMetrics.Configuration.libraryVersion)
    }
}
