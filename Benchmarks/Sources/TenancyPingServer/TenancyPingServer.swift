import Foundation
import PingServerSupport
import Tenancy
import TenancyHTTP
import TenancyMetrics

/// `GET /api/v1/ping` on our ``HTTPServer`` and ``Router`` through the demo's tenant middleware stack:
/// recovery and request ID for every route, then the completion observer and ``TenantMiddleware`` over an
/// ``AdmissionGate`` (in-memory configs, in-process fixed-window quota) for the tenant routes, with
/// ``TenantMetrics`` as the observer. The demo's request log, SQLite stores and admin routes are left out:
/// they are not part of the stack being compared.
@main
struct TenancyPingServer {
    static func main() async throws {
        let options = PingOptions.parse(Array(CommandLine.arguments.dropFirst()), program: "tenancy-ping-server")
        let metrics = try TenantMetrics()
        let observers = TenancyObservers([metrics])
        let gate = AdmissionGate(
            store: try PingTenants.makeStore(), quota: QuotaEnforcer(store: InMemoryQuotaStore()),
            observers: observers)

        var router = Router(middleware: [RecoveryMiddleware(), RequestIDMiddleware()])
        let completion = RequestCompletionMiddleware(observers: observers)
        try router.group("/api/v1", middleware: [completion, TenantMiddleware(gate: gate)]) { api in
            try api.get("/ping") { request in
                try .json(Pong(tenant: request.tenant?.rawValue ?? ""))
            }
        }

        // The server's default (one loop per processor but one); TENANCY_EVENT_LOOPS overrides it for experiments.
        let loops = ProcessInfo.processInfo.environment["TENANCY_EVENT_LOOPS"].flatMap(Int.init) ?? HTTPServer.defaultEventLoops
        let server = try HTTPServer(
            configuration: .init(host: options.host, port: options.port, eventLoops: loops), handler: router.handler)
        try server.start()
        PingOptions.announce(server.localAddress ?? "?")
        // Serves until the process is signalled; the load script stops it with SIGTERM.
        try await server.run()
    }
}
