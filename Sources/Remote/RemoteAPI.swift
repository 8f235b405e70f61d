/// Which protocol a remote server speaks.
public enum RemoteAPI: String, Sendable, Hashable, CaseIterable {
    /// Hugging Face Text Generation Inference: `POST /generate_stream`.
    case tgi
    /// OpenAI-compatible completions (llama.cpp server, vLLM, Ollama, TGI): `POST /v1/completions`.
    case openai

    /// The streaming endpoint's path (relative to the server URL).
    public var streamPath: String {
        switch self {
        case .tgi: return "/generate_stream"
        case .openai: return "/v1/completions"
        }
    }
}

/// Sampling and stopping settings sent to a server, in the server-neutral terms of our options.
public struct RemoteParameters: Sendable, Hashable {
    public var maxNewTokens: Int
    /// 0 means greedy.
    public var temperature: Double
    /// 0 turns it off.
    public var topK: Int
    /// 1 turns it off.
    public var topP: Double
    /// 0 turns it off.
    public var minP: Double
    /// 1 turns it off.
    public var repetitionPenalty: Double
    public var seed: UInt64?
    public var stop: [String]

    public init(maxNewTokens: Int, temperature: Double = 0, topK: Int = 0, topP: Double = 1, minP: Double = 0,
                repetitionPenalty: Double = 1, seed: UInt64? = nil, stop: [String] = []) {
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
        self.stop = stop
    }
}

/// What a remote generation streams: pieces of text, then how it ended.
public enum RemoteEvent: Sendable, Hashable {
    case text(String)
    case finished(RemoteFinish)
}

/// How a remote generation ended, as far as the server said.
public struct RemoteFinish: Sendable, Hashable {
    /// The server's finish reason as sent ("eos_token", "length", "stop", "stop_sequence", ...).
    public var reason: String
    /// Tokens generated, when the server said.
    public var generatedTokens: Int?
    /// Prompt tokens, when the server said.
    public var promptTokens: Int?

    public init(reason: String, generatedTokens: Int? = nil, promptTokens: Int? = nil) {
        self.reason = reason
        self.generatedTokens = generatedTokens
        self.promptTokens = promptTokens
    }

    /// True when the reply stopped because it reached the token limit.
    public var hitLimit: Bool { reason == "length" }
}
