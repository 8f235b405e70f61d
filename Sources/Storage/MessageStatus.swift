/// The state of a stored message. User and system messages are always `complete`; a reply is
/// `partial` while it streams (and stays so if the process dies), then `complete`, `cancelled`
/// (the user stopped it) or `error` (generation failed).
public enum MessageStatus: String, Sendable, Codable, CaseIterable {
    case complete, partial, cancelled, error
}

/// Who wrote a message. Stored as the strings `"system"`, `"user"`, `"assistant"`.
public enum MessageRole: String, Sendable, Codable, CaseIterable {
    case system, user, assistant
}
