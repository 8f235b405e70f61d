/// The panes that take keyboard focus, in Tab order.
public enum Pane: String, CaseIterable, Hashable, Sendable {
    case chat, systemPrompt, options, conversations

    public var title: String {
        switch self {
        case .chat: return "Chat"
        case .systemPrompt: return "System prompt"
        case .options: return "Options"
        case .conversations: return "Conversations"
        }
    }
}

/// What the model is doing.
public enum GenerationState: Hashable, Sendable {
    case idle
    case loading(String)
    case generating(tokens: Int, tokensPerSecond: Double)
    /// Esc was pressed; waiting for the engine to confirm.
    case stopping

    public var isBusy: Bool {
        switch self {
        case .generating, .stopping: return true
        default: return false
        }
    }
}

/// What a confirmation dialog confirms.
public enum ConfirmAction: Hashable, Sendable {
    case quit
    case deleteConversation(Int64)
}

/// What a one-line input dialog asks for.
public enum InputPurpose: Hashable, Sendable {
    case renameConversation(Int64)
    case saveSystemPromptAs
}

/// A window on top of the panes that takes the keys until closed.
public enum Overlay: Hashable, Sendable {
    case help(scroll: Int)
    case confirm(title: String, message: String, action: ConfirmAction)
    case input(title: String, editor: TextEditor, purpose: InputPurpose, error: String?)
    case inspector(scroll: Int)
    case promptPicker(selected: Int, filter: String)
}

/// The system-prompt pane: the editor, what is applied, and the library.
public struct SystemPromptPane: Hashable, Sendable {
    public var editor = TextEditor()
    /// The system prompt the conversation uses now.
    public var appliedText = ""
    public var appliedName: String?
    public var library: [PromptLibraryItem] = []
    /// Whether the editor holds changes not applied yet.
    public var isModified: Bool { editor.text != appliedText }
}

/// The conversations pane: the list, the search field and the selection.
public struct ConversationsPane: Hashable, Sendable {
    public var items: [ConversationListItem] = []
    /// The query `items` answers ("" = all conversations).
    public var itemsQuery = ""
    public var filter = TextEditor()
    /// The selected row (an index into `rows`).
    public var selected = 0
    /// Originals whose variants are hidden.
    public var collapsed: Set<Int64> = []

    /// The items shown: the store's answer, narrowed by title while a newer query is pending.
    public var visible: [ConversationListItem] {
        let q = filter.text.trimmed
        if q == itemsQuery.trimmed { return items }
        return items.filter { ListView.matches(q, $0.title + " " + $0.subtitle) }
    }

    /// The rows shown: `visible` with each variant grouped under its original.
    public var rows: [ConversationRow] { ConversationGrouping.rows(visible, collapsed: collapsed) }

    /// The selected row, if any.
    public var selectedRow: ConversationRow? {
        let r = rows
        return r.indices.contains(selected) ? r[selected] : nil
    }
}

/// A message in the hint line until the next key.
public struct Notice: Hashable, Sendable {
    public var text: String
    public var isError: Bool
}

/// The whole state of the terminal UI. The reducer changes it; `AppView` draws it.
public struct AppState: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public var focus: Pane = .chat
    /// The pane the main area shows (chat, system prompt or options).
    public var mainPane: Pane = .chat

    public var conversationID: Int64?
    public var conversationTitle = "New conversation"
    public var messages: [ChatMessageView] = []
    public var input = TextEditor(enterSubmits: true, historyEnabled: true)
    /// True while the input holds the last user message being edited for resending.
    public var editingLast = false
    /// How many lines the conversation is scrolled up from the bottom (0 follows new text).
    public var scrollOffset = 0

    public var generation: GenerationState = .idle
    public var lastStats: ReplyStats?
    public var modelName = ""
    public var promptFormat = ""
    public var context: ContextUsage?

    public var systemPrompt = SystemPromptPane()
    public var options = OptionsForm()
    public var conversations = ConversationsPane()

    /// The compare view, while it is open (it takes the screen below the title bar).
    public var compare: CompareViewState?
    /// The side-by-side view of an original and a variant, while it is open.
    public var sideBySide: SideBySideState?
    /// The conversation to replay, while the prompt picker asks under which system prompt.
    public var replayTarget: Int64?
    public var overlay: Overlay?
    public var inspection: PromptInspection?
    public var notice: Notice?
    /// False once the UI asked to quit.
    public var running = true
    public var themeName = "dark"

    public init(width: Int = 80, height: Int = 24) {
        self.width = width
        self.height = height
    }
}
