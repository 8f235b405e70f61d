import Foundation

/// Where the default model lives: `LLAMATERM_MODEL`, else `$XDG_DATA_HOME/llamaterm/models/...`.
enum ModelLocator {
    static let defaultFileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    static var modelsDirectory: String {
        let env = ProcessInfo.processInfo.environment
        let dataHome = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
        return dataHome + "/llamaterm/models"
    }

    /// The model to use when none is given on the command line.
    static func defaultModelPath() -> String {
        if let p = ProcessInfo.processInfo.environment["LLAMATERM_MODEL"], !p.isEmpty { return p }
        return modelsDirectory + "/" + defaultFileName
    }
}
