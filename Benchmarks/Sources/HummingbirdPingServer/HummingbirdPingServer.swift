import Foundation
import Hummingbird
import NIOPosix
import PingServerSupport
import Tenancy

/// `GET /api/v1/ping` on Hummingbird 2 with middleware equivalent to `tenancy-ping-server`'s: recovery
/// and request ID for every route, then the completion observer and the tenant gate for `/api/v1`. The
/// tenancy work is the same core `AdmissionGate` over the same tenants; the metrics go to swift-prometheus
/// (``PrometheusTenancyObserver``) instead of `TenantMetrics`. What differs is the HTTP stack: SwiftNIO's
/// event loops, channel pipeline and HTTP/1 codec, Hummingbird's router and middleware.
@main
struct HummingbirdPingServer {
    static func main() async throws {
        let options = PingOptions.parse(Array(CommandLine.arguments.dropFirst()), program: "hummingbird-ping-server")
        let observers = TenancyObservers([PrometheusTenancyObserver()])
        let gate = AdmissionGate(
            store: try PingTenants.makeStore(), quota: QuotaEnforcer(store: InMemoryQuotaStore()),
            observers: observers)

        let router = Router(context: PingRequestContext.self)
        router.add(middleware: PingRecoveryMiddleware())
        router.add(middleware: PingRequestIDMiddleware())
        router.group("api/v1")
            .add(middleware: PingCompletionMiddleware(observers: observers))
            .add(middleware: PingTenantMiddleware(gate: gate))
            .get("ping") { _, context -> Pong in
                Pong(tenant: context.tenant?.rawValue ?? "")
            }

        // NIO's singleton group (one loop per processor) by default, as Hummingbird ships; HUMMINGBIRD_EVENT_LOOPS
        // sets the count, for the same experiment as the tenancy server's TENANCY_EVENT_LOOPS.
        let loops = ProcessInfo.processInfo.environment["HUMMINGBIRD_EVENT_LOOPS"].flatMap(Int.init)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                PingOptions.announce(channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?")
            },
            eventLoopGroupProvider: loops.map { .shared(MultiThreadedEventLoopGroup(numberOfThreads: $0)) } ?? .singleton)
        try await app.runService()
    }
}

/// The body is encoded with the context's JSON encoder (Hummingbird's default `JSONEncoder`).
extension Pong: ResponseEncodable {}
