/// Who wrote a message.
public enum Role: String, Codable, Sendable, CaseIterable, Hashable {
    case system
    case user
    case assistant
}

/// One message of a conversation: who wrote it and what it says.
public struct Message: Codable, Sendable, Hashable {
    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A message from the user.
    public static func user(_ text: String) -> Message { Message(role: .user, content: text) }
    /// A reply from the model.
    public static func assistant(_ text: String) -> Message { Message(role: .assistant, content: text) }
    /// A system message (a conversation keeps its system prompt separately; see `Conversation`).
    public static func system(_ text: String) -> Message { Message(role: .system, content: text) }
}
