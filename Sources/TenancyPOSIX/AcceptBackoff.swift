/// The pause after an `accept` failure that is not the connection's fault (no descriptors, no memory):
/// 10 ms, doubling up to 1 s, back to the start after a success. Without it an accept loop would spin at
/// full speed on a connection it cannot take.
package struct AcceptBackoff: Sendable {
    /// The first pause.
    package static let first = Duration.milliseconds(10)
    /// The longest pause.
    package static let maximum = Duration.seconds(1)

    private var current: Duration?

    /// Starts with no failure.
    package init() {}

    /// The next pause.
    package mutating func next() -> Duration {
        let pause = current.map { min($0 * 2, Self.maximum) } ?? Self.first
        current = pause
        return pause
    }

    /// Starts over after a success.
    package mutating func reset() {
        current = nil
    }
}
