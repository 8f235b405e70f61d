import ChatCore
import Foundation
import Storage
import Testing
import TestSupport
@testable import PromptLab

/// Compare results and replays in a real SQLite store (generation scripted).
@Suite struct LabArchiveTests {
    func store() throws -> SQLiteConversationStore {
        try SQLiteConversationStore(path: try TestPaths.temporaryDirectory("lab-store").appendingPathComponent("db.sqlite").path)
    }

    @Test func compareResultsBecomeLinkedConversations() async throws {
        let db = try store()
        let prompts = [LabPrompt(name: "concise", text: "Be brief."), LabPrompt(name: nil, text: "Talk like a pirate."),
                       LabPrompt(name: "none", text: "")]
        var o = GenerationOptions()
        o.seed = 5
        let run = try CompareRun(prompts: prompts, messages: [.user("a"), .assistant("b"), .user("c")], options: o)
        let results = await run.run(using: ScriptedGenerator())
        let ids = try LabArchive(store: db, modelFile: "m.gguf", promptFormat: "chatml").save(results, of: run)
        #expect(ids.count == 3)
        let base = try db.conversation(ids[0])
        #expect(base.conversation.systemPromptName == "concise")
        #expect(base.conversation.parentConversationId == nil)
        #expect(base.messages.map(\.content) == ["a", "b", "c", results[0].reply])
        #expect(base.messages.last?.provenance?.seed == 5)
        #expect(base.messages.last?.provenance?.modelFile == "m.gguf")
        for (k, id) in ids.enumerated().dropFirst() {
            let fork = try db.conversation(id)
            #expect(fork.conversation.parentConversationId == ids[0])
            #expect(fork.conversation.systemPrompt == (prompts[k].text.isEmpty ? nil : prompts[k].text))
            #expect(fork.messages.map(\.content) == ["a", "b", "c", results[k].reply])
            #expect(fork.messages.last?.role == .assistant)
        }
    }

    @Test func replayMakesALinkedConversationAndLeavesTheOriginal() async throws {
        let db = try store()
        let messages: [NewMessage] = (1...3).flatMap { i in
            [NewMessage(role: .user, content: "question \(i)"), NewMessage(role: .assistant, content: "old answer \(i)")]
        }
        let original = try db.insertConversation(NewConversation(title: "Quiz", systemPrompt: "old prompt"), messages: messages)
        let before = try db.conversation(original.id)
        var o = GenerationOptions()
        o.seed = 9
        let archive = LabArchive(store: db, modelFile: "m.gguf", promptFormat: "chatml")
        let (newID, result) = try await archive.replay(original.id, prompt: LabPrompt(name: "pirate", text: "Arr."), options: o,
                                                       using: ScriptedGenerator())
        #expect(try db.conversation(original.id) == before)
        let replayed = try db.conversation(newID)
        #expect(replayed.conversation.parentConversationId == original.id)
        #expect(replayed.conversation.systemPrompt == "Arr." && replayed.conversation.systemPromptName == "pirate")
        #expect(replayed.conversation.title == "Quiz (replay: pirate)")
        #expect(replayed.messages.map(\.role) == [.user, .assistant, .user, .assistant, .user, .assistant])
        #expect(replayed.messages.filter { $0.role == .user }.map(\.content) == ["question 1", "question 2", "question 3"])
        #expect(replayed.messages.filter { $0.role == .assistant }.map(\.content) == result.replies.map(\.text))
        #expect(!replayed.messages.contains { $0.content.hasPrefix("old answer") })
        await #expect(throws: StorageError.self) {
            try await archive.replay(9999, prompt: LabPrompt(name: nil, text: ""), options: o, using: ScriptedGenerator())
        }
    }
}
