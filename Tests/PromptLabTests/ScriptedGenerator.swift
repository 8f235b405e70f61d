import ChatCore
import Foundation
@testable import PromptLab

/// A deterministic generator for orchestration tests: the reply is built from the system prompt,
/// the last user message, the number of messages and the seed, streamed word by word. It records
/// every request and fails if two overlap.
final class ScriptedGenerator: ReplyGenerator, @unchecked Sendable {
    struct Request: Equatable {
        var system: String
        var messages: [Message]
        var seed: UInt64?
    }

    private let lock = NSLock()
    private var _requests: [Request] = []
    private var inFlight = 0
    private(set) var overlapped = false
    /// Replies under a system prompt containing this text fail.
    var failWhenSystemContains: String?

    var requests: [Request] { lock.withLock { _requests } }

    func reply(to conversation: Conversation, options: GenerationOptions, onText: (String) -> Void) async throws -> GeneratedReply {
        lock.withLock {
            inFlight += 1
            if inFlight > 1 { overlapped = true }
            _requests.append(Request(system: conversation.systemPrompt, messages: conversation.messages, seed: options.seed))
        }
        defer { lock.withLock { inFlight -= 1 } }
        if let bad = failWhenSystemContains, conversation.systemPrompt.contains(bad) {
            throw PromptLabError.generationFailed(label: "scripted", message: "refused")
        }
        let last = conversation.messages.last?.content ?? ""
        let text = "[\(conversation.systemPrompt.prefix(12))] reply \(conversation.messages.count) to \(last) seed \(options.seed ?? 0)"
        let words = text.split(separator: " ")
        for (i, w) in words.enumerated() {
            await Task.yield()
            onText(i == 0 ? String(w) : " " + w)
        }
        let stats = TurnStats(promptTokens: 10, reusedTokens: 0, generatedTokens: words.count, timeToFirstToken: 0.01,
                              prefillSeconds: 0.01, decodeSeconds: Double(words.count) / 50, stopReason: "end of turn",
                              droppedTurns: 0, window: 4096)
        return GeneratedReply(text: text, stats: stats)
    }
}
