// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "evalgate",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "evalgate", targets: ["evalgate"]),
        .library(name: "EvalGateCore", targets: ["EvalGateCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            path: "Sources/CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(
            name: "CLz4",
            path: "Sources/CLz4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // The bootstrap's inner loop, compiled for AVX2 and for baseline x86-64 (see ResampleKernel.swift).
        .target(name: "CResampleKernel"),
        .target(
            name: "EvalGateCore",
            dependencies: [
                "CZlib",
                "CZstd",
                "CLz4",
                "CResampleKernel",
                "CMalloc",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "evalgate",
            dependencies: [
                "EvalGateCore",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "EvalGateCoreTests",
            dependencies: ["EvalGateCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "EvalGateCLITests",
            dependencies: ["evalgate", "EvalGateCore"],
            exclude: ["Golden"]
        ),
    ]
)

// The libFuzzer harness exists only for `scripts/harness/fuzz.sh`, which builds it
// with `-sanitize=fuzzer,address`; ordinary builds and `swift test` never see it.
if ProcessInfo.processInfo.environment["EVALGATE_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(name: "evalgate-fuzz", dependencies: ["EvalGateCore"], path: "Fuzz/Sources/evalgate-fuzz"))
}
