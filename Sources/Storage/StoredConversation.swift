import Foundation

/// One conversation's own fields (its messages are separate: see `ConversationWithMessages`).
public struct StoredConversation: Sendable, Equatable, Identifiable {
    public var id: Int64
    /// The first line of the first user message, until the user renames it.
    public var title: String
    /// True once the user renamed the conversation (the title then never changes by itself).
    public var titleIsCustom: Bool
    public var createdAt: Date
    public var updatedAt: Date
    /// The system prompt in force, and the name of the library entry it came from (if any).
    public var systemPrompt: String?
    public var systemPromptName: String?
    /// The generation options, as JSON written by the chat layer.
    public var optionsJSON: String?
    /// The model file's name and the prompt format in use.
    public var modelFile: String?
    public var promptFormat: String?
    /// For a fork: the conversation and message it was forked from.
    public var parentConversationId: Int64?
    public var parentMessageId: Int64?
    public var pinned: Bool
    public var archived: Bool

    public init(
        id: Int64, title: String, titleIsCustom: Bool = false, createdAt: Date, updatedAt: Date,
        systemPrompt: String? = nil, systemPromptName: String? = nil, optionsJSON: String? = nil,
        modelFile: String? = nil, promptFormat: String? = nil, parentConversationId: Int64? = nil,
        parentMessageId: Int64? = nil, pinned: Bool = false, archived: Bool = false
    ) {
        self.id = id
        self.title = title
        self.titleIsCustom = titleIsCustom
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.systemPrompt = systemPrompt
        self.systemPromptName = systemPromptName
        self.optionsJSON = optionsJSON
        self.modelFile = modelFile
        self.promptFormat = promptFormat
        self.parentConversationId = parentConversationId
        self.parentMessageId = parentMessageId
        self.pinned = pinned
        self.archived = archived
    }
}

/// What a new conversation starts with. Everything is optional: a conversation may be created
/// empty and filled as the user types.
public struct NewConversation: Sendable, Equatable {
    /// A title; when nil the first user message gives it.
    public var title: String?
    /// Whether `title` was chosen by the user (then it never follows the first message).
    public var titleIsCustom: Bool
    public var systemPrompt: String?
    public var systemPromptName: String?
    public var optionsJSON: String?
    public var modelFile: String?
    public var promptFormat: String?
    /// The creation and last-update times (import keeps the originals); now when nil.
    public var createdAt: Date?
    public var updatedAt: Date?
    public var pinned: Bool
    public var archived: Bool

    public init(
        title: String? = nil, titleIsCustom: Bool = false, systemPrompt: String? = nil,
        systemPromptName: String? = nil, optionsJSON: String? = nil, modelFile: String? = nil,
        promptFormat: String? = nil, createdAt: Date? = nil, updatedAt: Date? = nil,
        pinned: Bool = false, archived: Bool = false
    ) {
        self.title = title
        self.titleIsCustom = titleIsCustom
        self.updatedAt = updatedAt
        self.systemPrompt = systemPrompt
        self.systemPromptName = systemPromptName
        self.optionsJSON = optionsJSON
        self.modelFile = modelFile
        self.promptFormat = promptFormat
        self.createdAt = createdAt
        self.pinned = pinned
        self.archived = archived
    }
}

/// One row of the conversation list: the conversation plus what a list shows about it.
public struct ConversationSummary: Sendable, Equatable, Identifiable {
    public var conversation: StoredConversation
    public var messageCount: Int
    /// The start of the last message (at most 120 characters), for a preview line.
    public var lastMessagePreview: String?
    public var id: Int64 { conversation.id }

    public init(conversation: StoredConversation, messageCount: Int, lastMessagePreview: String?) {
        self.conversation = conversation
        self.messageCount = messageCount
        self.lastMessagePreview = lastMessagePreview
    }
}

/// A conversation with all its messages in order.
public struct ConversationWithMessages: Sendable, Equatable {
    public var conversation: StoredConversation
    public var messages: [StoredMessage]

    public init(conversation: StoredConversation, messages: [StoredMessage]) {
        self.conversation = conversation
        self.messages = messages
    }
}
