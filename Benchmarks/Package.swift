// swift-tools-version:6.2
import PackageDescription

// The benchmarks live in their own package so that the root package keeps zero dependencies. Later
// groups (swift-prometheus, Hummingbird) add their packages here, never to the root.
let package = Package(
    name: "swift-tenancy-benchmarks",
    platforms: [.macOS(.v26)],
    products: [
        .executable(name: "tenancy-bench", targets: ["TenancyBench"])
    ],
    dependencies: [
        .package(name: "swift-tenancy", path: "..")
    ],
    targets: [
        // glibc's mallinfo2/malloc_trim are not exported by Swift's Glibc module; a two-function C shim.
        .target(name: "CBenchSupport"),
        .executableTarget(
            name: "TenancyBench",
            dependencies: [
                "CBenchSupport",
                .product(name: "Tenancy", package: "swift-tenancy"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
