import ChatCore
import Foundation
import Storage

/// Keeps compare and replay results as linked conversations in the store.
public struct LabArchive: Sendable {
    public let store: any ConversationStore
    /// The model file's name and the prompt format, recorded on every conversation.
    public var modelFile: String?
    public var promptFormat: String?

    public init(store: any ConversationStore, modelFile: String?, promptFormat: String?) {
        self.store = store
        self.modelFile = modelFile
        self.promptFormat = promptFormat
    }

    /// Saves a compare run: the first prompt's conversation (the messages and its reply), and
    /// every other prompt's as a fork of it at the last user message, with that prompt and reply.
    /// Failed results are saved with status `error`. Returns the conversation ids in order.
    public func save(_ results: [CompareResult], of run: CompareRun) throws -> [Int64] {
        guard let first = results.first else { return [] }
        let optionsJSON = Self.json(run.options)
        let title = Self.title(run.messages)
        let base = try store.insertConversation(
            NewConversation(title: title, systemPrompt: first.prompt.text.isEmpty ? nil : first.prompt.text,
                            systemPromptName: first.prompt.name, optionsJSON: optionsJSON, modelFile: modelFile,
                            promptFormat: promptFormat),
            messages: run.messages.map { NewMessage(role: $0.role == .user ? .user : .assistant, content: $0.content) })
        let stored = try store.conversation(base.id)
        guard let lastUser = stored.messages.last(where: { $0.role == .user }) else {
            throw PromptLabError.cannotReplay(conversationId: base.id, message: "saved without a user message")
        }
        try appendReply(first, to: base.id, options: run.options)
        var ids = [base.id]
        for r in results.dropFirst() {
            let fork = try store.forkConversation(base.id, atMessage: lastUser.id,
                                                  systemPrompt: SystemPromptChoice(text: r.prompt.text.isEmpty ? nil : r.prompt.text,
                                                                                   libraryName: r.prompt.name),
                                                  title: "\(title) (\(r.prompt.label))")
            try store.setGenerationSettings(fork.id, optionsJSON: optionsJSON, modelFile: modelFile, promptFormat: promptFormat)
            try appendReply(r, to: fork.id, options: run.options)
            ids.append(fork.id)
        }
        return ids
    }

    /// The stored conversation `id` as a chat conversation (user and assistant messages only).
    public func load(_ id: Int64) throws -> (conversation: Conversation, stored: ConversationWithMessages) {
        let stored = try store.conversation(id)
        let messages = stored.messages.compactMap { m -> Message? in
            switch m.role {
            case .user: return .user(m.content)
            case .assistant: return .assistant(m.content)
            case .system: return nil
            }
        }
        let c = Conversation(systemPrompt: stored.conversation.systemPrompt ?? "",
                             systemPromptName: stored.conversation.systemPromptName, messages: messages)
        return (c, stored)
    }

    /// Replays conversation `id` under `prompt` and `options` into a new conversation linked to
    /// it (a fork at its first user message), saving each reply as it completes. The original is
    /// not changed. Returns the new conversation's id and the replay's result.
    public func replay(_ id: Int64, prompt: LabPrompt, options: GenerationOptions, using generator: any ReplyGenerator,
                       onText: (Int, String) -> Void = { _, _ in }) async throws -> (id: Int64, result: ReplayResult) {
        let (conversation, stored) = try load(id)
        let replay = try Replay(original: conversation, prompt: prompt, options: options, conversationId: id)
        guard let firstUser = stored.messages.first(where: { $0.role == .user }) else {
            throw PromptLabError.cannotReplay(conversationId: id, message: "it has no user messages")
        }
        let fork = try store.forkConversation(id, atMessage: firstUser.id,
                                              systemPrompt: SystemPromptChoice(text: prompt.text.isEmpty ? nil : prompt.text,
                                                                               libraryName: prompt.name),
                                              title: "\(stored.conversation.title) (replay: \(prompt.label))")
        // A fork at the first user message also copies any system message before it; the
        // conversation's own system prompt is the one in force.
        try store.setGenerationSettings(fork.id, optionsJSON: Self.json(options), modelFile: modelFile, promptFormat: promptFormat)
        let users = replay.userMessages
        let result = try await replay.run(using: generator, onText: onText) { i, _, reply in
            try appendReply(CompareResult(prompt: prompt, reply: reply.text, stats: reply.stats, error: nil), to: fork.id, options: options)
            if i + 1 < users.count { _ = try store.appendMessage(to: fork.id, NewMessage(role: .user, content: users[i + 1])) }
        }
        return (fork.id, result)
    }

    private func appendReply(_ r: CompareResult, to id: Int64, options: GenerationOptions) throws {
        let provenance = ReplyProvenance(modelFile: modelFile, promptFormat: promptFormat, optionsJSON: Self.json(options),
                                         seed: options.seed, systemPromptHash: Self.hash(r.prompt.text),
                                         promptTokens: r.stats?.promptTokens, prefillTokens: r.stats?.evaluatedTokens,
                                         prefillSeconds: r.stats?.prefillSeconds, decodeTokens: r.stats?.generatedTokens,
                                         decodeSeconds: r.stats?.decodeSeconds)
        _ = try store.appendMessage(to: id, NewMessage(role: .assistant, content: r.reply, tokenCount: r.stats?.generatedTokens,
                                                       status: r.error == nil ? .complete : .error, errorMessage: r.error,
                                                       provenance: provenance))
    }

    static func title(_ messages: [Message]) -> String {
        let first = messages.first { $0.role == .user }?.content ?? "compare"
        let line = first.split(whereSeparator: \.isNewline).first.map(String.init) ?? first
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }

    static func json(_ o: GenerationOptions) -> String? {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(o)).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// FNV-1a 64 of the text, in hex (groups replies by system prompt).
    static func hash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }
}
