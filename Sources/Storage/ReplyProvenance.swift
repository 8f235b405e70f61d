/// Where a reply came from: enough to tell two replies apart when comparing models, system
/// prompts and options. Every field is optional so remote backends can fill what they know.
public struct ReplyProvenance: Sendable, Equatable, Codable {
    /// The model file's name (not its full path).
    public var modelFile: String?
    /// The model file's size in bytes.
    public var modelSize: Int64?
    /// The prompt format used to render the conversation (e.g. "llama2", "chatml").
    public var promptFormat: String?
    /// The generation options, as JSON written by the chat layer.
    public var optionsJSON: String?
    /// The sampler's seed.
    public var seed: UInt64?
    /// A hash of the system prompt text in force (hex), so replies can be grouped by prompt.
    public var systemPromptHash: String?
    /// Tokens in the prompt, and of those how many were actually prefilled (the rest reused).
    public var promptTokens: Int?
    public var prefillTokens: Int?
    public var prefillSeconds: Double?
    /// Tokens generated and the time spent generating them.
    public var decodeTokens: Int?
    public var decodeSeconds: Double?

    public init(
        modelFile: String? = nil, modelSize: Int64? = nil, promptFormat: String? = nil,
        optionsJSON: String? = nil, seed: UInt64? = nil, systemPromptHash: String? = nil,
        promptTokens: Int? = nil, prefillTokens: Int? = nil, prefillSeconds: Double? = nil,
        decodeTokens: Int? = nil, decodeSeconds: Double? = nil
    ) {
        self.modelFile = modelFile
        self.modelSize = modelSize
        self.promptFormat = promptFormat
        self.optionsJSON = optionsJSON
        self.seed = seed
        self.systemPromptHash = systemPromptHash
        self.promptTokens = promptTokens
        self.prefillTokens = prefillTokens
        self.prefillSeconds = prefillSeconds
        self.decodeTokens = decodeTokens
        self.decodeSeconds = decodeSeconds
    }

    /// True when no field is set.
    public var isEmpty: Bool { self == ReplyProvenance() }
}
