/// A refused request: the status, headers and `application/problem+json` body (RFC 9457) of the DESIGN.md
/// HTTP contract.
public struct AdmissionRejection: Hashable, Sendable, Error {
    /// The stable `code` member of every problem body.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The snake_case spelling.
        public let rawValue: String

        /// Creates a code; the gate's own are the constants below, other layers (the HTTP router's 404, a
        /// handler's 400) render their problems with codes of their own.
        /// - Parameter rawValue: The snake_case spelling.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// 401: no strategy found a tenant.
        public static let tenantRequired = Code("tenant_required")
        /// 400: the tenant ID is malformed.
        public static let tenantInvalidID = Code("tenant_invalid_id")
        /// 403: no such tenant.
        public static let tenantUnknown = Code("tenant_unknown")
        /// 403: the tenant is suspended.
        public static let tenantSuspended = Code("tenant_suspended")
        /// 403: the tenant's policy denies the request.
        public static let tenantPolicyDenied = Code("tenant_policy_denied")
        /// 429: the tenant's quota is exhausted, or the cost can never fit.
        public static let tenantQuotaExceeded = Code("tenant_quota_exceeded")
        /// 400: the token count is negative or malformed.
        public static let invalidTokenCount = Code("invalid_token_count")
        /// 503: the config or quota backend failed.
        public static let tenantBackendUnavailable = Code("tenant_backend_unavailable")

        public var description: String { rawValue }
    }

    /// The HTTP status.
    public var status: Int
    /// The problem code.
    public var code: Code
    /// A short, fixed summary of the problem type.
    public var title: String
    /// What happened to this request; safe to show the client.
    public var detail: String
    /// The resolved tenant, when the request got that far; the `tenant_id` of per-tenant metrics.
    public var tenant: TenantID?
    /// The `outcome` for `tenancy_requests_total`; `nil` when no tenant was resolved.
    public var outcome: RequestOutcome?
    /// Extra problem members: `reason` for policy denials, `dimension` and `window` for quota rejections.
    public var extensions: [(key: String, value: String)]
    /// Response header fields besides `Content-Type` (`Retry-After`, `RateLimit`, `WWW-Authenticate`).
    public var headers: [HeaderField]

    /// Creates a rejection.
    public init(
        status: Int, code: Code, title: String, detail: String, tenant: TenantID? = nil,
        outcome: RequestOutcome? = nil, extensions: [(key: String, value: String)] = [], headers: [HeaderField] = []
    ) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.tenant = tenant
        self.outcome = outcome
        self.extensions = extensions
        self.headers = headers
    }

    /// The media type of ``body(typeBase:)``.
    public static let contentType = "application/problem+json"

    /// The problem document: `type`, `title`, `status`, `detail`, `code`, then the extensions, in that order.
    /// - Parameter typeBase: Prefix of the `type` URI; the code is appended.
    /// - Returns: The JSON text.
    public func body(typeBase: String = AdmissionGate.Configuration.defaultProblemTypeBase) -> String {
        var json = "{\"type\":"
        JSON.appendString(typeBase + code.rawValue, to: &json)
        json += ",\"title\":"
        JSON.appendString(title, to: &json)
        json += ",\"status\":\(status),\"detail\":"
        JSON.appendString(detail, to: &json)
        json += ",\"code\":"
        JSON.appendString(code.rawValue, to: &json)
        for (key, value) in extensions {
            json += ","
            JSON.appendString(key, to: &json)
            json += ":"
            JSON.appendString(value, to: &json)
        }
        return json + "}"
    }

    public static func == (lhs: AdmissionRejection, rhs: AdmissionRejection) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.title == rhs.title && lhs.detail == rhs.detail
            && lhs.tenant == rhs.tenant && lhs.outcome == rhs.outcome && lhs.headers == rhs.headers
            && lhs.extensions.elementsEqual(rhs.extensions, by: { $0.key == $1.key && $0.value == $1.value })
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(code)
        hasher.combine(detail)
    }
}

/// Minimal JSON string escaping (RFC 8259): quotes, backslashes and control characters.
enum JSON {
    static func appendString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                output += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
