import Foundation

/// Where the test suite finds what it works on: the shared fixtures, the default model, the built
/// binary, and fresh temporary folders.
public enum TestPaths {
    /// The repository's root folder (this file is `Sources/TestSupport/TestPaths.swift`).
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures`, the reference data computed by independent implementations.
    public static let fixtures: URL = repoRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures")

    /// A file in the fixtures folder.
    public static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    /// The default model: `LLAMATERM_MODEL`, else the file `scripts/fetch-model` installs.
    /// `make test` fetches it before the suite runs, so tests may rely on it.
    public static var defaultModel: URL {
        let env = ProcessInfo.processInfo.environment
        if let path = env["LLAMATERM_MODEL"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let dataHome = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return URL(fileURLWithPath: dataHome)
            .appendingPathComponent("llamaterm/models/SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    /// The `llamaterm` binary under test: `LLAMATERM_BIN`, else the one built beside the tests.
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["LLAMATERM_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        // The runner may sit inside a bundle folder (`X.xctest/...`); walk up to the products folder.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("llamaterm")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repoRoot.appendingPathComponent(".build/release/llamaterm")
    }

    /// A new empty temporary folder, unique to the caller.
    public static func temporaryDirectory(_ label: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("llamaterm-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
