import Tenancy
import TenancyHTTP

#if canImport(Glibc)
import Glibc
#endif

/// One line per request on standard output, in logfmt:
/// `request method=GET path=/api/v1/ping status=200 tenant=acme duration_ms=0.41 request_id=...`.
///
/// The middleware runs outermost, so it sees every request (admin, health, refused ones too); the tenant
/// is learnt as an observer of the gate, which reports the resolution inside the same task, through a
/// task-local record the middleware installs.
struct RequestLog: Middleware, TenancyObserver {
    /// What the gate resolved for the request being logged.
    final class Record: Sendable {
        let tenant = Synchronized<String?>(nil)
    }

    @TaskLocal static var record: Record?

    func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        let record = Record()
        let start = ContinuousClock.now
        let response: HTTPResponse
        do {
            response = try await Self.$record.withValue(record) { try await next(request) }
        } catch {
            Self.write(request, status: 500, tenant: record.tenant.withLock { $0 }, since: start)
            throw error
        }
        Self.write(request, status: response.status.code, tenant: record.tenant.withLock { $0 }, since: start)
        return response
    }

    func tenantResolved(_ event: ResolutionEvent) {
        guard let tenant = event.tenant, let record = Self.record else { return }
        record.tenant.withLock { $0 = tenant.rawValue }
    }

    private static func write(_ request: HTTPRequest, status: Int, tenant: String?, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        var line = "request method=\(request.method.rawValue) path=\(Logfmt.value(request.path)) status=\(status)"
        line += " tenant=\(tenant ?? "-") duration_ms=\((milliseconds * 1_000).rounded() / 1_000)"
        if let id = request.requestID { line += " request_id=\(Logfmt.value(id))" }
        Console.line(line)
    }
}
