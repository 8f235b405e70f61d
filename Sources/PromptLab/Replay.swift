import ChatCore

/// Re-runs a conversation's user turns under another system prompt and/or options: the new
/// conversation has the same user messages and fresh replies, each generated from the new
/// conversation so far. The original is never changed.
public struct Replay: Sendable {
    /// The user messages to send, in order.
    public var userMessages: [String]
    public var prompt: LabPrompt
    public var options: GenerationOptions

    /// Takes the user messages of `original`; fails when it has none.
    public init(original: Conversation, prompt: LabPrompt, options: GenerationOptions, conversationId: Int64 = 0) throws {
        let users = original.messages.filter { $0.role == .user }.map(\.content)
        guard !users.isEmpty else { throw PromptLabError.cannotReplay(conversationId: conversationId, message: "it has no user messages") }
        try options.validate()
        userMessages = users
        self.prompt = prompt
        self.options = options
    }

    /// Runs every turn in order. `onTurn(i, conversation, reply)` is called after turn `i` with the
    /// conversation including that reply (to store it as it grows). Throws the first failure.
    public func run(using generator: any ReplyGenerator,
                    onText: (Int, String) -> Void = { _, _ in },
                    onTurn: (Int, Conversation, GeneratedReply) throws -> Void = { _, _, _ in }) async throws -> ReplayResult {
        var conversation = Conversation(systemPrompt: prompt.text, systemPromptName: prompt.name)
        var replies: [GeneratedReply] = []
        for (i, text) in userMessages.enumerated() {
            try Task.checkCancellation()
            try conversation.appendUser(text)
            let reply: GeneratedReply
            do {
                reply = try await generator.reply(to: conversation, options: options) { onText(i, $0) }
            } catch let e as CancellationError {
                throw e
            } catch {
                throw PromptLabError.generationFailed(label: prompt.label, message: "turn \(i + 1): \(error)")
            }
            try conversation.appendAssistant(reply.text)
            replies.append(reply)
            try onTurn(i, conversation, reply)
        }
        return ReplayResult(conversation: conversation, replies: replies)
    }
}

/// A replayed conversation and the stats of each new reply.
public struct ReplayResult: Sendable, Hashable {
    public var conversation: Conversation
    public var replies: [GeneratedReply]
}
