/// The UI's picture of the data other modules own. The app loop fills these from the chat core,
/// the engine and the store, so the UI does not depend on how they are built.

/// Who wrote a message.
public enum ChatRole: String, Sendable, Hashable {
    case system, user, assistant
}

/// Where a message is in its life.
public enum MessageStatus: Hashable, Sendable {
    case complete
    case streaming
    /// Stopped by the user; the partial text is kept.
    case stopped
    case failed(String)
}

/// One message as the conversation pane shows it.
public struct ChatMessageView: Hashable, Sendable {
    public var id: Int64?
    public var role: ChatRole
    public var content: String
    public var status: MessageStatus
    /// True when the turn no longer fits in the context window (the model does not see it).
    public var outsideContext: Bool
    /// The system prompt this reply saw (name or a short excerpt), if known.
    public var systemPromptLabel: String?
    /// A short note such as "42 tokens · 18.3 tok/s".
    public var detail: String?

    public init(id: Int64? = nil, role: ChatRole, content: String, status: MessageStatus = .complete,
                outsideContext: Bool = false, systemPromptLabel: String? = nil, detail: String? = nil) {
        self.id = id; self.role = role; self.content = content; self.status = status
        self.outsideContext = outsideContext; self.systemPromptLabel = systemPromptLabel; self.detail = detail
    }
}

/// A saved conversation in the list.
public struct ConversationListItem: Hashable, Sendable {
    public var id: Int64
    public var title: String
    /// A short line under the title: when, how many messages, system prompt, or a search snippet.
    public var subtitle: String
    /// The conversation this one was forked, replayed or compared from (nil for an original).
    public var parentId: Int64?
    public init(id: Int64, title: String, subtitle: String = "", parentId: Int64? = nil) {
        self.id = id; self.title = title; self.subtitle = subtitle; self.parentId = parentId
    }
}

/// A named system prompt from the library.
public struct PromptLibraryItem: Hashable, Sendable {
    public var name: String
    public var text: String
    /// True for the user's own prompts (false for the ones shipped in `prompts/`).
    public var isUser: Bool
    public init(name: String, text: String, isUser: Bool = false) {
        self.name = name; self.text = text; self.isUser = isUser
    }
}

/// How a reply finished.
public struct ReplyStats: Hashable, Sendable {
    public var tokens: Int
    public var tokensPerSecond: Double
    public var promptTokens: Int
    public init(tokens: Int, tokensPerSecond: Double, promptTokens: Int = 0) {
        self.tokens = tokens; self.tokensPerSecond = tokensPerSecond; self.promptTokens = promptTokens
    }
}

/// How much of the context window the next prompt uses.
public struct ContextUsage: Hashable, Sendable {
    public var usedTokens: Int
    public var windowTokens: Int
    public var droppedTurns: Int
    public init(usedTokens: Int, windowTokens: Int, droppedTurns: Int) {
        self.usedTokens = usedTokens; self.windowTokens = windowTokens; self.droppedTurns = droppedTurns
    }
}

/// One part of a rendered prompt, for the prompt inspector.
public struct PromptPart: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// A special token such as BOS or EOS (shown as `<s>`, `</s>`, `<|im_start|>`...).
        case specialToken
        /// Format structure: `[INST]`, `<<SYS>>`, role headers.
        case structure
        case system, user, assistant
    }
    public var kind: Kind
    public var text: String
    public var tokens: Int
    /// True when this part belongs to a turn dropped to fit the context window.
    public var dropped: Bool
    public init(kind: Kind, text: String, tokens: Int, dropped: Bool = false) {
        self.kind = kind; self.text = text; self.tokens = tokens; self.dropped = dropped
    }
}

/// The exact prompt the model will see for the next turn.
public struct PromptInspection: Hashable, Sendable {
    public var formatName: String
    public var parts: [PromptPart]
    public var windowTokens: Int
    public init(formatName: String, parts: [PromptPart], windowTokens: Int) {
        self.formatName = formatName; self.parts = parts; self.windowTokens = windowTokens
    }
    /// Tokens of the parts the model sees.
    public var keptTokens: Int { parts.filter { !$0.dropped }.reduce(0) { $0 + $1.tokens } }
}
