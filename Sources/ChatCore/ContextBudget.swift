/// Fits a conversation into the context window.
///
/// The window is the smaller of the model's context length and the `contextSize` option. Room for
/// the reply is reserved (max new tokens, capped at a quarter of the window). The system prompt and
/// the newest user message are always kept; the oldest whole turns (user message + reply) are
/// dropped first. Dropping is sticky: a fit starts from the previous turn's first kept turn, and
/// when it must drop it frees a further `dropStep` tokens (a quarter of the window), so the next
/// turns keep the same first turn, the prompt's prefix stays the same, and the engine's KV cache
/// is reused instead of re-evaluating the whole prompt every turn.
public struct ContextBudget: Sendable, Hashable {
    /// Context window in tokens.
    public var window: Int
    /// Tokens kept free for the reply.
    public var reserve: Int
    /// Extra tokens freed when turns must be dropped.
    public var dropStep: Int
    /// Most new tokens a reply may have (the option).
    public var maxTokens: Int

    /// Tokens the prompt may use.
    public var available: Int { window - reserve }

    /// The budget for a model with context length `modelContext` (nil when unknown) and `options`.
    public init(modelContext: Int?, options: GenerationOptions) {
        let w = max(1, min(modelContext.map { $0 > 0 ? $0 : options.contextSize } ?? options.contextSize, options.contextSize))
        self.init(window: w, maxTokens: options.maxTokens)
    }

    /// A budget for a window of `window` tokens and replies of at most `maxTokens`.
    public init(window: Int, maxTokens: Int) {
        self.window = max(1, window)
        self.maxTokens = max(1, maxTokens)
        self.reserve = min(self.maxTokens, self.window / 4)
        self.dropStep = self.window / 4
    }

    /// Chooses the first turn to keep.
    /// - Parameters:
    ///   - turnCount: turns in the conversation (the last one is the newest user message).
    ///   - stickyStart: the first turn kept last time (0 for a new conversation).
    ///   - cost: the prompt's token count when it starts at a given turn.
    /// - Throws: `ChatError.promptTooLong` when even the system prompt and the newest turn alone do
    ///   not fit; `ChatError.invalidConversation` for an empty conversation.
    public func fit(turnCount: Int, stickyStart: Int = 0, cost: (Int) throws -> Int) throws -> BudgetFit {
        guard turnCount > 0 else { throw ChatError.invalidConversation("no user message to answer") }
        let last = turnCount - 1
        let start = min(max(stickyStart, 0), last)
        let c = try cost(start)
        if c <= available { return result(start, c, turnCount) }
        let minimal = start == last ? c : try cost(last)
        if minimal > available {
            throw ChatError.promptTooLong(needed: minimal, available: available, window: window, reserved: reserve)
        }
        // Drop the oldest turns until a further dropStep tokens are free (or as many as possible
        // while still fitting, when the newest turns alone are that large).
        let target = available - dropStep
        var firstFit: (Int, Int)?
        for g in (start + 1)...last {
            let cg = g == last ? minimal : try cost(g)
            if firstFit == nil && cg <= available { firstFit = (g, cg) }
            if cg <= target { return result(g, cg, turnCount) }
        }
        let (g, cg) = firstFit ?? (last, minimal)
        return result(g, cg, turnCount)
    }

    private func result(_ first: Int, _ tokens: Int, _ turnCount: Int) -> BudgetFit {
        BudgetFit(firstTurn: first, promptTokens: tokens, turnCount: turnCount, window: window, reserve: reserve,
                  maxNewTokens: max(0, min(maxTokens, window - tokens)))
    }
}

/// What `ContextBudget.fit` chose.
public struct BudgetFit: Sendable, Hashable {
    /// The first kept turn; turns `0..<firstTurn` were dropped.
    public var firstTurn: Int
    /// The prompt's token count.
    public var promptTokens: Int
    /// Turns in the conversation.
    public var turnCount: Int
    /// The context window.
    public var window: Int
    /// Tokens reserved for the reply.
    public var reserve: Int
    /// Most tokens the reply may have (the option, capped by the room left in the window).
    public var maxNewTokens: Int

    /// The dropped turns (indices into `Conversation.turns`).
    public var droppedTurns: Range<Int> { 0..<firstTurn }
}

/// A conversation's prompt for its next reply: rendered, fitted, ready to send.
public struct FittedPrompt: Sendable, Hashable {
    public var prompt: RenderedPrompt
    public var fit: BudgetFit
}

extension PromptRenderer {
    /// Renders the prompt for the reply to `conversation`'s last user message, dropping its oldest
    /// turns as `budget` requires. `stickyStart` is the previous fit's `firstTurn`.
    public func fit(_ conversation: Conversation, budget: ContextBudget, stickyStart: Int = 0) throws -> FittedPrompt {
        try conversation.validate()
        let turns = conversation.turns
        guard conversation.awaitsReply, !turns.isEmpty else {
            throw ChatError.invalidConversation("the conversation must end with a user message")
        }
        let system = conversation.systemPrompt
        let fit = try budget.fit(turnCount: turns.count, stickyStart: stickyStart) { first in
            try tokenCount(system: system, turns: turns[first...])
        }
        let prompt = try render(system: system, turns: turns[fit.firstTurn...])
        return FittedPrompt(prompt: prompt, fit: fit)
    }
}
