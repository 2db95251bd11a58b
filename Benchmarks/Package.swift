// swift-tools-version:6.2
import PackageDescription

// The benchmarks live in their own package so that the root package keeps zero dependencies. Groups that
// measure a peer (swift-prometheus, Hummingbird) add its package here, never to the root.
let package = Package(
    name: "swift-tenancy-benchmarks",
    platforms: [.macOS(.v26)],
    products: [
        .executable(name: "tenancy-bench", targets: ["TenancyBench"]),
        // The load run (scripts/load.sh) drives these two servers with wrk, one after the other.
        .executable(name: "tenancy-ping-server", targets: ["TenancyPingServer"]),
        .executable(name: "hummingbird-ping-server", targets: ["HummingbirdPingServer"]),
    ],
    dependencies: [
        .package(name: "swift-tenancy", path: ".."),
        // The metrics group measures swift-prometheus side by side with TenancyMetrics; the Hummingbird ping
        // server records its metrics with it.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Only for HUMMINGBIRD_EVENT_LOOPS: the ping server's own event loop group, like TENANCY_EVENT_LOOPS.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The peer HTTP stack of the load run. Its default traits only add swift-configuration readers and
        // Foundation's URL-form coding, neither on the measured path; turning them off saves a long build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Hummingbird's header types (`HTTPField.Name`), already in its graph.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // glibc's mallinfo2/malloc_trim are not exported by Swift's Glibc module; a two-function C shim.
        .target(name: "CBenchSupport"),
        .executableTarget(
            name: "TenancyBench",
            dependencies: [
                "CBenchSupport",
                .product(name: "Tenancy", package: "swift-tenancy"),
                .product(name: "TenancyMetrics", package: "swift-tenancy"),
                .product(name: "TenancySQLite", package: "swift-tenancy"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // What both ping servers share, so they do the same tenancy work: the tenants, the gate's
        // configuration, the command line and the response body.
        .target(
            name: "PingServerSupport",
            dependencies: [.product(name: "Tenancy", package: "swift-tenancy")]
        ),
        .executableTarget(
            name: "TenancyPingServer",
            dependencies: [
                "PingServerSupport",
                .product(name: "Tenancy", package: "swift-tenancy"),
                .product(name: "TenancyMetrics", package: "swift-tenancy"),
                .product(name: "TenancyHTTP", package: "swift-tenancy"),
            ]
        ),
        .executableTarget(
            name: "HummingbirdPingServer",
            dependencies: [
                "PingServerSupport",
                .product(name: "Tenancy", package: "swift-tenancy"),
                // Only for `RequestIDMiddleware.randomID()`, so both servers generate request IDs with the
                // same code (see PingRequestID.swift).
                .product(name: "TenancyHTTP", package: "swift-tenancy"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
