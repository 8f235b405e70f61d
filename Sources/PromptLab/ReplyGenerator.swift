import ChatCore

/// What the lab needs from a model: the reply to a conversation under given options, streamed.
///
/// `BackendReplyGenerator` implements it on an inference `Backend` (render the prompt with the
/// model's format, fit the window, generate); tests use small deterministic generators.
/// Implementations serve one request at a time; the lab never calls them concurrently.
public protocol ReplyGenerator: Sendable {
    /// Generates the reply to `conversation` (which ends with a user message) with `options`,
    /// calling `onText` with each piece of text as it arrives.
    func reply(to conversation: Conversation, options: GenerationOptions,
               onText: (String) -> Void) async throws -> GeneratedReply
}

/// A finished reply and what it cost.
public struct GeneratedReply: Sendable, Hashable {
    public var text: String
    /// Generated tokens, speeds and the stop reason, when the generator measured them.
    public var stats: TurnStats?

    public init(text: String, stats: TurnStats?) {
        self.text = text
        self.stats = stats
    }

    /// Tokens generated (0 when unknown).
    public var tokens: Int { stats?.generatedTokens ?? 0 }
    /// Generated tokens per second (0 when unknown).
    public var tokensPerSecond: Double { stats?.decodeTokensPerSecond ?? 0 }
}
