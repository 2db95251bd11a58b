// swift-tools-version:6.2
import PackageDescription

// The benchmarks live in their own package so that the root package keeps zero dependencies. Groups that
// measure a peer (swift-prometheus; later Hummingbird) add its package here, never to the root.
let package = Package(
    name: "swift-tenancy-benchmarks",
    platforms: [.macOS(.v26)],
    products: [
        .executable(name: "tenancy-bench", targets: ["TenancyBench"])
    ],
    dependencies: [
        .package(name: "swift-tenancy", path: ".."),
        // The metrics group measures swift-prometheus side by side with TenancyMetrics.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
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
    ],
    swiftLanguageModes: [.v6]
)
