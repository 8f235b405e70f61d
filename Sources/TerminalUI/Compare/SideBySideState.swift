/// One side of the side-by-side view: a saved conversation as the UI shows it.
public struct SideBySideConversation: Hashable, Sendable {
    public var id: Int64
    public var title: String
    /// The system prompt's name, or a short excerpt of it ("" when there is none).
    public var promptLabel: String
    /// User and assistant messages, in order.
    public var messages: [ChatMessageView]

    public init(id: Int64, title: String, promptLabel: String, messages: [ChatMessageView]) {
        self.id = id; self.title = title; self.promptLabel = promptLabel; self.messages = messages
    }
}

/// The side-by-side view of an original conversation and one of its variants (a replay, a
/// compare column or a fork), turn by turn: each user message once, the two replies beside it.
public struct SideBySideState: Hashable, Sendable {
    public var original: SideBySideConversation
    public var variant: SideBySideConversation
    /// Lines scrolled down from the top.
    public var scroll = 0
    /// Whether the replies show their word-level differences (removed words on the left, added
    /// on the right); off shows them as written, line breaks included.
    public var showDiff = true

    public init(original: SideBySideConversation, variant: SideBySideConversation) {
        self.original = original
        self.variant = variant
    }
}
