import Foundation

/// Which conversations a list shows, in which order, and which page.
public struct ConversationListQuery: Sendable, Equatable {
    /// Page size and start (0-based row offset).
    public var limit: Int
    public var offset: Int
    /// Pinned conversations before the others (each group most recent first).
    public var pinnedFirst: Bool
    /// Show archived conversations too (hidden by default).
    public var includeArchived: Bool

    public init(limit: Int = 50, offset: Int = 0, pinnedFirst: Bool = true, includeArchived: Bool = false) {
        self.limit = limit
        self.offset = offset
        self.pinnedFirst = pinnedFirst
        self.includeArchived = includeArchived
    }
}

/// A system prompt to put on a conversation: its text and the library entry it came from.
public struct SystemPromptChoice: Sendable, Equatable {
    /// nil removes the system prompt.
    public var text: String?
    public var libraryName: String?

    public init(text: String?, libraryName: String? = nil) {
        self.text = text
        self.libraryName = libraryName
    }
}

/// The seam between the app (UI, chat loop, commands) and where conversations are kept.
///
/// Every mutating call is one transaction: it happens entirely or not at all. Errors are
/// `StorageError`s. `SQLiteConversationStore` is the implementation.
public protocol ConversationStore: Sendable {
    // MARK: Conversations

    /// Creates an empty conversation.
    func createConversation(_ new: NewConversation) throws -> StoredConversation
    /// Creates a conversation with its messages in one transaction (import, tests).
    func insertConversation(_ new: NewConversation, messages: [NewMessage]) throws -> StoredConversation
    /// Renames a conversation; from then on its title no longer follows the first message.
    func renameConversation(_ id: Int64, title: String) throws
    /// Sets (or, with text nil, removes) the conversation's system prompt.
    func setSystemPrompt(_ id: Int64, _ choice: SystemPromptChoice) throws
    /// Records the options (JSON), model file name and prompt format now in use.
    func setGenerationSettings(_ id: Int64, optionsJSON: String?, modelFile: String?, promptFormat: String?) throws
    func setPinned(_ id: Int64, _ pinned: Bool) throws
    func setArchived(_ id: Int64, _ archived: Bool) throws
    /// Deletes a conversation and its messages. Forks of it keep their copies.
    func deleteConversation(_ id: Int64) throws
    /// A new conversation holding copies of `id`'s messages up to and including `messageId`,
    /// linked to its parent, with `systemPrompt` (nil keeps the parent's) and `title` (nil: the
    /// parent's title followed by " (fork)").
    func forkConversation(_ id: Int64, atMessage messageId: Int64, systemPrompt: SystemPromptChoice?,
                          title: String?) throws -> StoredConversation
    /// One page of conversations, most recently updated first.
    func listConversations(_ query: ConversationListQuery) throws -> [ConversationSummary]
    /// How many conversations a list would show in all.
    func conversationCount(includeArchived: Bool) throws -> Int
    /// One conversation and all its messages, in order.
    func conversation(_ id: Int64) throws -> ConversationWithMessages
    /// The ids of every conversation, oldest first (export of the whole database).
    func allConversationIds() throws -> [Int64]

    // MARK: Messages

    /// Appends a message at the end of a conversation and commits it before returning (call it
    /// for the user's message before generation starts). The first user message gives an
    /// untitled conversation its title.
    func appendMessage(to conversationId: Int64, _ message: NewMessage) throws -> StoredMessage
    /// Appends an empty assistant reply with status `partial`, to be grown by `updateReply`.
    func beginReply(in conversationId: Int64, provenance: ReplyProvenance?) throws -> StoredMessage
    /// Replaces a streaming reply's text (cheap: one small transaction; fine every 0.3 s).
    func updateReply(_ messageId: Int64, content: String, status: MessageStatus, tokenCount: Int?) throws
    /// Saves a reply's final text, status (`complete`, `cancelled` or `error`) and provenance.
    func finishReply(_ messageId: Int64, content: String, status: MessageStatus, tokenCount: Int?,
                     errorMessage: String?, provenance: ReplyProvenance?) throws
    /// Deletes one message (e.g. a reply about to be regenerated).
    func deleteMessage(_ messageId: Int64) throws

    // MARK: Search

    /// Full-text search over message contents and conversation titles, best first. Matches are
    /// case-insensitive substrings (CJK included); each matched part of `snippet` is wrapped in
    /// `markers`. Words in double quotes are matched as one phrase.
    func search(_ query: String, limit: Int, offset: Int, includeArchived: Bool,
                markers: SnippetMarkers) throws -> [SearchHit]

    // MARK: System-prompt library

    /// Inserts or replaces the library entry `name`.
    @discardableResult
    func upsertSystemPrompt(name: String, text: String, origin: SystemPromptOrigin) throws -> SystemPromptRecord
    /// Every library entry, by name.
    func systemPrompts() throws -> [SystemPromptRecord]
    func systemPrompt(named name: String) throws -> SystemPromptRecord?
    func deleteSystemPrompt(named name: String) throws
}

extension ConversationStore {
    /// Search with the defaults: 20 hits, archived conversations excluded, control-character markers.
    public func search(_ query: String, limit: Int = 20) throws -> [SearchHit] {
        try search(query, limit: limit, offset: 0, includeArchived: false, markers: .control)
    }
}
