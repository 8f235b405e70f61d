import Foundation
import GRDB
@testable import Storage
import TestSupport

/// A fresh database file in its own temporary folder.
struct TempStore {
    let folder: URL
    let path: String
    let store: SQLiteConversationStore

    init(_ label: String = "storage") throws {
        folder = try TestPaths.temporaryDirectory(label)
        path = folder.appendingPathComponent("db/llamaterm.sqlite").path
        store = try SQLiteConversationStore(path: path)
    }
}

/// A conversation with a system prompt and three messages, for tests that need some content.
func makeSampleConversation(_ store: SQLiteConversationStore, title: String? = nil) throws -> ConversationWithMessages {
    let c = try store.createConversation(NewConversation(
        title: title, titleIsCustom: title != nil, systemPrompt: "You are terse.", systemPromptName: "terse",
        optionsJSON: #"{"seed":7,"temperature":0.7,"top_p":0.9}"#, modelFile: "SmolLM2.gguf", promptFormat: "chatml"))
    _ = try store.appendMessage(to: c.id, NewMessage(role: .user, content: "What is the capital of France?\nAnswer briefly."))
    let reply = try store.beginReply(in: c.id, provenance: nil)
    try store.finishReply(
        reply.id, content: "Paris.", status: .complete, tokenCount: 3, errorMessage: nil,
        provenance: ReplyProvenance(
            modelFile: "SmolLM2.gguf", modelSize: 98_000_000, promptFormat: "chatml",
            optionsJSON: #"{"seed":7,"temperature":0.7}"#, seed: UInt64.max - 1, systemPromptHash: "abc123",
            promptTokens: 30, prefillTokens: 30, prefillSeconds: 0.25, decodeTokens: 3, decodeSeconds: 0.1))
    _ = try store.appendMessage(to: c.id, NewMessage(role: .user, content: "And of Japan? 🎌"))
    return try store.conversation(c.id)
}

/// Opens a file with plain GRDB (not through the store), for tests that inspect or tamper.
func rawQueue(_ path: String) throws -> DatabaseQueue {
    var config = Configuration()
    config.busyMode = .timeout(10)
    return try DatabaseQueue(path: path, configuration: config)
}
