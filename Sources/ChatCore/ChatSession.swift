import GGUF

/// A chat with one model: the conversation, the options, the prompt format and the budget, and
/// what the last turn kept. Each turn rebuilds the whole prompt from the conversation; the
/// budget's stickiness keeps the prompt's prefix stable so the engine evaluates only new tokens.
///
/// A turn is `beginTurn` (appends the user message, returns the prompt and the reply limit),
/// running the backend, then `finishTurn` (appends the reply, partial if cancelled) or
/// `abandonTurn` (removes the user message again when nothing came back). `ChatSession.respond`
/// does all three with a `Backend`.
public struct ChatSession: Sendable {
    /// The conversation so far.
    public private(set) var conversation: Conversation
    /// The current options.
    public private(set) var options: GenerationOptions
    /// The prompt format in use and why (`auto` resolved).
    public private(set) var detection: ChatTemplateDetector.Detection
    /// The renderer (format + tokenizer).
    public private(set) var renderer: PromptRenderer
    /// The model's context length (nil when unknown).
    public let modelContext: Int?
    /// The first turn the last prompt kept (the budget starts there next time).
    public private(set) var firstKeptTurn = 0
    /// The prompt sent for the last reply.
    public private(set) var lastPrompt: FittedPrompt?
    /// Statistics of the last reply.
    public private(set) var lastStats: TurnStats?

    private let metadata: GGUFMetadata
    private let tokenizer: any PromptTokenizer

    /// A session for a model described by its GGUF `metadata` (chat template, vocabulary,
    /// context length) and its `tokenizer`. `contextLimit` is what the engine's KV cache holds,
    /// when that is less than the model's context length.
    public init(metadata: GGUFMetadata, tokenizer: any PromptTokenizer, contextLimit: Int? = nil,
                conversation: Conversation = Conversation(), options: GenerationOptions = GenerationOptions()) throws {
        try options.validate()
        try conversation.validate()
        self.metadata = metadata
        self.tokenizer = tokenizer
        self.conversation = conversation
        self.options = options
        let own = Self.contextLength(of: metadata)
        if let limit = contextLimit, limit > 0 { modelContext = min(own ?? limit, limit) } else { modelContext = own }
        let (format, detection) = PromptFormats.forModel(options.format, metadata: metadata)
        self.detection = detection
        renderer = PromptRenderer(format: format, tokenizer: tokenizer)
    }

    /// The model's context length from its metadata (`{arch}.context_length`).
    public static func contextLength(of metadata: GGUFMetadata) -> Int? {
        let arch = metadata.string("general.architecture") ?? "llama"
        return metadata.int("\(arch).context_length")
    }

    /// The context budget for the current options.
    public var budget: ContextBudget { ContextBudget(modelContext: modelContext, options: options) }

    /// The prompt format in use.
    public var format: any PromptFormat { renderer.format }

    // MARK: Editing

    /// Sets an option from text (`/set temperature 0.2`); a format change re-resolves the format.
    public mutating func setOption(_ key: OptionKey, to text: String) throws {
        var o = options
        try o.set(key, from: text)
        try setOptions(o)
    }

    /// Replaces all options (validated).
    public mutating func setOptions(_ new: GenerationOptions) throws {
        try new.validate()
        let formatChanged = new.format != options.format
        options = new
        if formatChanged {
            let (format, detection) = PromptFormats.forModel(new.format, metadata: metadata)
            self.detection = detection
            renderer = PromptRenderer(format: format, tokenizer: tokenizer)
            firstKeptTurn = 0
        }
    }

    /// Sets the system prompt ("" for none); `name` is its library name, if it came from there.
    public mutating func setSystemPrompt(_ text: String, name: String? = nil) {
        conversation.systemPrompt = text
        conversation.systemPromptName = name
    }

    /// Uses a library prompt as the system prompt.
    public mutating func useSystemPrompt(_ prompt: SystemPrompt) {
        setSystemPrompt(prompt.text, name: prompt.name)
    }

    /// Forgets the messages (keeps the system prompt and options).
    public mutating func reset() {
        conversation.messages = []
        firstKeptTurn = 0
        lastPrompt = nil
        lastStats = nil
    }

    /// Replaces the conversation (e.g. one resumed from storage).
    public mutating func load(_ conversation: Conversation) throws {
        try conversation.validate()
        self.conversation = conversation
        firstKeptTurn = 0
        lastPrompt = nil
        lastStats = nil
    }

    // MARK: Turns

    /// Appends the user's message and builds the prompt for the reply. On error (e.g. the message
    /// does not fit the window) the conversation is unchanged and nothing should be sent.
    public mutating func beginTurn(_ userText: String) throws -> FittedPrompt {
        var c = conversation
        try c.appendUser(userText)
        let fitted = try renderer.fit(c, budget: budget, stickyStart: firstKeptTurn)
        conversation = c
        firstKeptTurn = fitted.fit.firstTurn
        lastPrompt = fitted
        return fitted
    }

    /// Appends the reply to the pending user message (a cancelled reply keeps what was generated)
    /// and records its statistics.
    public mutating func finishTurn(reply: String, stats: TurnStats?) throws {
        try conversation.appendAssistant(reply)
        if let stats { lastStats = stats }
    }

    /// Removes the pending user message (the reply failed before producing anything).
    public mutating func abandonTurn() {
        if conversation.awaitsReply { conversation.messages.removeLast() }
    }

    /// The prompt the next message would be sent with, for `/show prompt` and the prompt
    /// inspector: the conversation plus `nextMessage` (or, when the conversation already awaits a
    /// reply, its pending prompt).
    public func previewPrompt(nextMessage: String = "") throws -> FittedPrompt {
        var c = conversation
        if !c.awaitsReply { try c.appendUser(nextMessage) }
        return try renderer.fit(c, budget: budget, stickyStart: firstKeptTurn)
    }
}
