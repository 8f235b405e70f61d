/// The strings put around each matched part of a search snippet, for the UI to style.
///
/// The default, `.control`, uses U+0001 (start of heading) before and U+0002 (start of text)
/// after a match: they never occur in chat text, so a UI can split on them safely. The command line
/// uses `.brackets` (`[` and `]`).
public struct SnippetMarkers: Sendable, Equatable {
    public var open: String
    public var close: String
    /// Put where the snippet cuts text before or after.
    public var ellipsis: String

    public init(open: String, close: String, ellipsis: String = "…") {
        self.open = open
        self.close = close
        self.ellipsis = ellipsis
    }

    public static let control = SnippetMarkers(open: "\u{1}", close: "\u{2}")
    public static let brackets = SnippetMarkers(open: "[", close: "]")
}

/// One search result: a message (or a conversation title) that matched.
public struct SearchHit: Sendable, Equatable {
    public enum Field: String, Sendable, Codable {
        case title, message
    }

    public var conversationId: Int64
    public var conversationTitle: String
    /// The message that matched; nil for a title match.
    public var messageId: Int64?
    public var role: MessageRole?
    public var field: Field
    /// The matched text around the match, with each match between the markers.
    public var snippet: String
    /// Lower is better (SQLite's bm25, negated scale); 0 for matches found without the index.
    public var rank: Double

    public init(
        conversationId: Int64, conversationTitle: String, messageId: Int64?, role: MessageRole?,
        field: Field, snippet: String, rank: Double
    ) {
        self.conversationId = conversationId
        self.conversationTitle = conversationTitle
        self.messageId = messageId
        self.role = role
        self.field = field
        self.snippet = snippet
        self.rank = rank
    }
}
