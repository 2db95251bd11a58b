/// A series of a family: a ``Counter``, ``Gauge`` or ``Histogram``.
protocol FamilyChild: AnyObject, Sendable {
    /// The series' labels.
    var series: SeriesLabels { get }
    /// A number that changes whenever the series' value changes, for idle-expiry sweeps.
    var activityFingerprint: UInt64 { get }
}

extension FamilyChild {
    /// Mixes `bits` (splitmix64's finaliser) so that summing fingerprints of many series still changes
    /// when any one of them changes.
    @inline(__always)
    static func mix(_ bits: UInt64) -> UInt64 {
        var x = bits &+ 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }
}
