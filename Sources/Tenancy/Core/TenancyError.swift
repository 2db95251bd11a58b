/// The error every `Tenancy` API throws: a stable ``code`` to branch on and a human ``message`` to log.
///
/// New codes can be added without breaking callers, so switch over ``code`` with a `default` branch.
public struct TenancyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The snake_case spelling used in logs and JSON bodies.
        public let rawValue: String

        private init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        /// A tenant ID failed validation.
        public static let invalidTenantID = Code("invalid_tenant_id")
        /// No tenant with the given ID exists.
        public static let tenantNotFound = Code("tenant_not_found")
        /// A tenant with the given ID already exists.
        public static let tenantExists = Code("tenant_exists")
        /// An optimistic-concurrency check on `version` failed.
        public static let versionConflict = Code("version_conflict")
        /// A configuration failed validation; ``TenancyError/fieldErrors`` says where.
        public static let invalidConfiguration = Code("invalid_configuration")
        /// A quota cost was negative.
        public static let invalidCost = Code("invalid_cost")
        /// An operation needed a tenant and none was bound.
        public static let tenantRequired = Code("tenant_required")
        /// A backend (config store, quota store, cache) failed.
        public static let backendUnavailable = Code("backend_unavailable")
        /// An argument was out of its documented range.
        public static let invalidArgument = Code("invalid_argument")

        public var description: String { rawValue }
    }

    /// One field that failed validation, named by its JSON path (for example `quota.limits[0].requests`).
    public struct FieldError: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The JSON path of the field, in the snake_case spelling of the admin API.
        public var field: String
        /// What is wrong with it.
        public var message: String

        /// Creates a field error.
        /// - Parameters:
        ///   - field: The JSON path of the field.
        ///   - message: What is wrong with it.
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }

        public var description: String { "\(field): \(message)" }
    }

    /// What went wrong, in a form that survives refactoring.
    public var code: Code
    /// What went wrong, for humans. Never contains secrets; may quote a bounded prefix of bad input.
    public var message: String
    /// Per-field details of a validation failure; empty for other errors.
    public var fieldErrors: [FieldError]

    /// Creates an error.
    /// - Parameters:
    ///   - code: The stable code.
    ///   - message: A human-readable explanation.
    ///   - fieldErrors: Per-field details for validation failures.
    public init(_ code: Code, _ message: String, fieldErrors: [FieldError] = []) {
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
    }

    public var description: String {
        guard !fieldErrors.isEmpty else { return "\(code): \(message)" }
        return "\(code): \(message) (\(fieldErrors.map(\.description).joined(separator: "; ")))"
    }
}
