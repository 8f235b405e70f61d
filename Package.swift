// swift-tools-version:6.0
import PackageDescription

/// Vector code for this CPU. Without it Swift lowers `SIMD16` arithmetic to scalar calls and the
/// kernels run 10-40x slower. The binary is built where it runs (`make`), so `native` is right.
let nativeSwift: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=native"])]
let nativeC: [CSetting] = [.unsafeFlags(["-march=native", "-O3"])]

let package = Package(
    name: "llamaterm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "llamaterm", targets: ["llamaterm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // System libraries through module maps.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        // The few kernels Swift cannot make fast on its own (intrinsics).
        .target(name: "CKernels", path: "Sources/CKernels", cSettings: nativeC),

        .target(name: "GGUF", swiftSettings: nativeSwift),
        .target(name: "Kernels", dependencies: ["GGUF", "CKernels", "COpenBLAS"], swiftSettings: nativeSwift),
        .target(name: "Tokenizers", dependencies: ["GGUF"], swiftSettings: nativeSwift),
        .target(name: "Inference", dependencies: ["GGUF", "Kernels", "Tokenizers"], swiftSettings: nativeSwift),
        .target(name: "ChatCore", dependencies: ["GGUF", "Tokenizers", "Inference"], swiftSettings: nativeSwift),
        .target(name: "Storage", dependencies: [.product(name: "GRDB", package: "GRDB.swift")], swiftSettings: nativeSwift),
        .target(name: "Remote", dependencies: ["Inference", "ChatCore", "Tokenizers"], swiftSettings: nativeSwift),
        .target(name: "Server", dependencies: ["Remote", "Inference", "Tokenizers"], swiftSettings: nativeSwift),
        .target(name: "TerminalUI", dependencies: ["CNcurses", "ChatCore", "PromptLab"], swiftSettings: nativeSwift),
        .target(name: "PromptLab", dependencies: ["ChatCore", "Inference", "GGUF", "Storage"], swiftSettings: nativeSwift),
        .executableTarget(
            name: "llamaterm",
            dependencies: [
                "GGUF", "Kernels", "Tokenizers", "Inference", "ChatCore", "Storage", "TerminalUI", "PromptLab", "Remote", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: nativeSwift
        ),

        // Shared by the test targets: where the fixtures, the model and the binary are.
        .target(name: "TestSupport", dependencies: ["GGUF"], path: "Sources/TestSupport"),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "TestSupport"], swiftSettings: nativeSwift),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "GGUF", "TestSupport"], swiftSettings: nativeSwift),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "GGUF", "TestSupport"], swiftSettings: nativeSwift),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "Kernels", "Tokenizers", "GGUF", "TestSupport"], swiftSettings: nativeSwift),
        .testTarget(name: "ChatCoreTests", dependencies: ["ChatCore", "Inference", "Tokenizers", "GGUF", "TestSupport"], swiftSettings: nativeSwift),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"], swiftSettings: nativeSwift),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "ChatCore", "TestSupport"], exclude: ["Snapshots"], swiftSettings: nativeSwift),
        .testTarget(name: "RemoteTests", dependencies: ["Remote", "Server", "Inference", "ChatCore", "Tokenizers", "GGUF", "TestSupport"], swiftSettings: nativeSwift),
        .testTarget(name: "PromptLabTests", dependencies: ["PromptLab", "ChatCore", "Inference", "Storage", "GGUF", "TestSupport"], swiftSettings: nativeSwift),
        .testTarget(name: "EndToEndTests", dependencies: ["GGUF", "TestSupport"], swiftSettings: nativeSwift),
    ],
    swiftLanguageModes: [.v6]
)
