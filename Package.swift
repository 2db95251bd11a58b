// swift-tools-version:6.2
import PackageDescription

// The root package depends on no other package: Foundation, Dispatch, Synchronization, Glibc and the
// system libsqlite3 only. Benchmarks and adapters that need ecosystem packages live in sub-packages.
let package = Package(
    name: "swift-tenancy",
    platforms: [.macOS(.v26)],
    products: [
        .library(name: "Tenancy", targets: ["Tenancy"]),
        .executable(name: "tenancy-demo", targets: ["TenancyDemo"]),
    ],
    targets: [
        .target(name: "Tenancy"),
        .executableTarget(name: "TenancyDemo", dependencies: ["Tenancy"]),
        .testTarget(name: "TenancyTests", dependencies: ["Tenancy"]),
    ],
    swiftLanguageModes: [.v6]
)
