import Tenancy

/// Builds the response for a request the tenant gate refused, instead of the default problem document.
/// Receives the request and the gate's rejection (its status, code, detail and header fields, such as
/// `Retry-After` and `RateLimit`, which a custom response should usually keep).
public typealias RejectionResponder = @Sendable (HTTPRequest, AdmissionRejection) async -> HTTPResponse
