/// Everything that can change the UI state: input from the terminal and news from the app loop.
public enum Action: Hashable, Sendable {
    /// Terminal input (keys, pastes, mouse).
    case input(InputEvent)
    /// The terminal's new size in cells.
    case resize(width: Int, height: Int)

    /// Model name and prompt format for the status bar.
    case modelInfo(name: String, format: String)
    /// The model is loading (text shown) or ready (nil).
    case modelLoading(String?)
    /// Text of the reply being generated.
    case replyDelta(String)
    /// Progress of the reply being generated.
    case generationProgress(tokens: Int, tokensPerSecond: Double)
    /// The reply ended (finished, or stopped after `Effect.stopGeneration`).
    case replyFinished(ReplyStats)
    /// The reply failed.
    case replyFailed(String)
    /// How much of the context window the conversation uses, and which messages (by index)
    /// no longer fit.
    case contextUsage(ContextUsage, outsideContext: Set<Int>)

    /// A conversation was opened (or created): its id, title, messages, system prompt and options.
    case conversationLoaded(ConversationSnapshot)
    /// The current conversation got an id (saved for the first time) or a new title.
    case conversationInfo(id: Int64?, title: String)
    /// The conversations matching `query` (empty: all), most recent first.
    case conversationsListed([ConversationListItem], query: String)
    /// The system-prompt library.
    case promptLibrary([PromptLibraryItem])
    /// The prompt of the next turn, for the inspector.
    case promptInspection(PromptInspection)
    /// A message for the status line (errors in the error style).
    case notice(String, isError: Bool)
    /// An original and its variant, to show side by side turn by turn.
    case sideBySideLoaded(original: SideBySideConversation, variant: SideBySideConversation)
    /// News about the comparison running in the compare view.
    case compare(CompareAction)
}

/// A conversation as the UI opens it.
public struct ConversationSnapshot: Hashable, Sendable {
    public var id: Int64?
    public var title: String
    public var messages: [ChatMessageView]
    public var systemPrompt: String
    public var systemPromptName: String?
    public var options: [String: String]
    public init(id: Int64?, title: String, messages: [ChatMessageView], systemPrompt: String,
                systemPromptName: String? = nil, options: [String: String] = [:]) {
        self.id = id; self.title = title; self.messages = messages; self.systemPrompt = systemPrompt
        self.systemPromptName = systemPromptName; self.options = options
    }
}
