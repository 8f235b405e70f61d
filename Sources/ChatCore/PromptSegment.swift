import Tokenizers
/// Which part of the conversation a stretch of the prompt belongs to. The UI's prompt inspector
/// and `/show prompt` list parts with their token counts; the budget counts turns.
public enum PromptPartKind: Sendable, Hashable, CustomStringConvertible {
    /// The system prompt (with the format's scaffolding around it).
    case system
    /// The user message of turn `n` (0-based index into `Conversation.turns`).
    case user(Int)
    /// The assistant reply of turn `n`.
    case assistant(Int)
    /// The header that asks the model to reply (e.g. `<|im_start|>assistant\n`).
    case replyHeader

    /// The turn this part belongs to, if any.
    public var turn: Int? {
        switch self {
        case .user(let n), .assistant(let n): return n
        case .system, .replyHeader: return nil
        }
    }

    public var description: String {
        switch self {
        case .system: return "system"
        case .user(let n): return "user \(n + 1)"
        case .assistant(let n): return "assistant \(n + 1)"
        case .replyHeader: return "reply header"
        }
    }
}

/// One piece of a laid-out prompt, before tokenization.
public enum PromptSegment: Sendable, Hashable {
    /// The vocabulary's BOS token (an error if it has none).
    case bos
    /// BOS only when the model adds one by default (`tokenizer.ggml.add_bos_token`).
    case defaultBOS
    /// The vocabulary's EOS token (an error if it has none).
    case eos
    /// A control token given by its piece, e.g. `<|im_start|>`; an error if the vocabulary lacks it.
    case control(String)
    /// A control token when the vocabulary has it as one, otherwise plain text (e.g. zephyr's
    /// `<|user|>`, which is plain text in Mistral-based vocabularies).
    case marker(String)
    /// Plain text, tokenized without parsing specials. Adjacent text (between two special tokens)
    /// is tokenized as one piece, the way a tokenizer splits a templated string at its specials.
    case text(String)
}

/// A segment and the part it belongs to.
public struct PromptPiece: Sendable, Hashable {
    public var segment: PromptSegment
    public var part: PromptPartKind

    public init(_ segment: PromptSegment, _ part: PromptPartKind) {
        self.segment = segment
        self.part = part
    }
}
