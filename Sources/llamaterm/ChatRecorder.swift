import ChatCore
import Foundation
import Storage

/// Keeps the line-mode chat's conversation in the store, the way the terminal UI does: the
/// conversation is created with its first user message (system prompt and its library name,
/// options, model and prompt format), each user message is committed before generation starts,
/// the reply is saved while it streams (status `partial`) and finished `complete`, `cancelled` or
/// `error` with its provenance; system prompt and option changes update the conversation.
struct ChatRecorder {
    let store: any ConversationStore
    /// The database file (for the notices).
    let databasePath: String
    /// How replies name the model: the file name without `.gguf` (as the terminal UI does), or
    /// the remote model and its endpoint.
    let modelLabel: String
    /// The model file's size in bytes (nil for a remote model).
    let modelSize: Int64?
    /// The stored conversation (nil until the first message of a new conversation).
    private(set) var conversationID: Int64?

    init(store: any ConversationStore, databasePath: String, modelLabel: String, modelSize: Int64?,
         conversationID: Int64? = nil) {
        self.store = store
        self.databasePath = databasePath
        self.modelLabel = modelLabel
        self.modelSize = modelSize
        self.conversationID = conversationID
    }

    /// The model label and size for a local model file.
    static func localModel(path: String) -> (label: String, size: Int64?) {
        let label = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        return (label, size)
    }

    // MARK: Turns

    /// Saves the user's message of the turn `session` just began (creating the conversation if
    /// this is its first message) and the empty `partial` reply, and returns where the reply
    /// streams to. `created` is true when the conversation was created now.
    mutating func beginTurn(user text: String, session: ChatSession) throws -> (reply: StreamingReply, created: Bool) {
        var created = false
        let id: Int64
        if let existing = conversationID {
            id = existing
        } else {
            let c = session.conversation
            id = try store.createConversation(NewConversation(
                systemPrompt: c.hasSystemPrompt ? c.systemPrompt : nil, systemPromptName: c.systemPromptName,
                optionsJSON: ChatController.json(session.options), modelFile: modelLabel,
                promptFormat: session.detection.format.rawValue)).id
            created = true
        }
        do {
            let user = try store.appendMessage(to: id, NewMessage(role: .user, content: text))
            do {
                let writer = try ReplyWriter.begin(store: store, conversationId: id, provenance: nil)
                conversationID = id
                return (StreamingReply(writer: writer, userMessageID: user.id, createdConversation: created), created)
            } catch {
                try? store.deleteMessage(user.id)
                throw error
            }
        } catch {
            // Nothing of this turn stays: not even an empty conversation.
            if created { try? store.deleteConversation(id) }
            throw error
        }
    }

    /// Saves the reply's final text with its status and provenance (`stats` nil when generation
    /// failed).
    func finish(_ reply: StreamingReply, status: MessageStatus, errorMessage: String? = nil,
                stats: TurnStats?, session: ChatSession) throws {
        let (messageID, text, pieces) = reply.final()
        let tokens = stats.map(\.generatedTokens).flatMap { $0 > 0 ? $0 : nil } ?? pieces
        try store.finishReply(messageID, content: text, status: status, tokenCount: tokens,
                              errorMessage: errorMessage, provenance: provenance(stats, session: session))
    }

    /// Removes a turn that produced nothing (the session abandons it too): the empty reply, the
    /// user's message, and the conversation when this turn created it.
    mutating func abandon(_ reply: StreamingReply) throws {
        let (messageID, _, _) = reply.final()
        if reply.createdConversation, let id = conversationID {
            try store.deleteConversation(id)
            conversationID = nil
        } else {
            try store.deleteMessage(messageID)
            try store.deleteMessage(reply.userMessageID)
        }
    }

    /// What a reply records about how it was made (the same fields as the terminal UI's).
    func provenance(_ stats: TurnStats?, session s: ChatSession) -> ReplyProvenance {
        ReplyProvenance(modelFile: modelLabel, modelSize: modelSize, promptFormat: s.detection.format.rawValue,
                        optionsJSON: ChatController.json(s.options), seed: s.options.seed,
                        systemPromptHash: ChatController.fingerprint(s.conversation.systemPrompt),
                        promptTokens: stats?.promptTokens, prefillTokens: stats?.evaluatedTokens,
                        prefillSeconds: stats?.prefillSeconds, decodeTokens: stats?.generatedTokens,
                        decodeSeconds: stats?.decodeSeconds)
    }

    // MARK: Changes between turns

    /// Records the session's system prompt on the stored conversation (from the next reply on;
    /// each reply's provenance keeps a hash of the prompt it saw).
    func systemPromptChanged(_ session: ChatSession) throws {
        guard let id = conversationID else { return }
        let c = session.conversation
        try store.setSystemPrompt(id, SystemPromptChoice(text: c.hasSystemPrompt ? c.systemPrompt : nil,
                                                         libraryName: c.systemPromptName))
    }

    /// Records the session's options, the model and the prompt format on the stored conversation.
    func settingsChanged(_ session: ChatSession) throws {
        guard let id = conversationID else { return }
        try store.setGenerationSettings(id, optionsJSON: ChatController.json(session.options), modelFile: modelLabel,
                                        promptFormat: session.detection.format.rawValue)
    }

    /// The next message starts a new conversation.
    mutating func startNewConversation() {
        conversationID = nil
    }
}

/// A reply being saved as it streams. `append` is called from the generating task, the rest from
/// the chat loop after it ended; the lock keeps them apart.
final class StreamingReply: @unchecked Sendable {
    let userMessageID: Int64
    let createdConversation: Bool
    private let lock = NSLock()
    private var writer: ReplyWriter
    private var pieces = 0

    init(writer: ReplyWriter, userMessageID: Int64, createdConversation: Bool) {
        self.writer = writer
        self.userMessageID = userMessageID
        self.createdConversation = createdConversation
    }

    /// Adds streamed text; the writer saves it (status `partial`) at most every 0.3 s. A failed
    /// intermediate save is not fatal: the final save writes the whole text.
    func append(_ piece: String) {
        lock.lock()
        defer { lock.unlock() }
        pieces += 1
        try? writer.append(piece)
    }

    /// Everything streamed so far.
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return writer.text
    }

    func final() -> (messageID: Int64, text: String, pieces: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (writer.messageId, writer.text, pieces)
    }
}
