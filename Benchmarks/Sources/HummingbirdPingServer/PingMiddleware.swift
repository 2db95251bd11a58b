import HTTPTypes
import Hummingbird
import Tenancy

/// Answers an error from the rest of the chain with a problem document, like `RecoveryMiddleware`: an
/// error that carries a status (Hummingbird's `HTTPResponseError`) keeps it, anything else is a 500.
struct PingRecoveryMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: PingRequestContext,
        next: (Request, PingRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        } catch {
            return Problem.response(
                status: 500, headers: [],
                body: #"{"type":"about:blank","title":"Internal Server Error","status":500,"code":"internal_error"}"#)
        }
    }
}

/// Gives every request an ID and echoes it, with `RequestIDMiddleware`'s rules: a single client
/// `X-Request-ID` of 1-128 bytes from `A-Z a-z 0-9 - _ . : + / = @` is kept, anything else is replaced by
/// 128 random bits in hex.
struct PingRequestIDMiddleware: RouterMiddleware {
    static let field = HTTPField.Name("X-Request-ID")!

    func handle(
        _ request: Request, context: PingRequestContext,
        next: (Request, PingRequestContext) async throws -> Response
    ) async throws -> Response {
        let given = request.headers[values: Self.field]
        var id = given.count == 1 ? given[0] : ""
        if !Self.isValid(id) { id = Self.randomID() }
        var identified = context
        identified.requestID = id
        var response = try await next(request, identified)
        response.headers[Self.field] = id
        return response
    }

    private static func isValid(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    return true
                default:
                    return "-_.:+/=@".utf8.contains(byte)
                }
            }
    }

    private static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex(generator.next()) + hex(generator.next())
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Times each request and reports it as `requestCompleted` with the status, the duration, and the tenant
/// and outcome the tenant middleware recorded, like `RequestCompletionMiddleware`.
struct PingCompletionMiddleware: RouterMiddleware {
    let observers: TenancyObservers

    func handle(
        _ request: Request, context: PingRequestContext,
        next: (Request, PingRequestContext) async throws -> Response
    ) async throws -> Response {
        let record = CompletionRecord()
        var recorded = context
        recorded.completion = record
        let clock = ContinuousClock()
        let start = clock.now
        var status = 500
        defer {
            let (tenant, outcome) = record.value
            observers.requestCompleted(
                CompletionEvent(tenant: tenant, outcome: outcome, status: status, duration: start.duration(to: clock.now)))
        }
        let response = try await next(request, recorded)
        status = response.status.code
        return response
    }
}

/// The whole tenant gate, like `TenantMiddleware`: one `AdmissionGate.admit` (header resolution, config
/// lookup, policy, quota); an admitted request runs with the tenant bound in `TenantContext` and gets the
/// quota's rate-limit fields, a refused one gets the gate's problem document.
struct PingTenantMiddleware: RouterMiddleware {
    let gate: AdmissionGate

    func handle(
        _ request: Request, context: PingRequestContext,
        next: (Request, PingRequestContext) async throws -> Response
    ) async throws -> Response {
        switch await gate.admit(HummingbirdAdmissionRequest(request)) {
        case .admitted(let admitted):
            guard let config = admitted.config else { return try await next(request, context) }
            context.completion?.record(tenant: config.id, outcome: .allowed)
            var admittedContext = context
            admittedContext.tenant = config.id
            var response = try await withTenant(config.id) { try await next(request, admittedContext) }
            for field in admitted.responseHeaders {
                if let name = HTTPField.Name(field.name) { response.headers.append(HTTPField(name: name, value: field.value)) }
            }
            return response
        case .rejected(let rejection):
            context.completion?.record(tenant: rejection.tenant, outcome: rejection.outcome)
            return Problem.response(status: rejection.status, headers: rejection.headers, body: rejection.body())
        }
    }
}

/// A Hummingbird request as the core gate reads it (`HTTPAdmissionRequest`'s counterpart).
struct HummingbirdAdmissionRequest: AdmissionRequest {
    let request: Request

    init(_ request: Request) {
        self.request = request
    }

    var method: String { request.method.rawValue }
    var target: String { request.head.path ?? "/" }
    var host: String? { request.head.authority }
    var principal: Principal? { nil }

    /// Repeated fields combined with `", "`, as the gate requires.
    func header(_ name: String) -> String? {
        guard let name = HTTPField.Name(name) else { return nil }
        let values = request.headers[values: name]
        switch values.count {
        case 0: return nil
        case 1: return values[0]
        default: return values.joined(separator: ", ")
        }
    }
}

/// `application/problem+json` responses.
enum Problem {
    static let contentType = HTTPField.Name.contentType

    static func response(status: Int, headers: [HeaderField], body: String) -> Response {
        var fields = HTTPFields()
        fields[contentType] = AdmissionRejection.contentType
        for header in headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
