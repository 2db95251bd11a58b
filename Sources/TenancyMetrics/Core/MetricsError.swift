/// The error every `TenancyMetrics` API throws: a stable ``code`` to branch on and a human ``message`` to log.
///
/// The registry never traps on what callers pass it: bad names, conflicting registrations, a wrong number
/// of label values or an oversized label value all come back as a `MetricsError`. New codes can be added
/// without breaking callers, so switch over ``code`` with a `default` branch.
public struct MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The snake_case spelling used in logs.
        public let rawValue: String

        private init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        /// A metric name is not `[a-zA-Z_:][a-zA-Z0-9_:]*` or starts with the reserved `__`.
        public static let invalidMetricName = Code("invalid_metric_name")
        /// A label name is not `[a-zA-Z_][a-zA-Z0-9_]*`, starts with the reserved `__`, is `le` on a
        /// histogram, or appears twice in one schema.
        public static let invalidLabelName = Code("invalid_label_name")
        /// Histogram buckets are not finite and strictly increasing.
        public static let invalidBuckets = Code("invalid_buckets")
        /// A family with the same name (or a clashing `_bucket`/`_sum`/`_count` series name) is already
        /// registered with a different definition.
        public static let conflictingRegistration = Code("conflicting_registration")
        /// The number of label values differs from the family's label names.
        public static let labelCountMismatch = Code("label_count_mismatch")
        /// A label value is longer than ``MetricsRegistry/Configuration/maximumLabelValueBytes``.
        public static let labelValueTooLong = Code("label_value_too_long")
        /// A value cannot be recorded, such as a negative or NaN counter increment.
        public static let invalidValue = Code("invalid_value")
        /// A registry or observer configuration is out of its documented range.
        public static let invalidConfiguration = Code("invalid_configuration")
        /// The ``MetricsListener``'s host is not an IP address of this machine, or its port is out of range.
        public static let invalidAddress = Code("invalid_address")
        /// The ``MetricsListener``'s address is already taken by another socket.
        public static let addressInUse = Code("address_in_use")
        /// The ``MetricsListener`` could not start: a socket call or thread creation failed (the message names
        /// the call and the system error), such as too many open files or a privileged port.
        public static let listenerFailure = Code("listener_failure")

        /// The snake_case spelling.
        public var description: String { rawValue }
    }

    /// What went wrong, in a form that survives refactoring.
    public var code: Code
    /// What went wrong, for humans; quotes at most a bounded prefix of bad input.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The stable code.
    ///   - message: A human-readable explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`, for logs.
    public var description: String { "\(code): \(message)" }

    /// `value` quoted for a message, cut to its first 64 characters so hostile input stays bounded.
    static func quote(_ value: String) -> String {
        let limit = 64
        guard value.count > limit else { return "'\(value)'" }
        return "'\(value.prefix(limit))...'"
    }
}
