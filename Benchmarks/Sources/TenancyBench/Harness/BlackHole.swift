import Synchronization

/// Where checksums go. An atomic global the optimiser must assume is observed, written once per batch.
private let sink = Atomic<UInt64>(0)

/// Consumes `value` so the computation that produced it cannot be eliminated as dead code.
@inline(never)
func blackHole(_ value: UInt64) {
    sink.wrappingAdd(value, ordering: .relaxed)
}
