import Foundation
@testable import Storage
import Testing
import TestSupport

@Suite("Export and import")
struct ExportImportTests {
    @Test("JSON export → import → export gives the same text, and the same conversation")
    func jsonRoundTrip() throws {
        let t = try TempStore("export")
        var sample = try makeSampleConversation(t.store, title: "Capitals")
        try t.store.setPinned(sample.conversation.id, true)
        let partial = try t.store.beginReply(in: sample.conversation.id, provenance: nil)
        try t.store.updateReply(partial.id, content: "Tok", status: .partial, tokenCount: 1)
        sample = try t.store.conversation(sample.conversation.id)
        let first = try ConversationExporter.json(sample)
        let (new, messages) = try ConversationExporter.parseJSON(Data(first.utf8), source: "mem")
        let imported = try t.store.insertConversation(new, messages: messages)
        #expect(imported.id != sample.conversation.id)
        let copy = try t.store.conversation(imported.id)
        let second = try ConversationExporter.json(copy)
        #expect(first == second)
        // Everything but ids is the same.
        #expect(copy.conversation.title == "Capitals" && copy.conversation.titleIsCustom && copy.conversation.pinned)
        #expect(copy.conversation.createdAt == sample.conversation.createdAt && copy.conversation.updatedAt == sample.conversation.updatedAt)
        #expect(copy.conversation.systemPrompt == "You are terse." && copy.conversation.systemPromptName == "terse")
        #expect(copy.messages.count == sample.messages.count)
        for (a, b) in zip(copy.messages, sample.messages) {
            #expect(a.role == b.role && a.content == b.content && a.status == b.status && a.tokenCount == b.tokenCount)
            #expect(a.createdAt == b.createdAt && a.updatedAt == b.updatedAt && a.provenance == b.provenance)
        }
        #expect(copy.messages.last?.status == .partial)
    }

    @Test("the JSON is Hugging Face's chat format: messages of role and content, system prompt first")
    func huggingFaceShape() throws {
        let t = try TempStore("export-hf")
        let sample = try makeSampleConversation(t.store)
        let json = try ConversationExporter.json(sample)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let messages = try #require(object["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "user", "assistant", "user"])
        #expect(messages.map { Set($0.keys) }.allSatisfy { $0 == ["role", "content"] })
        #expect(messages[0]["content"] as? String == "You are terse.")
        #expect(messages[3]["content"] as? String == "And of Japan? 🎌")
        let meta = try #require(object["llamaterm"] as? [String: Any])
        #expect((meta["options"] as? [String: Any])?["temperature"] as? Double == 0.7)
        let perMessage = try #require(meta["messages"] as? [[String: Any]])
        #expect(perMessage.count == 4 && perMessage[0]["kind"] as? String == "system_prompt")
        let provenance = try #require(perMessage[2]["provenance"] as? [String: Any])
        #expect(provenance["model_file"] as? String == "SmolLM2.gguf")
        #expect(json.contains("\"seed\" : 18446744073709551614"))
    }

    @Test("a plain Hugging Face file (no llamaterm metadata) imports; the first system message is the system prompt")
    func plainImport() throws {
        let t = try TempStore("import-plain")
        let text = #"{"messages":[{"role":"system","content":"Be kind."},{"role":"user","content":"Hi 👋"},{"role":"assistant","content":"Hello!"},{"role":"system","content":"Mid-conversation note"}]}"#
        let (new, messages) = try ConversationExporter.parseJSON(Data(text.utf8), source: "plain.json")
        let c = try t.store.insertConversation(new, messages: messages)
        let got = try t.store.conversation(c.id)
        #expect(got.conversation.systemPrompt == "Be kind." && got.conversation.title == "Hi 👋")
        #expect(got.messages.map(\.role) == [.user, .assistant, .system])
        #expect(got.messages.allSatisfy { $0.status == .complete })
    }

    @Test("malformed imports: one clear error naming the file, nothing written", arguments: [
        ("{not json", "not valid JSON"),
        (#"{"messages": 3}"#, "messages"),
        (#"{"conversation": []}"#, "missing \"messages\""),
        (#"{"messages":[{"role":"tool","content":"x"}]}"#, "unsupported role \"tool\""),
        (#"{"messages":[{"role":"user","content":["part"]}]}"#, "messages[0].content"),
        (#"{"messages":[{"role":"user","content":"x"}],"llamaterm":{"version":1,"title":"t","messages":[]}}"#, "0 entries for 1 messages"),
        (#"{"messages":[{"role":"user","content":"x"}],"llamaterm":{"version":1,"title":"t","created":"yesterday"}}"#, "bad time"),
        (#"{"messages":[],"llamaterm":{"version":99,"title":"t"}}"#, "newer llamaterm"),
    ])
    func malformed(input: String, expected: String) throws {
        let t = try TempStore("import-bad")
        let file = t.folder.appendingPathComponent("bad.json")
        try Data(input.utf8).write(to: file)
        #expect {
            _ = try ConversationExporter.importJSON(file: file.path, into: t.store)
        } throws: { error in
            let text = "\(error)"
            return text.contains(file.path) && text.contains(expected) && !text.contains("\n")
        }
        #expect(try t.store.conversationCount(includeArchived: true) == 0)
    }

    @Test("an unreadable import file names the file and the reason")
    func missingFile() throws {
        let t = try TempStore("import-missing")
        let path = t.folder.appendingPathComponent("nope.json").path
        #expect {
            _ = try ConversationExporter.importJSON(file: path, into: t.store)
        } throws: { "\($0)".contains(path) }
    }

    @Test("Markdown: title, metadata, system prompt, a heading per message with role and status")
    func markdown() throws {
        let t = try TempStore("export-md")
        let sample = try makeSampleConversation(t.store, title: "Capitals")
        let reply = try t.store.beginReply(in: sample.conversation.id, provenance: nil)
        try t.store.finishReply(reply.id, content: "Tok", status: .cancelled, tokenCount: nil, errorMessage: nil, provenance: nil)
        let md = ConversationExporter.markdown(try t.store.conversation(sample.conversation.id))
        #expect(md.hasPrefix("# Capitals\n"))
        #expect(md.contains("- Model: SmolLM2.gguf"))
        #expect(md.contains("## System prompt (terse)\n\nYou are terse.\n"))
        #expect(md.contains("## User · ") && md.contains("What is the capital of France?\nAnswer briefly."))
        #expect(md.contains("## Assistant · ") && md.contains("Paris.\n\n> model SmolLM2.gguf · format chatml · seed 18446744073709551614 · 3 tokens at 30.0 tokens/s"))
        #expect(md.contains(" · cancelled\n\nTok\n"))
        let headings = md.split(separator: "\n").filter { $0.hasPrefix("## ") }
        #expect(headings.count == 5)  // system prompt, user, assistant, user, cancelled assistant
    }

    @Test("export --all writes a JSON and a Markdown file per conversation, and each JSON imports")
    func exportAll() throws {
        let t = try TempStore("export-all")
        let a = try makeSampleConversation(t.store, title: "A")
        let b = try makeSampleConversation(t.store, title: "B")
        let folder = t.folder.appendingPathComponent("out/nested").path
        #expect(try ConversationExporter.exportAll(from: t.store, to: folder) == 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files.count == 4 && files.filter { $0.hasSuffix(".json") }.count == 2 && files.filter { $0.hasSuffix(".md") }.count == 2)
        let other = try TempStore("export-all-target")
        for file in files where file.hasSuffix(".json") {
            _ = try ConversationExporter.importJSON(file: folder + "/" + file, into: other.store)
        }
        let titles = try other.store.listConversations(ConversationListQuery(includeArchived: true)).map(\.conversation.title)
        #expect(Set(titles) == Set([a.conversation.title, b.conversation.title]))
    }
}
