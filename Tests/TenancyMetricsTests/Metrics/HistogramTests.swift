import Testing

@testable import TenancyMetrics

@Suite struct HistogramTests {
    @Test func anUnlabeledHistogramRendersCumulativeBucketsThenSumAndCount() throws {
        let registry = try plainRegistry()
        let histogram = try registry.histogram(
            name: "request_duration_seconds", help: "Request duration.", buckets: [0.1, 0.5, 1])
        for value in [0.05, 0.1, 0.3, 0.7, 2, 3] { histogram.observe(value) }
        #expect(
            exposition(registry) == """
                # HELP request_duration_seconds Request duration.
                # TYPE request_duration_seconds histogram
                request_duration_seconds_bucket{le="0.1"} 2
                request_duration_seconds_bucket{le="0.5"} 3
                request_duration_seconds_bucket{le="1"} 4
                request_duration_seconds_bucket{le="+Inf"} 6
                request_duration_seconds_sum 6.15
                request_duration_seconds_count 6

                """)
    }

    @Test func theDefaultBucketsAreSpelledLikeClientGolang() throws {
        let registry = try plainRegistry()
        _ = try registry.histogram(name: "latency_seconds", help: "Latency.")
        #expect(
            exposition(registry) == """
                # HELP latency_seconds Latency.
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.005"} 0
                latency_seconds_bucket{le="0.01"} 0
                latency_seconds_bucket{le="0.025"} 0
                latency_seconds_bucket{le="0.05"} 0
                latency_seconds_bucket{le="0.1"} 0
                latency_seconds_bucket{le="0.25"} 0
                latency_seconds_bucket{le="0.5"} 0
                latency_seconds_bucket{le="1"} 0
                latency_seconds_bucket{le="2.5"} 0
                latency_seconds_bucket{le="5"} 0
                latency_seconds_bucket{le="10"} 0
                latency_seconds_bucket{le="+Inf"} 0
                latency_seconds_sum 0
                latency_seconds_count 0

                """)
    }

    @Test func largeAndTinyBoundsAreSpelledGoStyle() throws {
        let registry = try plainRegistry()
        _ = try registry.histogram(
            name: "size_bytes", help: "Sizes.", buckets: [-1, 0, 0.00001, 100_000, 1_000_000, 2.5e9])
        let text = exposition(registry)
        for le in ["-1", "0", "1e-05", "100000", "1e+06", "2.5e+09", "+Inf"] {
            #expect(text.contains("size_bytes_bucket{le=\"\(le)\"} 0\n"))
        }
    }

    @Test(arguments: [
        (0.1, [1, 1, 1, 1]), (0.100_000_000_1, [0, 1, 1, 1]), (-5, [1, 1, 1, 1]), (1, [0, 0, 1, 1]),
        (Double.infinity, [0, 0, 0, 1]), (-Double.infinity, [1, 1, 1, 1]),
    ] as [(Double, [UInt64])])
    func anObservationLandsInTheFirstBucketWhoseBoundIsAtLeastIt(value: Double, cumulative: [UInt64]) throws {
        let histogram = try plainRegistry().histogram(name: "h", help: "H.", buckets: [0.1, 0.5, 1])
        histogram.observe(value)
        #expect(histogram.snapshot.buckets.map(\.cumulativeCount) == cumulative)
        #expect(histogram.snapshot.count == 1)
    }

    @Test func nanObservationsAreIgnored() throws {
        let histogram = try plainRegistry().histogram(name: "h", help: "H.", buckets: [1])
        histogram.observe(.nan)
        histogram.observe(2)
        let buckets: [HistogramSnapshot.Bucket] = [
            .init(upperBound: 1, cumulativeCount: 0), .init(upperBound: .infinity, cumulativeCount: 1),
        ]
        let expected = HistogramSnapshot(buckets: buckets, sum: 2)
        #expect(histogram.snapshot == expected)
    }

    @Test func durationsAreObservedInSeconds() throws {
        let histogram = try plainRegistry().histogram(name: "h_seconds", help: "H.", buckets: [0.01, 1])
        histogram.observe(Duration.milliseconds(5))
        histogram.observe(Duration.seconds(2) + .nanoseconds(500_000_000))
        #expect(histogram.snapshot.sum == 2.505)
        #expect(histogram.snapshot.buckets.map(\.cumulativeCount) == [1, 1, 2])
    }

    @Test func aHistogramWithoutFiniteBucketsHasOnlyTheInfBucket() throws {
        let registry = try plainRegistry()
        let histogram = try registry.histogram(name: "h", help: "H.", buckets: [])
        histogram.observe(3)
        #expect(
            exposition(registry) == """
                # HELP h H.
                # TYPE h histogram
                h_bucket{le="+Inf"} 1
                h_sum 3
                h_count 1

                """)
    }

    @Test func anEmptySnapshotCountsZero() {
        #expect(HistogramSnapshot(buckets: [], sum: 0).count == 0)
    }
}
