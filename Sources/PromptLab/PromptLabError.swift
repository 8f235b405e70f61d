/// Everything that can go wrong in the prompt lab. Each case names the file (and line, where
/// there is one) or the run it concerns, so one line is enough to fix it.
public enum PromptLabError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A probe file could not be read.
    case unreadableSuite(path: String, message: String)
    /// A probe file is not valid TOML (the subset we read) or JSON; `line` is 1-based (0: unknown).
    case suiteSyntax(path: String, line: Int, message: String)
    /// A probe file parses but does not describe a suite (unknown key, wrong type, bad check).
    case invalidSuite(path: String, line: Int, message: String)
    /// A compare or probe run was asked for without any system prompt.
    case noSystemPrompts
    /// A stored conversation cannot be replayed.
    case cannotReplay(conversationId: Int64, message: String)
    /// Generation failed for one system prompt.
    case generationFailed(label: String, message: String)

    public var description: String {
        switch self {
        case let .unreadableSuite(path, message):
            return "probe file \(path): \(message)"
        case let .suiteSyntax(path, line, message):
            return line > 0 ? "probe file \(path):\(line): \(message)" : "probe file \(path): \(message)"
        case let .invalidSuite(path, line, message):
            return line > 0 ? "probe file \(path):\(line): \(message)" : "probe file \(path): \(message)"
        case .noSystemPrompts:
            return "no system prompt to run (give --prompt-name NAME or --system TEXT at least once)"
        case let .cannotReplay(id, message):
            return "cannot replay conversation \(id): \(message)"
        case let .generationFailed(label, message):
            return "generation under system prompt \(label) failed: \(message)"
        }
    }
}
