import Foundation

/// Saves a streaming reply as it grows: at most once per `interval` (0.3 s by default) while text
/// arrives, and always the final state. A process killed mid-reply loses at most the text of the
/// last interval; the saved reply keeps status `partial` until `finish`.
///
/// ```swift
/// var writer = try ReplyWriter.begin(store: store, conversationId: id, provenance: nil)
/// for try await piece in stream { try writer.append(piece) }
/// try writer.finish(status: .complete, provenance: stats)
/// ```
public struct ReplyWriter: Sendable {
    public let store: any ConversationStore
    /// The reply being written.
    public let messageId: Int64
    public let interval: Duration
    /// Everything appended so far.
    public private(set) var text: String = ""
    /// Tokens appended so far, when the caller counts them.
    public private(set) var tokenCount: Int?
    /// How many times the reply was written to the database (for tests and stats).
    public private(set) var saveCount = 0
    private var lastSave: ContinuousClock.Instant
    private var unsaved = false
    private var finished = false

    /// Takes over the existing reply `messageId` (already holding `text`).
    public init(store: any ConversationStore, messageId: Int64, text: String = "",
                interval: Duration = .milliseconds(300)) {
        self.store = store
        self.messageId = messageId
        self.text = text
        self.interval = interval
        self.lastSave = ContinuousClock.now
    }

    /// Appends an empty `partial` assistant reply to the conversation and returns its writer.
    public static func begin(
        store: any ConversationStore, conversationId: Int64, provenance: ReplyProvenance?,
        interval: Duration = .milliseconds(300)
    ) throws -> ReplyWriter {
        let message = try store.beginReply(in: conversationId, provenance: provenance)
        return ReplyWriter(store: store, messageId: message.id, interval: interval)
    }

    /// Adds streamed text (and `tokens` generated tokens); saves when the last save is older than
    /// `interval`.
    public mutating func append(_ piece: String, tokens: Int = 0) throws {
        text += piece
        if tokens > 0 { tokenCount = (tokenCount ?? 0) + tokens }
        unsaved = true
        if ContinuousClock.now - lastSave >= interval { try flush() }
    }

    /// Saves the text now if anything is unsaved (status stays `partial`).
    public mutating func flush() throws {
        guard unsaved, !finished else { return }
        try store.updateReply(messageId, content: text, status: .partial, tokenCount: tokenCount)
        lastSave = ContinuousClock.now
        unsaved = false
        saveCount += 1
    }

    /// Saves the final text with its status (`complete`, `cancelled`, `error`) and provenance.
    public mutating func finish(status: MessageStatus, errorMessage: String? = nil,
                                provenance: ReplyProvenance? = nil) throws {
        try store.finishReply(messageId, content: text, status: status, tokenCount: tokenCount,
                              errorMessage: errorMessage, provenance: provenance)
        finished = true
        unsaved = false
        saveCount += 1
    }
}
