// swift-tools-version:6.2
import PackageDescription

// Async functions run on their caller's executor instead of hopping to the global one: the gate and
// the quota engines are async so that remote stores can plug in, but the in-memory path never suspends
// and must not pay for executor switches.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("NonisolatedNonsendingByDefault")
]

// The root package depends on no other package: Foundation, Dispatch, Synchronization, Glibc and the
// system libsqlite3 only. Benchmarks and adapters that need ecosystem packages live in sub-packages.
let package = Package(
    name: "swift-tenancy",
    platforms: [.macOS(.v26)],
    products: [
        .library(name: "Tenancy", targets: ["Tenancy"]),
        .library(name: "TenancyMetrics", targets: ["TenancyMetrics"]),
        .library(name: "TenancySQLite", targets: ["TenancySQLite"]),
        .library(name: "TenancyHTTP", targets: ["TenancyHTTP"]),
        // Everything above behind one import.
        .library(name: "SwiftTenancy", targets: ["SwiftTenancy"]),
        .executable(name: "tenancy-demo", targets: ["TenancyDemo"]),
    ],
    targets: [
        .target(name: "Tenancy", swiftSettings: swiftSettings),
        // The servers' syscall layer (sockets, epoll, threads); the C shim reaches what Glibc leaves out.
        .target(name: "CTenancyPOSIX"),
        .target(name: "TenancyPOSIX", dependencies: ["CTenancyPOSIX"], swiftSettings: swiftSettings),
        .target(name: "TenancyMetrics", dependencies: ["Tenancy", "TenancyPOSIX"], swiftSettings: swiftSettings),
        // The system SQLite (apt libsqlite3-dev); shim.h wraps the variadic calls Swift cannot make.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "TenancySQLite", dependencies: ["Tenancy", "CSQLite"], swiftSettings: swiftSettings),
        .target(name: "TenancyHTTP", dependencies: ["Tenancy", "TenancyMetrics", "TenancyPOSIX"], swiftSettings: swiftSettings),
        .target(
            name: "SwiftTenancy", dependencies: ["Tenancy", "TenancyHTTP", "TenancyMetrics", "TenancySQLite"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "TenancyDemo", dependencies: ["Tenancy", "TenancyMetrics", "TenancySQLite", "TenancyHTTP"],
            swiftSettings: swiftSettings),
        // A raw-socket HTTP client and polling helpers, shared by the tests of both servers.
        .target(name: "TenancyTestSupport", path: "Tests/Support", swiftSettings: swiftSettings),
        .testTarget(name: "TenancyTests", dependencies: ["Tenancy", "TenancyTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TenancyPOSIXTests", dependencies: ["TenancyPOSIX"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TenancyMetricsTests",
            dependencies: ["TenancyMetrics", "TenancyPOSIX", "TenancyTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TenancySQLiteTests", dependencies: ["TenancySQLite"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TenancyHTTPTests",
            dependencies: ["TenancyHTTP", "TenancyTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwiftTenancyTests", dependencies: ["SwiftTenancy", "TenancyTestSupport"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
