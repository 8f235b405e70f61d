import ChatCore
import Foundation
import Storage

/// A saved conversation turned back into what a chat session holds, read the way the terminal UI
/// opens one: user and assistant messages alternate; a reply is taken as stored whatever its
/// status (a partial, cancelled or failed reply stays in the history, as the model's words); a
/// user message left without a reply (the process died before the reply began) is not sent
/// again and stays only in the store.
struct ResumedChat {
    let stored: ConversationWithMessages
    let conversation: Conversation
    /// The stored options (nil when none were stored or they cannot be read).
    let options: GenerationOptions?
    /// User messages of the store that are not in the conversation (no reply followed them).
    let unansweredMessages: Int

    init(_ stored: ConversationWithMessages) {
        self.stored = stored
        var conversation = Conversation(systemPrompt: stored.conversation.systemPrompt ?? "",
                                        systemPromptName: stored.conversation.systemPromptName)
        var dropped = 0
        for m in stored.messages {
            switch m.role {
            case .user:
                if conversation.messages.last?.role == .user { conversation.messages.removeLast(); dropped += 1 }
                conversation.messages.append(.user(m.content))
            case .assistant:
                guard conversation.messages.last?.role == .user else { continue }
                conversation.messages.append(.assistant(m.content))
            case .system:
                continue
            }
        }
        if conversation.messages.last?.role == .user { conversation.messages.removeLast(); dropped += 1 }
        self.conversation = conversation
        unansweredMessages = dropped
        options = stored.conversation.optionsJSON
            .flatMap { $0.data(using: .utf8) }
            .flatMap { try? JSONDecoder().decode(GenerationOptions.self, from: $0) }
    }

    var id: Int64 { stored.conversation.id }

    /// The last stored reply when it did not end normally (its status and text).
    var unfinishedLastReply: StoredMessage? {
        guard let last = stored.messages.last(where: { $0.role == .assistant }), last.status != .complete else { return nil }
        return last
    }

    /// What the interactive chat prints on resuming: which conversation, and its last turn.
    func summary(databasePath: String) -> String {
        let count = conversation.messages.count
        let turns = conversation.turns
        var lines = ["resuming conversation \(id) \"\(stored.conversation.title)\" (\(count) message\(count == 1 ? "" : "s")) from \(databasePath)"
            + (turns.isEmpty ? "" : "; its last turn:")]
        if let last = turns.last {
            lines.append("> " + last.user)
            if let reply = last.assistant { lines.append(reply) }
        }
        if let unfinished = unfinishedLastReply {
            let how: String
            switch unfinished.status {
            case .partial: how = "was interrupted (saved while it streamed)"
            case .cancelled: how = "was stopped"
            case .error: how = "failed" + (unfinished.errorMessage.map { ": " + $0 } ?? "")
            case .complete: how = "is complete"
            }
            lines.append("(the last reply \(how); it stays in the conversation as it is)")
        }
        if unansweredMessages > 0 {
            lines.append("(\(unansweredMessages) message\(unansweredMessages == 1 ? "" : "s") without a reply \(unansweredMessages == 1 ? "is" : "are") kept in the history but not sent again)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
