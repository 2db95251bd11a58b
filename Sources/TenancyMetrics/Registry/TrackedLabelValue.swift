import Synchronization

/// One distinct value of the registry's bounded label (a tenant), shared by every series that carries it.
///
/// Series hold a reference so that an idle-expiry sweep can add up their activity without hashing
/// strings, and so that handle caches can notice, with one relaxed load, that the value has expired.
final class TrackedLabelValue: Sendable {
    /// The label value.
    let value: String
    /// Scratch space of a sweep: the sum of the fingerprints of this value's series.
    let activity = Atomic<UInt64>(0)
    /// Set once the value has expired and its series have been (or are being) removed.
    let expired = Atomic<Bool>(false)

    init(_ value: String) {
        self.value = value
    }

    /// Whether the value has expired; handles that carry it must be looked up again.
    var isExpired: Bool { expired.load(ordering: .relaxed) }
}
