import Foundation
@testable import Storage
import Testing
import TestSupport

@Suite("ConversationStore API on a real file")
struct ConversationStoreTests {
    @Test("create, append, title from the first user message, get with messages")
    func createAppendGet() throws {
        let t = try TempStore()
        let c = try t.store.createConversation(NewConversation(modelFile: "m.gguf"))
        #expect(c.title == "")
        _ = try t.store.appendMessage(to: c.id, NewMessage(role: .system, content: "ignored for the title"))
        let user = try t.store.appendMessage(to: c.id, NewMessage(role: .user, content: "\n  Hello   there,\tworld \nsecond line"))
        _ = try t.store.appendMessage(to: c.id, NewMessage(role: .user, content: "Not the title"))
        let got = try t.store.conversation(c.id)
        #expect(got.conversation.title == "Hello there, world")
        #expect(got.messages.map(\.position) == [0, 1, 2])
        #expect(got.messages.map(\.role) == [.system, .user, .user])
        #expect(got.messages[1] == user)
        #expect(got.messages[1].content == "\n  Hello   there,\tworld \nsecond line")
        #expect(got.conversation.updatedAt >= got.conversation.createdAt)
        let long = try t.store.createConversation(NewConversation())
        _ = try t.store.appendMessage(to: long.id, NewMessage(role: .user, content: String(repeating: "word ", count: 40)))
        let title = try t.store.conversation(long.id).conversation.title
        #expect(title.count == TitleMaker.maxLength && title.hasSuffix("…"))
    }

    @Test("the user's message is committed and visible to another connection before any reply")
    func userMessageCommittedFirst() throws {
        let t = try TempStore()
        let c = try t.store.createConversation(NewConversation())
        let m = try t.store.appendMessage(to: c.id, NewMessage(role: .user, content: "saved before generation"))
        let other = try SQLiteConversationStore(path: t.path)
        #expect(try other.conversation(c.id).messages == [m])
    }

    @Test("a streaming reply: begin (partial, empty), updates, finish with provenance")
    func streamingReply() throws {
        let t = try TempStore()
        let c = try t.store.createConversation(NewConversation())
        _ = try t.store.appendMessage(to: c.id, NewMessage(role: .user, content: "hi"))
        let reply = try t.store.beginReply(in: c.id, provenance: ReplyProvenance(modelFile: "a.gguf"))
        #expect(reply.status == .partial && reply.content == "" && reply.role == .assistant && reply.position == 1)
        try t.store.updateReply(reply.id, content: "Hel", status: .partial, tokenCount: 1)
        var stored = try t.store.conversation(c.id).messages[1]
        #expect(stored.content == "Hel" && stored.status == .partial && stored.tokenCount == 1)
        #expect(stored.provenance?.modelFile == "a.gguf")
        let p = ReplyProvenance(modelFile: "b.gguf", modelSize: 1234, promptFormat: "llama2", optionsJSON: "{}",
                                seed: UInt64.max, systemPromptHash: "ff", promptTokens: 9, prefillTokens: 4,
                                prefillSeconds: 0.5, decodeTokens: 2, decodeSeconds: 0.25)
        try t.store.finishReply(reply.id, content: "Hello", status: .complete, tokenCount: 2, errorMessage: nil, provenance: p)
        stored = try t.store.conversation(c.id).messages[1]
        #expect(stored.content == "Hello" && stored.status == .complete && stored.tokenCount == 2)
        #expect(stored.provenance == p, "provenance (including a seed above Int64.max) must round-trip")
        let failed = try t.store.beginReply(in: c.id, provenance: nil)
        try t.store.finishReply(failed.id, content: "Hal", status: .error, tokenCount: nil, errorMessage: "out of memory", provenance: nil)
        stored = try t.store.conversation(c.id).messages[2]
        #expect(stored.status == .error && stored.errorMessage == "out of memory" && stored.provenance == nil)
        #expect(throws: StorageError.messageNotFound(id: 999, path: t.path)) {
            try t.store.updateReply(999, content: "x", status: .partial, tokenCount: nil)
        }
    }

    @Test("rename: custom titles are kept when messages arrive; empty titles refused")
    func rename() throws {
        let t = try TempStore()
        let c = try t.store.createConversation(NewConversation())
        try t.store.renameConversation(c.id, title: "  My chat  ")
        _ = try t.store.appendMessage(to: c.id, NewMessage(role: .user, content: "first message"))
        let got = try t.store.conversation(c.id).conversation
        #expect(got.title == "My chat" && got.titleIsCustom)
        #expect(throws: StorageError.self) { try t.store.renameConversation(c.id, title: "  ") }
        #expect(throws: StorageError.conversationNotFound(id: 4242, path: t.path)) {
            try t.store.renameConversation(4242, title: "x")
        }
    }

    @Test("system prompt and generation settings on a conversation")
    func systemPromptAndSettings() throws {
        let t = try TempStore()
        let c = try t.store.createConversation(NewConversation())
        try t.store.setSystemPrompt(c.id, SystemPromptChoice(text: "Be a pirate.", libraryName: "pirate"))
        try t.store.setGenerationSettings(c.id, optionsJSON: #"{"temperature":1.2}"#, modelFile: "x.gguf", promptFormat: "llama2")
        var got = try t.store.conversation(c.id).conversation
        #expect(got.systemPrompt == "Be a pirate." && got.systemPromptName == "pirate")
        #expect(got.optionsJSON == #"{"temperature":1.2}"# && got.modelFile == "x.gguf" && got.promptFormat == "llama2")
        try t.store.setSystemPrompt(c.id, SystemPromptChoice(text: nil, libraryName: "pirate"))
        got = try t.store.conversation(c.id).conversation
        #expect(got.systemPrompt == nil && got.systemPromptName == nil)
    }

    @Test("list: most recent first, pinned first, archived hidden unless asked, pages")
    func list() throws {
        let t = try TempStore()
        var ids: [Int64] = []
        for i in 0..<7 {
            let c = try t.store.createConversation(NewConversation(
                title: "c\(i)", createdAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(i) * 60)))
            ids.append(c.id)
        }
        // A new message moves c1 to the top.
        _ = try t.store.appendMessage(to: ids[1], NewMessage(role: .user, content: "bump"))
        try t.store.setPinned(ids[3], true)
        try t.store.setArchived(ids[5], true)
        let page = try t.store.listConversations(ConversationListQuery(limit: 50))
        #expect(page.map(\.conversation.title) == ["c3", "c1", "c6", "c4", "c2", "c0"])
        #expect(page[1].messageCount == 1 && page[1].lastMessagePreview == "bump")
        let unpinned = try t.store.listConversations(ConversationListQuery(pinnedFirst: false))
        #expect(unpinned.map(\.conversation.title) == ["c1", "c6", "c4", "c3", "c2", "c0"])
        let all = try t.store.listConversations(ConversationListQuery(pinnedFirst: false, includeArchived: true))
        #expect(all.map(\.conversation.title) == ["c1", "c6", "c5", "c4", "c3", "c2", "c0"])
        let p1 = try t.store.listConversations(ConversationListQuery(limit: 4, offset: 0))
        let p2 = try t.store.listConversations(ConversationListQuery(limit: 4, offset: 4))
        #expect((p1 + p2).map(\.id) == page.map(\.id))
        #expect(try t.store.conversationCount(includeArchived: false) == 6)
        #expect(try t.store.conversationCount(includeArchived: true) == 7)
    }

    @Test("delete removes the conversation, its messages and their search entries")
    func delete() throws {
        let t = try TempStore()
        let a = try makeSampleConversation(t.store)
        let b = try makeSampleConversation(t.store, title: "other")
        #expect(Set(try t.store.search("capital").map(\.conversationId)) == [a.conversation.id, b.conversation.id])
        try t.store.deleteConversation(a.conversation.id)
        #expect(throws: StorageError.conversationNotFound(id: a.conversation.id, path: t.path)) {
            try t.store.conversation(a.conversation.id)
        }
        #expect(try t.store.diagnosticQuery("SELECT count(*) FROM message WHERE conversation_id = \(a.conversation.id)") == ["0"])
        let hits = try t.store.search("capital")
        #expect(hits.map(\.conversationId) == [b.conversation.id] && hits[0].field == .message)
        #expect(throws: StorageError.self) { try t.store.deleteConversation(a.conversation.id) }
        try t.store.deleteMessage(b.messages[2].id)
        #expect(try t.store.conversation(b.conversation.id).messages.count == 2)
    }

    @Test("fork copies history up to the message, takes a new system prompt, links its parent")
    func fork() throws {
        let t = try TempStore()
        let source = try makeSampleConversation(t.store)
        let at = source.messages[1]  // the reply "Paris."
        let fork = try t.store.forkConversation(
            source.conversation.id, atMessage: at.id,
            systemPrompt: SystemPromptChoice(text: "Be verbose.", libraryName: "verbose"), title: nil)
        let got = try t.store.conversation(fork.id)
        #expect(got.conversation.parentConversationId == source.conversation.id)
        #expect(got.conversation.parentMessageId == at.id)
        #expect(got.conversation.systemPrompt == "Be verbose." && got.conversation.systemPromptName == "verbose")
        #expect(got.conversation.title == source.conversation.title + " (fork)")
        #expect(got.conversation.optionsJSON == source.conversation.optionsJSON)
        #expect(got.messages.count == 2)
        for (copy, original) in zip(got.messages, source.messages) {
            #expect(copy.id != original.id && copy.conversationId == fork.id)
            #expect(copy.content == original.content && copy.role == original.role && copy.position == original.position)
            #expect(copy.provenance == original.provenance && copy.status == original.status)
        }
        #expect(try t.store.conversation(source.conversation.id) == source, "the source is unchanged")
        let keep = try t.store.forkConversation(source.conversation.id, atMessage: source.messages[0].id, systemPrompt: nil, title: "Mine")
        #expect(keep.systemPrompt == "You are terse." && keep.title == "Mine")
        // Appending to a fork continues after the copied messages.
        let next = try t.store.appendMessage(to: fork.id, NewMessage(role: .user, content: "more"))
        #expect(next.position == 2)
        // A message of another conversation cannot be a fork point.
        #expect(throws: StorageError.self) {
            _ = try t.store.forkConversation(source.conversation.id, atMessage: next.id, systemPrompt: nil, title: nil)
        }
        // Deleting the parent keeps the fork, with its link cleared.
        try t.store.deleteConversation(source.conversation.id)
        let orphan = try t.store.conversation(fork.id)
        #expect(orphan.messages.count == 3 && orphan.conversation.parentConversationId == nil && orphan.conversation.parentMessageId == nil)
    }

    @Test("system-prompt library: upsert, list, get, delete")
    func systemPromptLibrary() throws {
        let t = try TempStore()
        let a = try t.store.upsertSystemPrompt(name: "pirate", text: "Arr.", origin: .builtin)
        try t.store.upsertSystemPrompt(name: "assistant", text: "Be helpful.", origin: .builtin)
        #expect(a.origin == .builtin && a.createdAt == a.updatedAt)
        Thread.sleep(forTimeInterval: 0.01)
        let same = try t.store.upsertSystemPrompt(name: "pirate", text: "Arr.", origin: .builtin)
        #expect(same == a, "an identical upsert changes nothing, not even the time")
        let edited = try t.store.upsertSystemPrompt(name: "pirate", text: "Arr, matey.", origin: .user)
        #expect(edited.text == "Arr, matey." && edited.origin == .user && edited.createdAt == a.createdAt && edited.updatedAt > a.updatedAt)
        #expect(try t.store.systemPrompts().map(\.name) == ["assistant", "pirate"])
        #expect(try t.store.systemPrompt(named: "pirate") == edited)
        try t.store.deleteSystemPrompt(named: "pirate")
        #expect(try t.store.systemPrompt(named: "pirate") == nil)
        #expect(throws: StorageError.self) { try t.store.deleteSystemPrompt(named: "pirate") }
        #expect(throws: StorageError.self) { try t.store.upsertSystemPrompt(name: " ", text: "x", origin: .user) }
    }

    @Test("appending to an unknown conversation fails and writes nothing")
    func unknownConversation() throws {
        let t = try TempStore()
        #expect(throws: StorageError.conversationNotFound(id: 77, path: t.path)) {
            _ = try t.store.appendMessage(to: 77, NewMessage(role: .user, content: "lost?"))
        }
        #expect(try t.store.diagnosticQuery("SELECT count(*) FROM message") == ["0"])
    }

    @Test("a full disk gives one clear error, keeps what was saved, and the file stays sound")
    func diskFull() throws {
        let t = try TempStore()
        let sample = try makeSampleConversation(t.store)
        let pages = try #require(Int(try t.store.diagnosticQuery("PRAGMA page_count").first ?? ""))
        let limited = try SQLiteConversationStore(path: t.path, maxPageCount: pages + 8)
        let c = try limited.createConversation(NewConversation(title: "filling"))
        let reply = try limited.beginReply(in: c.id, provenance: nil)
        var saved = ""
        var failure: StorageError?
        for i in 0..<200 {
            let text = saved + String(repeating: "x\(i % 10)", count: 2000)
            do {
                try limited.updateReply(reply.id, content: text, status: .partial, tokenCount: nil)
                saved = text
            } catch let error as StorageError {
                failure = error
                break
            }
        }
        let error = try #require(failure, "the size cap was never hit")
        #expect("\(error)".contains("full") && "\(error)".contains(t.path), "\(error)")
        // The last successful save is intact, and so is everything before it.
        let reopened = try SQLiteConversationStore(path: t.path)
        #expect(try reopened.diagnosticQuery("PRAGMA integrity_check") == ["ok"])
        #expect(try reopened.conversation(c.id).messages.first?.content == saved)
        #expect(try reopened.conversation(sample.conversation.id) == sample)
        // Without the cap, writing works again.
        try reopened.updateReply(reply.id, content: saved + "!", status: .complete, tokenCount: nil)
    }
}
