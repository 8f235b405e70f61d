import ChatCore

/// The same conversation and options under several system prompts, one after another (the engine
/// serves one request at a time), all with the same seed.
public struct CompareRun: Sendable {
    /// The system prompts, in column order.
    public var prompts: [LabPrompt]
    /// The messages before the reply: alternating user/assistant, ending with the user's.
    public var messages: [Message]
    /// The options every run uses; `seed` is always set (see `init`).
    public var options: GenerationOptions

    /// - Parameter options: when its seed is nil, one random seed is chosen for all prompts.
    public init(prompts: [LabPrompt], messages: [Message], options: GenerationOptions) throws {
        guard !prompts.isEmpty else { throw PromptLabError.noSystemPrompts }
        try Conversation(messages: messages).validate()
        guard messages.last?.role == .user else {
            throw ChatError.invalidConversation("the messages to compare must end with a user message")
        }
        try options.validate()
        self.prompts = prompts
        self.messages = messages
        var o = options
        if o.seed == nil { o.seed = UInt64.random(in: 0...UInt64(Int32.max)) }
        self.options = o
    }

    /// The conversation sent under prompt `index`.
    public func conversation(for index: Int) -> Conversation {
        let p = prompts[index]
        return Conversation(systemPrompt: p.text, systemPromptName: p.name, messages: messages)
    }

    /// Runs prompt `index` alone (the UI's "regenerate a column").
    public func runOne(_ index: Int, using generator: any ReplyGenerator,
                       onEvent: (CompareEvent) -> Void = { _ in }) async -> CompareResult {
        onEvent(.started(index))
        let result: CompareResult
        do {
            let reply = try await generator.reply(to: conversation(for: index), options: options) { onEvent(.text(index, $0)) }
            result = CompareResult(prompt: prompts[index], reply: reply.text, stats: reply.stats, error: nil)
        } catch {
            result = CompareResult(prompt: prompts[index], reply: "", stats: nil, error: String(describing: error))
        }
        onEvent(.finished(index, result))
        return result
    }

    /// Runs every prompt in order; a failure is recorded in its result and the others still run.
    /// Stops early (leaving out the remaining prompts) when the task is cancelled.
    public func run(using generator: any ReplyGenerator, onEvent: (CompareEvent) -> Void = { _ in }) async -> [CompareResult] {
        var results: [CompareResult] = []
        for i in prompts.indices {
            if Task.isCancelled { break }
            results.append(await runOne(i, using: generator, onEvent: onEvent))
        }
        return results
    }
}

/// Progress of a compare run, for streaming displays.
public enum CompareEvent: Sendable {
    /// Prompt `index` started generating.
    case started(Int)
    /// A piece of prompt `index`'s reply.
    case text(Int, String)
    /// Prompt `index` finished (or failed: see `error`).
    case finished(Int, CompareResult)
}

/// One column of a compare run.
public struct CompareResult: Sendable, Hashable {
    public var prompt: LabPrompt
    public var reply: String
    public var stats: TurnStats?
    /// Why generation failed, or nil.
    public var error: String?

    public init(prompt: LabPrompt, reply: String, stats: TurnStats?, error: String?) {
        self.prompt = prompt
        self.reply = reply
        self.stats = stats
        self.error = error
    }

    /// Tokens generated (0 when unknown).
    public var tokens: Int { stats?.generatedTokens ?? 0 }
    /// Generated tokens per second (0 when unknown).
    public var tokensPerSecond: Double { stats?.decodeTokensPerSecond ?? 0 }
}
