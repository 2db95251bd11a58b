import Tenancy

/// An ``HTTPRequest`` as the core gate reads it. `HTTPRequest` cannot conform to `AdmissionRequest` itself
/// because its ``HTTPRequest/method`` is an ``HTTPMethod``, not a `String`; this view is what the tenant
/// middleware passes to `AdmissionGate`, and what a custom resolution strategy receives.
public struct HTTPAdmissionRequest: AdmissionRequest, Sendable {
    /// The request viewed.
    public let request: HTTPRequest

    /// Creates the view.
    /// - Parameter request: The request.
    public init(_ request: HTTPRequest) {
        self.request = request
    }

    /// The method token.
    public var method: String { request.method.rawValue }
    /// The request target as received.
    public var target: String { request.target }
    /// The `Host` field when there is exactly one.
    public var host: String? { request.host }
    /// The authenticated identity.
    public var principal: Principal? { request.principal }

    /// The value of the field `name`, repeats combined with `", "` so duplicates can never be ignored.
    /// - Parameter name: The field name, case-insensitive.
    /// - Returns: The combined value, or `nil` when absent.
    public func header(_ name: String) -> String? {
        request.headers.fields.combinedValue(of: name)
    }
}

extension HTTPRequest {
    /// The request as the core `AdmissionGate` reads it.
    public var admissionRequest: HTTPAdmissionRequest { HTTPAdmissionRequest(self) }
}

extension HTTPAdmissionRequest {
    /// A token estimator for `AdmissionGate.Configuration.tokenEstimator`: the body's size divided by
    /// `bytesPerToken`, rounded up (4 bytes per token is a common rule of thumb for English text). The gate
    /// charges the larger of this and a declared `X-Token-Count`, so a client cannot under-declare.
    /// - Parameter bytesPerToken: Bytes per token; values under 1 count as 1.
    /// - Returns: The estimator; it estimates nothing for requests that are not ``HTTPAdmissionRequest``s.
    public static func bodySizeEstimator(bytesPerToken: Int = 4) -> @Sendable (any AdmissionRequest) -> Int64? {
        let divisor = max(bytesPerToken, 1)
        return { request in
            guard let request = request as? HTTPAdmissionRequest else { return nil }
            return Int64((request.request.body.count + divisor - 1) / divisor)
        }
    }
}
