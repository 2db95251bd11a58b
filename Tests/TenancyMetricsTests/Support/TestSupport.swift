import Tenancy
import Testing

@testable import TenancyMetrics

/// The exposition as text, for byte-exact comparisons with multi-line string literals.
func exposition(_ registry: MetricsRegistry) -> String {
    String(decoding: registry.render(), as: UTF8.self)
}

/// A registry without the cardinality bound, so goldens contain only the families under test.
func plainRegistry(maximumLabelValueBytes: Int = 256) throws -> MetricsRegistry {
    try MetricsRegistry(configuration: .init(cardinality: nil, maximumLabelValueBytes: maximumLabelValueBytes))
}

/// Monotonic time that moves only when told to, for idle-expiry tests.
final class ManualNow: Sendable {
    private let time = Synchronized<Duration>(.zero)

    var now: Duration { time.withLock { $0 } }

    func advance(by duration: Duration) {
        time.withLock { $0 += duration }
    }

    var closure: @Sendable () -> Duration { { self.now } }
}
