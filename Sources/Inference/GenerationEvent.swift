import Tokenizers

/// Why a generation ended.
public enum StopReason: String, Sendable, Equatable, Codable {
    /// The model produced its end-of-sequence or end-of-turn token.
    case endOfTurn
    /// `maxTokens` were generated.
    case maxTokens
    /// The text reached one of the stop strings (not emitted).
    case stopString
    /// The consumer cancelled its task or dropped the stream.
    case cancelled
    /// The KV cache is full.
    case contextFull
}

/// What a finished generation did and how fast.
public struct GenerationStats: Sendable, Equatable {
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Prompt tokens whose keys and values were reused from the previous request.
    public var reusedTokens: Int
    /// Tokens generated (the end-of-turn token excluded).
    public var generatedTokens: Int
    /// Time spent evaluating the prompt's new tokens.
    public var prefillMilliseconds: Double
    /// Time spent generating.
    public var decodeMilliseconds: Double
    public var stopReason: StopReason
    /// The generated token ids, in order (the end-of-turn token excluded).
    public var tokenIDs: [TokenID] = []
    /// Where the reused tokens' keys and values came from.
    public var reusedFrom: ReuseSource = .none

    /// Prompt tokens evaluated (not reused) per second.
    public var prefillTokensPerSecond: Double {
        prefillMilliseconds > 0 ? Double(promptTokens - reusedTokens) / prefillMilliseconds * 1000 : 0
    }
    /// Generated tokens per second.
    public var decodeTokensPerSecond: Double {
        decodeMilliseconds > 0 ? Double(generatedTokens) / decodeMilliseconds * 1000 : 0
    }

    public init(promptTokens: Int, reusedTokens: Int, generatedTokens: Int, prefillMilliseconds: Double,
                decodeMilliseconds: Double, stopReason: StopReason) {
        self.promptTokens = promptTokens
        self.reusedTokens = reusedTokens
        self.generatedTokens = generatedTokens
        self.prefillMilliseconds = prefillMilliseconds
        self.decodeMilliseconds = decodeMilliseconds
        self.stopReason = stopReason
    }
}

/// What a local engine reuses of a prompt, reported before it evaluates the rest.
public struct PrefillReport: Sendable, Equatable {
    public var promptTokens: Int
    /// Leading prompt tokens whose keys and values are reused.
    public var reusedTokens: Int
    public var reusedFrom: ReuseSource
    /// Lines for the user about the saved states (one rejected and why, a save that failed).
    public var notes: [String]

    public init(promptTokens: Int, reusedTokens: Int, reusedFrom: ReuseSource, notes: [String] = []) {
        self.promptTokens = promptTokens
        self.reusedTokens = reusedTokens
        self.reusedFrom = reusedFrom
        self.notes = notes
    }
}

/// One event of a generation stream: what is reused (local engines), text as it is produced, then
/// the final statistics.
public enum GenerationEvent: Sendable, Equatable {
    /// The prompt's reused prefix, before the rest is evaluated (local engines only; first).
    case prefilling(PrefillReport)
    /// A piece of generated text (never splits a UTF-8 character, never contains a stop string).
    case text(String)
    /// The generation ended; always the last event.
    case finished(GenerationStats)
}

/// Something that turns prompts into streamed text: the local engine, or a remote server.
public protocol Backend: Sendable {
    /// Generates a continuation of `prompt`. Cancelling the consuming task (or dropping the
    /// stream) stops generation within one token.
    func generate(prompt: [TokenID], parameters: GenerationParameters) -> AsyncThrowingStream<GenerationEvent, Error>
    /// The same, given the prompt both as token ids and as its exact text (`<s>`/`</s>` for BOS
    /// and EOS, control tokens as their pieces, as the prompt inspector shows it). A local engine
    /// uses the ids (the default forwards to `generate(prompt:parameters:)`); a remote backend
    /// sends the text, which the server tokenizes.
    func generate(prompt: [TokenID], text: String, parameters: GenerationParameters) -> AsyncThrowingStream<GenerationEvent, Error>
}

extension Backend {
    public func generate(prompt: [TokenID], text: String, parameters: GenerationParameters) -> AsyncThrowingStream<GenerationEvent, Error> {
        generate(prompt: prompt, parameters: parameters)
    }
}
