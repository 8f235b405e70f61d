/// A chat: the system prompt (its text and, when it came from the library, its name) and the
/// messages in order. The whole prompt is rebuilt from this every turn.
///
/// `messages` holds only user and assistant messages, alternating and starting with a user
/// message; `validate()` checks that shape. The system prompt lives apart so it can be edited at
/// any time and always stays in the prompt.
public struct Conversation: Codable, Sendable, Hashable {
    /// The system prompt text ("" for none).
    public var systemPrompt: String
    /// The library name of the system prompt (`PromptLibrary`), or nil when it was typed in.
    public var systemPromptName: String?
    /// User and assistant messages, oldest first.
    public var messages: [Message]

    public init(systemPrompt: String = "", systemPromptName: String? = nil, messages: [Message] = []) {
        self.systemPrompt = systemPrompt
        self.systemPromptName = systemPromptName
        self.messages = messages
    }

    /// True when there is a non-blank system prompt.
    public var hasSystemPrompt: Bool { !systemPrompt.allSatisfy(\.isWhitespace) }

    /// The conversation as user/assistant turns: each turn is a user message and, except possibly
    /// the last, the assistant's reply.
    public var turns: [Turn] {
        var out: [Turn] = []
        var i = 0
        while i < messages.count {
            let user = messages[i].content
            var reply: String?
            if i + 1 < messages.count, messages[i + 1].role == .assistant {
                reply = messages[i + 1].content
                i += 2
            } else {
                i += 1
            }
            out.append(Turn(user: user, assistant: reply))
        }
        return out
    }

    /// True when the last message is the user's (a reply is due).
    public var awaitsReply: Bool { messages.last?.role == .user }

    /// Adds a user message. Throws when the previous user message has no reply yet.
    public mutating func appendUser(_ text: String) throws {
        if awaitsReply { throw ChatError.invalidConversation("two user messages in a row (the previous one has no reply)") }
        messages.append(.user(text))
    }

    /// Adds the model's reply to the last user message.
    public mutating func appendAssistant(_ text: String) throws {
        guard awaitsReply else { throw ChatError.invalidConversation("an assistant reply without a user message before it") }
        messages.append(.assistant(text))
    }

    /// Checks the shape: only user/assistant roles, alternating, starting with the user.
    public func validate() throws {
        for (i, m) in messages.enumerated() {
            let expected: Role = i % 2 == 0 ? .user : .assistant
            if m.role != expected {
                throw ChatError.invalidConversation(
                    "message \(i + 1) is from \(m.role.rawValue), expected \(expected.rawValue) (messages alternate user/assistant, starting with user)")
            }
        }
    }

    /// Builds a conversation from a Hugging Face style message list: an optional system message
    /// first, then alternating user/assistant messages.
    public init(huggingFace messages: [Message]) throws {
        var rest = messages[...]
        var system = ""
        if let first = rest.first, first.role == .system {
            system = first.content
            rest = rest.dropFirst()
        }
        self.init(systemPrompt: system, messages: Array(rest))
        try validate()
    }
}

/// One exchange: a user message and the reply to it (nil while it is still due).
public struct Turn: Sendable, Hashable {
    public var user: String
    public var assistant: String?

    public init(user: String, assistant: String? = nil) {
        self.user = user
        self.assistant = assistant
    }
}
