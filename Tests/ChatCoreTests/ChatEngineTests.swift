import Foundation
import GGUF
import Inference
import Testing
import Tokenizers
@testable import ChatCore
import TestSupport

/// Chat turns on the real model: prefix reuse across a long conversation, cancellation.
@Suite(.serialized) struct ChatEngineTests {
    static func engine() async throws -> (InferenceEngine, GGUFFile, Tokenizer) {
        let path = TestPaths.defaultModel.path
        let file = try GGUFFile(path: path)
        let engine = try InferenceEngine(modelPath: path, contextLength: 4096)
        return (engine, file, try Tokenizer(metadata: file.metadata))
    }

    /// A user message of about 100 tokens, different each turn.
    static func message(_ n: Int) -> String {
        let topics = ["rivers", "mountains", "bridges", "libraries", "gardens", "trains", "clocks", "harbors", "deserts", "forests"]
        let t = topics[n % topics.count]
        return "Turn \(n + 1). I am writing a short report about \(t) for a school project and I would like your help. "
            + "Please tell me one surprising fact about \(t), explain in simple words why it is true, and suggest one question "
            + "I could ask my classmates about \(t) to start a discussion. Keep the answer short, two or three sentences at most."
    }

    @Test func turnTwentyEvaluatesOnlyItsNewTokens() async throws {
        let (engine, file, tokenizer) = try await Self.engine()
        var options = GenerationOptions()
        options.temperature = 0
        options.maxTokens = 64
        options.seed = 1
        var session = try ChatSession(metadata: file.metadata, tokenizer: tokenizer, options: options)
        var stats: [TurnStats] = []
        var previousPromptTokens = 0
        for n in 0..<20 {
            let s = try await session.respond(to: Self.message(n), using: engine)
            stats.append(s)
            if n > 0 {
                // Everything up to the previous reply is reused; at most the reply's last tokens
                // (re-tokenized text vs sampled ids) and the new message are evaluated.
                #expect(s.reusedTokens >= previousPromptTokens, "turn \(n + 1): reused \(s.reusedTokens) of \(s.promptTokens)")
                #expect(s.evaluatedTokens <= s.promptTokens - previousPromptTokens + 2)
            }
            previousPromptTokens = s.promptTokens
        }
        let last = try #require(stats.last)
        #expect(last.promptTokens > 2600, "a conversation of about 3000 tokens (\(last.promptTokens))")
        #expect(last.droppedTurns == 0)
        #expect(last.evaluatedTokens < 200)
        print("chat-reuse: turn 1 ttft \(Int(stats[0].timeToFirstToken * 1000)) ms for \(stats[0].promptTokens) tokens; "
            + "turn 20 ttft \(Int(last.timeToFirstToken * 1000)) ms, prompt \(last.promptTokens), reused \(last.reusedTokens), evaluated \(last.evaluatedTokens)")
    }

    @Test func cancellingEndsTheReplyAndLeavesTheEngineUsable() async throws {
        let (engine, file, tokenizer) = try await Self.engine()
        var options = GenerationOptions()
        options.maxTokens = 400
        options.temperature = 0.8
        options.seed = 7
        let session = try ChatSession(metadata: file.metadata, tokenizer: tokenizer, options: options)
        var s = session
        let prompt = try s.beginTurn("Write a very long story about a dragon who learns to bake bread.")
        // Cancel from inside the 5th text callback: at most one more piece may follow.
        let counter = PieceCounter()
        let format = s.format
        let task = Task {
            try await ChatSession.streamReply(prompt, options: options, format: format, backend: engine) { _ in
                if counter.add() == 5 { counter.fire() }
            }
        }
        counter.onFire { task.cancel() }
        let result = try await task.value
        #expect(counter.count >= 5)
        #expect(counter.count <= 6, "at most one more piece after cancelling (got \(counter.count - 5))")
        #expect(result.stats.stopReason == "cancelled")
        #expect(result.stats.generatedTokens < 400)
        #expect(!result.reply.isEmpty)
        // The engine answers the next request normally.
        var again = session
        let next = try await again.respond(to: "Say hello.", using: engine)
        #expect(next.generatedTokens > 0)
        #expect(again.conversation.messages.count == 2)
    }
}

final class PieceCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    private var action: (@Sendable () -> Void)?
    private var fired = false
    func add() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
    var count: Int { lock.lock(); defer { lock.unlock() }; return n }
    /// Runs the action now, or as soon as it is set.
    func fire() {
        lock.lock(); fired = true; let a = action; lock.unlock()
        a?()
    }
    func onFire(_ a: @escaping @Sendable () -> Void) {
        lock.lock(); action = a; let now = fired; lock.unlock()
        if now { a() }
    }
}
