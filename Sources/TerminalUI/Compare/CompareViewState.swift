/// The compare view: the same message under 2 to 4 system prompts, replies side by side.
///
/// Stages: pick the prompts (`pick`), type the message (`message`), watch the columns fill one
/// after another and act on them (`columns`), or read a word-level diff of two replies (`diff`).
public struct CompareViewState: Hashable, Sendable {
    public enum Stage: Hashable, Sendable {
        case pick
        case message
        case columns
        /// Diff of column `a` (old) against column `b` (new), scrolled by `scroll` lines.
        case diff(a: Int, b: Int, scroll: Int)
    }

    /// Fewest and most prompts a comparison takes.
    public static let minPrompts = 2
    public static let maxPrompts = 4

    public var stage: Stage = .pick
    /// The prompts to choose from: the library, plus the conversation's current prompt when it
    /// is not a library prompt.
    public var candidates: [PromptLibraryItem]
    /// Chosen candidates (indices), in the order they were chosen (= column order).
    public var chosen: [Int] = []
    /// The highlighted candidate.
    public var cursor = 0
    public var message = TextEditor(enterSubmits: true)
    public var columns: [CompareColumn] = []
    /// The column the keys act on.
    public var selected = 0
    /// The open conversation's finished turns, when it has any (user and assistant messages).
    public var history: [CompareHistoryMessage] = []
    /// Whether the columns answer the message after `history` (the conversation's next reply)
    /// instead of the message alone.
    public var withHistory = false
    /// Turns the columns see before the message.
    public var historyTurns: Int { withHistory ? history.filter { $0.role == .user }.count : 0 }
    /// "1 turn", "3 turns".
    public var historyTurnsText: String { "\(historyTurns) turn" + (historyTurns == 1 ? "" : "s") }

    public init(candidates: [PromptLibraryItem]) {
        self.candidates = candidates
    }

    /// The column generating now.
    public var runningColumn: Int? { columns.firstIndex { $0.status == .running } }
    /// True while a column is waiting or running.
    public var isBusy: Bool { columns.contains { $0.status == .running || $0.status == .waiting } }
}

/// One column: a prompt and its reply as it streams.
public struct CompareColumn: Hashable, Sendable {
    public enum Status: Hashable, Sendable {
        case waiting, running, done
        case failed(String)
    }

    public var label: String
    public var promptName: String?
    public var promptText: String
    public var reply = ""
    public var status: Status = .waiting
    public var tokens = 0
    public var tokensPerSecond = 0.0

    public init(label: String, promptName: String?, promptText: String) {
        self.label = label
        self.promptName = promptName
        self.promptText = promptText
    }
}

/// A message of the conversation a comparison continues.
public struct CompareHistoryMessage: Hashable, Sendable {
    public var role: ChatRole
    public var text: String
    public init(role: ChatRole, text: String) { self.role = role; self.text = text }
}

/// A comparison for the app loop to run.
public struct CompareRequest: Hashable, Sendable {
    public struct Prompt: Hashable, Sendable {
        public var name: String?
        public var text: String
        public init(name: String?, text: String) { self.name = name; self.text = text }
    }

    public var prompts: [Prompt]
    /// The user message every column answers.
    public var message: String
    /// The columns to (re)generate, in order.
    public var columns: [Int]
    /// The conversation before the message (user and assistant turns, in order); empty to
    /// compare replies to the message alone.
    public var history: [CompareHistoryMessage]

    public init(prompts: [Prompt], message: String, columns: [Int], history: [CompareHistoryMessage] = []) {
        self.prompts = prompts
        self.message = message
        self.columns = columns
        self.history = history
    }
}

/// News about a running comparison, from the app loop.
public enum CompareAction: Hashable, Sendable {
    /// Column `column` started generating.
    case started(column: Int)
    /// Text of column `column`'s reply.
    case delta(column: Int, text: String)
    /// Column `column` finished.
    case finished(column: Int, stats: ReplyStats)
    /// Column `column` failed.
    case failed(column: Int, message: String)
}

/// What the compare view asks the app loop to do.
public enum CompareEffect: Hashable, Sendable {
    /// Generate the request's columns one after another, with the conversation's options and one
    /// seed for all, reporting through `Action.compare`.
    case run(CompareRequest)
    /// Continue the conversation with this exchange: use the prompt as its system prompt and
    /// append the message and the reply (saved like a normal turn).
    case keep(message: String, reply: String, systemPrompt: String, systemPromptName: String?)
}
