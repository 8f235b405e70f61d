import Foundation
import GGUF
import Testing
import Tokenizers
@testable import ChatCore
import TestSupport

/// The session's bookkeeping with the real SmolLM2 vocabulary (the model runs in ChatEngineTests).
@Suite struct ChatSessionTests {
    static let file: GGUFFile? = try? GGUFFile(path: TestPaths.defaultModel.path)

    func session(options: GenerationOptions = GenerationOptions()) throws -> ChatSession {
        let file = try #require(Self.file)
        return try ChatSession(metadata: file.metadata, tokenizer: try Tokenizer(metadata: file.metadata), options: options)
    }

    @Test func turnsAppendAndPromptsGrowByPrefix() throws {
        var s = try session()
        #expect(s.detection.format == .chatml)
        #expect(s.modelContext == 8192)
        #expect(s.budget.window == 4096)
        let p1 = try s.beginTurn("Hello")
        #expect(p1.prompt.ids.count == p1.fit.promptTokens)
        try s.finishTurn(reply: "Hi! How can I help?", stats: nil)
        let p2 = try s.beginTurn("Tell me a joke")
        #expect(p2.prompt.ids.starts(with: p1.prompt.ids), "turn 2's prompt extends turn 1's")
        #expect(s.conversation.messages.count == 3)
        #expect(s.lastPrompt == p2)
        #expect(throws: ChatError.self) { _ = try s.beginTurn("again") }
        #expect(s.conversation.messages.count == 3, "a refused turn leaves the conversation unchanged")
        s.abandonTurn()
        #expect(s.conversation.messages.count == 2)
    }

    @Test func tooLongMessageSendsNothing() throws {
        var o = GenerationOptions()
        o.contextSize = 128
        var s = try session(options: o)
        #expect(throws: ChatError.self) { _ = try s.beginTurn(String(repeating: "word ", count: 200)) }
        #expect(s.conversation.messages.isEmpty)
    }

    @Test func optionsAndSystemPromptEdits() throws {
        var s = try session()
        try s.setOption(.temperature, to: "0.2")
        #expect(s.options.temperature == 0.2)
        #expect(throws: ChatError.self) { try s.setOption(.topP, to: "7") }
        #expect(s.options.topP == 0.9)
        try s.setOption(.format, to: "llama3")
        #expect(s.format.name == .llama3)
        try s.setOption(.format, to: "auto")
        #expect(s.format.name == .chatml)
        s.useSystemPrompt(try PromptLibrary(userDirectory: nil).load("concise"))
        #expect(s.conversation.systemPromptName == "concise")
        let preview = try s.previewPrompt(nextMessage: "Hi")
        #expect(preview.prompt.text.hasPrefix("<|im_start|>system\nYou are a concise assistant."))
        #expect(s.conversation.messages.isEmpty, "preview does not change the conversation")
        _ = try s.beginTurn("Hi")
        try s.finishTurn(reply: "Hello.", stats: nil)
        s.reset()
        #expect(s.conversation.messages.isEmpty)
        #expect(s.conversation.systemPromptName == "concise")
    }
}
