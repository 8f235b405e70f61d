import ChatCore
import Tokenizers

/// What the UI needs from an inference backend: generate a reply to a prompt of token ids,
/// streaming text, cancellable by cancelling the calling task.
protocol ReplyEngine: Sendable {
    /// Generates a reply to `prompt`, calling `onText` with each new piece of text and the number
    /// of tokens so far; returns the turn's statistics (with stop reason "cancelled" when the task
    /// was cancelled; the text generated until then stands). `promptText` is the same prompt as
    /// text (what the prompt inspector shows): a remote engine sends it, a local one uses the ids.
    func generate(prompt: [TokenID], promptText: String, options: GenerationOptions, maxNewTokens: Int, stopStrings: [String],
                  onText: @escaping @Sendable (String, Int) -> Void) async throws -> TurnStats
}

/// Used when no engine could be loaded: every request fails with the reason.
struct UnavailableEngine: ReplyEngine {
    var reason: String
    func generate(prompt: [TokenID], promptText: String, options: GenerationOptions, maxNewTokens: Int, stopStrings: [String],
                  onText: @escaping @Sendable (String, Int) -> Void) async throws -> TurnStats {
        throw AppError.engineUnavailable(reason)
    }
}

/// Errors of the terminal app's wiring.
enum AppError: Error, CustomStringConvertible {
    case engineUnavailable(String)
    case noModel(String)

    var description: String {
        switch self {
        case .engineUnavailable(let why): return "cannot generate: \(why)"
        case .noModel(let why): return "no model: \(why)"
        }
    }
}
