import Testing

@testable import TenancyMetrics

/// A registry with one family of each type and a few series, rendered identically every time.
func sampleRegistry() throws -> MetricsRegistry {
    let registry = try plainRegistry()
    let requests = try registry.counterVec(name: "app_requests_total", help: "Requests.", labelNames: ["tenant_id"])
    try requests.labels("acme").increment(by: 3)
    try requests.labels("globex").increment()
    try registry.gauge(name: "app_queue_depth", help: "Queue depth.").set(7)
    try registry.histogram(name: "app_latency_seconds", help: "Latency.", buckets: [0.1, 1]).observe(0.25)
    return registry
}

/// A started listener on an ephemeral loopback port, and that port.
func startedListener(
    _ registry: MetricsRegistry,
    _ configuration: MetricsListener.Configuration = .init(port: 0)
) throws -> (listener: MetricsListener, port: Int) {
    let listener = try MetricsListener(registry: registry, configuration: configuration)
    try listener.start()
    let port = try #require(listener.port)
    return (listener, port)
}

/// A started listener on an ephemeral port whose render closure appends `body`.
func startedListener(
    serving body: [UInt8],
    _ configuration: MetricsListener.Configuration = .init(port: 0)
) throws -> (listener: MetricsListener, port: Int) {
    let listener = try MetricsListener(configuration: configuration) { $0.append(contentsOf: body) }
    try listener.start()
    let port = try #require(listener.port)
    return (listener, port)
}

/// The headers of every exposition response, in order.
func metricsHeaderLines(contentLength: Int) -> [String] {
    [
        "Content-Type: text/plain; version=0.0.4; charset=utf-8", "Content-Length: \(contentLength)",
        "Connection: close",
    ]
}
