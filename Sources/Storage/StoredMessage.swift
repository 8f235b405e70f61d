import Foundation

/// One message of a conversation, as stored.
public struct StoredMessage: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var conversationId: Int64
    /// 0, 1, 2... in conversation order.
    public var position: Int
    public var role: MessageRole
    public var content: String
    public var createdAt: Date
    /// The last time the content or status changed (a streaming reply moves it forward).
    public var updatedAt: Date
    /// Tokens in `content`, when the writer knew it.
    public var tokenCount: Int?
    public var status: MessageStatus
    /// Why generation failed, for status `error`.
    public var errorMessage: String?
    /// For replies: how they were produced.
    public var provenance: ReplyProvenance?

    public init(
        id: Int64, conversationId: Int64, position: Int, role: MessageRole, content: String,
        createdAt: Date, updatedAt: Date, tokenCount: Int? = nil, status: MessageStatus = .complete,
        errorMessage: String? = nil, provenance: ReplyProvenance? = nil
    ) {
        self.id = id
        self.conversationId = conversationId
        self.position = position
        self.role = role
        self.content = content
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.tokenCount = tokenCount
        self.status = status
        self.errorMessage = errorMessage
        self.provenance = provenance
    }
}

/// A message to append (import uses every field; the chat loop usually only role and content).
public struct NewMessage: Sendable, Equatable {
    public var role: MessageRole
    public var content: String
    public var createdAt: Date?
    public var updatedAt: Date?
    public var tokenCount: Int?
    public var status: MessageStatus
    public var errorMessage: String?
    public var provenance: ReplyProvenance?

    public init(
        role: MessageRole, content: String, createdAt: Date? = nil, updatedAt: Date? = nil,
        tokenCount: Int? = nil, status: MessageStatus = .complete, errorMessage: String? = nil,
        provenance: ReplyProvenance? = nil
    ) {
        self.role = role
        self.content = content
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.tokenCount = tokenCount
        self.status = status
        self.errorMessage = errorMessage
        self.provenance = provenance
    }
}
