import Foundation
import Testing
import TestSupport

/// `llamaterm chat` saving to the conversation database: the real binary, the real model, real
/// SQLite files in temporary folders, read back through `llamaterm history`.
@Suite struct ChatStorageTests {
    let model = TestPaths.defaultModel.path
    /// Short, reproducible replies.
    let quick = ["--max-tokens", "8", "--seed", "1", "--temperature", "0"]

    /// `history show ID --json` parsed: the messages (role, content) and their metadata.
    struct Export {
        var messages: [(role: String, content: String)]
        var meta: [[String: Any]]
        var llamaterm: [String: Any]

        func provenance(_ i: Int) -> [String: Any] { meta[i]["provenance"] as? [String: Any] ?? [:] }
        func status(_ i: Int) -> String? { meta[i]["status"] as? String }
    }

    /// Whether conversation `id`'s second message is a reply saved with some text and status
    /// partial (false while the conversation or the reply does not exist yet).
    func savedPartially(_ id: Int, db: String) throws -> Bool {
        let r = try runLlamaterm(["history", "show", String(id), "--json", "--db", db])
        guard r.status == 0,
              let root = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let messages = root["messages"] as? [[String: String]], messages.count >= 2,
              let meta = (root["llamaterm"] as? [String: Any])?["messages"] as? [[String: Any]], meta.count >= 2
        else { return false }
        return !(messages[1]["content"] ?? "").isEmpty && meta[1]["status"] as? String == "partial"
    }

    func export(_ id: Int, db: String) throws -> Export {
        let r = try runLlamaterm(["history", "show", String(id), "--json", "--db", db])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let messages = try #require(root["messages"] as? [[String: String]])
        let llamaterm = try #require(root["llamaterm"] as? [String: Any])
        let meta = try #require(llamaterm["messages"] as? [[String: Any]])
        return Export(messages: messages.map { ($0["role"] ?? "", $0["content"] ?? "") }, meta: meta, llamaterm: llamaterm)
    }

    func list(db: String) throws -> [[String: Any]] {
        let r = try runLlamaterm(["history", "list", "--json", "--db", db])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    @Test func pipedChatIsSavedAndResumed() throws {
        let dir = try TestPaths.temporaryDirectory("chat-save")
        let db = dir.appendingPathComponent("data/chat.sqlite").path
        let first = try runLlamaterm(["chat", "--model", model, "--db", db] + quick,
                                     stdin: "What is the capital of France?\nAnd of Italy?\n")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.isEmpty, "nothing on stderr in pipe mode: \(first.stderr)")
        #expect(!first.stdout.contains("saving") && !first.stdout.contains(db), "stdout holds only the replies")

        let rows = try list(db: db)
        #expect(rows.count == 1)
        #expect(rows.first?["messages"] as? Int == 4)
        #expect(rows.first?["title"] as? String == "What is the capital of France?")
        let id = try #require(rows.first?["id"] as? Int)

        let saved = try export(id, db: db)
        #expect(saved.messages.map(\.role) == ["user", "assistant", "user", "assistant"])
        #expect(saved.messages[0].content == "What is the capital of France?")
        #expect(saved.messages[2].content == "And of Italy?")
        // What was printed is exactly what was saved: each reply and a newline.
        #expect(first.stdout == saved.messages[1].content + "\n" + saved.messages[3].content + "\n")
        #expect(saved.meta.allSatisfy { $0["status"] as? String == "complete" })
        #expect(saved.llamaterm["model"] as? String == "SmolLM2-135M-Instruct.Q4_1")
        #expect(saved.llamaterm["prompt_format"] as? String == "chatml")
        for i in [1, 3] {
            let p = saved.provenance(i)
            #expect(p["model_file"] as? String == "SmolLM2-135M-Instruct.Q4_1")
            let size = try FileManager.default.attributesOfItem(atPath: model)[.size] as? Int
            #expect(p["model_size"] as? Int == size)
            #expect(p["prompt_format"] as? String == "chatml")
            #expect(p["seed"] as? Int == 1)
            #expect(p["system_prompt_hash"] is String)
            #expect((p["options"] as? [String: Any])?["maxTokens"] as? Int == 8)
            let decoded = try #require(p["decode_tokens"] as? Int)
            #expect(decoded > 0 && decoded <= 8)
            #expect(saved.meta[i]["token_count"] as? Int == decoded)
            #expect((p["prompt_tokens"] as? Int ?? 0) > 0)
            #expect(p["decode_seconds"] is Double)
        }
        // The second turn's prompt held the first turn.
        let prompt1 = try #require(saved.provenance(1)["prompt_tokens"] as? Int)
        let prompt3 = try #require(saved.provenance(3)["prompt_tokens"] as? Int)
        #expect(prompt3 > prompt1)

        let show = try runLlamaterm(["history", "show", String(id), "--db", db])
        #expect(show.status == 0)
        #expect(show.stdout.contains("What is the capital of France?") && show.stdout.contains("And of Italy?"))
        #expect(show.stdout.contains(saved.messages[3].content.trimmingCharacters(in: .whitespacesAndNewlines)))

        // Resume with no generation flags: the stored options (8 tokens, seed 1, greedy) apply.
        let again = try runLlamaterm(["chat", "--model", model, "--db", db, "--resume", String(id)],
                                     stdin: "/show prompt\nAnd of Spain?\n")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("<|im_start|>user\nWhat is the capital of France?<|im_end|>"), "the model sees the history")
        #expect(again.stdout.contains("<|im_start|>user\nAnd of Italy?<|im_end|>"))
        #expect(again.stdout.contains("<|im_start|>assistant\n\(saved.messages[3].content.trimmingCharacters(in: .whitespacesAndNewlines))<|im_end|>"))
        #expect(try list(db: db).count == 1, "appended to the same conversation")
        let resumed = try export(id, db: db)
        #expect(resumed.messages.count == 6)
        #expect(Array(resumed.messages.prefix(4).map(\.content)) == saved.messages.map(\.content))
        #expect(resumed.messages[4].role == "user" && resumed.messages[4].content == "And of Spain?")
        #expect(resumed.status(5) == "complete")
        #expect(resumed.provenance(5)["seed"] as? Int == 1)
        #expect((resumed.provenance(5)["options"] as? [String: Any])?["maxTokens"] as? Int == 8)
        #expect((resumed.provenance(5)["prompt_tokens"] as? Int ?? 0) > prompt3)
        #expect(again.stdout.hasSuffix(resumed.messages[5].content + "\n"))
    }

    @Test func noSaveWritesNothing() throws {
        let dir = try TestPaths.temporaryDirectory("chat-nosave")
        let r = try runLlamaterm(["chat", "--model", model, "--no-save", "--db", dir.appendingPathComponent("x.sqlite").path] + quick,
                                 stdin: "Hello\n",
                                 environment: ["LLAMATERM_DB": dir.appendingPathComponent("env.sqlite").path,
                                               "XDG_DATA_HOME": dir.appendingPathComponent("xdg").path,
                                               "LLAMATERM_MODEL": model])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "no database file, no folder")
    }

    @Test func unknownResumeIsOneLineAndExitOne() throws {
        let dir = try TestPaths.temporaryDirectory("chat-resume")
        let db = dir.appendingPathComponent("c.sqlite").path
        let r = try runLlamaterm(["chat", "--model", model, "--db", db, "--resume", "999"], stdin: "Hello\n")
        #expect(r.status == 1)
        #expect(r.stderr == "llamaterm: no conversation with id 999 in \(db)\n")
        #expect(r.stdout.isEmpty)
        let both = try runLlamaterm(["chat", "--model", model, "--no-save", "--resume", "1"], stdin: "")
        #expect(both.status != 0)
        #expect(both.stderr.contains("--resume continues a saved conversation: it cannot be used with --no-save"))
    }

    /// `/system`, `/set` update the stored conversation; `/reset` starts a new one; a chat with no
    /// message leaves no conversation. The database comes from LLAMATERM_DB.
    @Test func slashCommandsUpdateTheStoredConversation() throws {
        let dir = try TestPaths.temporaryDirectory("chat-slash")
        let db = dir.appendingPathComponent("env.sqlite").path
        let env = ["LLAMATERM_DB": db, "XDG_CONFIG_HOME": dir.path]
        let empty = try runLlamaterm(["chat", "--model", model] + quick, stdin: "/set top-k 5\n/stats\n", environment: env)
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(try list(db: db).isEmpty, "no message, no conversation")

        let input = "Hi there\n/system You are a pirate.\n/set top-k 5\nWho are you?\n/reset\n/prompt concise\nHello again\n"
        let r = try runLlamaterm(["chat", "--model", model] + quick, stdin: input, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try list(db: db)
        #expect(rows.count == 2)
        let byTitle = Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["title"] as? String).map { ($0, row) } })
        let firstID = try #require(byTitle["Hi there"]?["id"] as? Int)
        let secondID = try #require(byTitle["Hello again"]?["id"] as? Int)

        let first = try export(firstID, db: db)
        #expect(first.messages.map(\.role) == ["system", "user", "assistant", "user", "assistant"])
        #expect(first.messages[0].content == "You are a pirate.")
        #expect((first.llamaterm["options"] as? [String: Any])?["topK"] as? Int == 5)
        // Each reply records the prompt it saw.
        let hash1 = first.provenance(2)["system_prompt_hash"] as? String
        let hash2 = first.provenance(4)["system_prompt_hash"] as? String
        #expect(hash1 != nil && hash2 != nil && hash1 != hash2)
        #expect((first.provenance(2)["options"] as? [String: Any])?["topK"] as? Int == 50)
        #expect((first.provenance(4)["options"] as? [String: Any])?["topK"] as? Int == 5)

        let second = try export(secondID, db: db)
        #expect(second.messages.map(\.role) == ["system", "user", "assistant"])
        #expect(second.messages[0].content.hasPrefix("You are a concise assistant."))
        #expect(second.llamaterm["system_prompt_name"] as? String == "concise")
    }

    /// Ctrl-C mid-reply: the partial reply is kept, marked cancelled. SIGKILL mid-reply: the text
    /// saved while streaming survives, marked partial, and `--resume` continues after it.
    @Test func interruptedRepliesAreKept() throws {
        let dir = try TestPaths.temporaryDirectory("chat-interrupt")
        let db = dir.appendingPathComponent("i.sqlite").path
        let long = ["--max-tokens", "2000", "--seed", "3", "--temperature", "0.8", "--ctx-size", "4096"]

        let stopped = try LiveProcess(["chat", "--model", model, "--db", db] + long)
        stopped.send("Write a very long story about a dragon who learns to cook.\n")
        let seen = try stopped.waitForOutput(bytes: 20)
        stopped.process.interrupt()
        Thread.sleep(forTimeInterval: 0.5)
        stopped.closeInput()
        let status = stopped.wait()
        #expect(status == 0, "\(stopped.stderrText)")
        #expect(seen.count >= 20)
        let cancelled = try export(1, db: db)
        #expect(cancelled.messages.map(\.role) == ["user", "assistant"])
        #expect(cancelled.status(1) == "cancelled")
        #expect(!cancelled.messages[1].content.isEmpty)
        #expect(stopped.stdoutText == cancelled.messages[1].content + "\n", "everything printed was saved")

        let killed = try LiveProcess(["chat", "--model", model, "--db", db] + long)
        killed.send("Write a very long story about a dragon who learns to cook.\n")  // 2000 tokens with seed 3
        _ = try killed.waitForOutput(bytes: 20)
        // Kill as soon as streamed text is in the database (a fixed delay raced the end of the
        // reply once decoding got faster).
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !(try savedPartially(2, db: db)) { Thread.sleep(forTimeInterval: 0.02) }
        kill(killed.process.processIdentifier, SIGKILL)
        _ = killed.wait()
        let partial = try export(2, db: db)
        #expect(partial.messages.map(\.role) == ["user", "assistant"])
        #expect(partial.status(1) == "partial")
        let kept = partial.messages[1].content
        #expect(!kept.isEmpty, "the reply was saved while it streamed")
        #expect(killed.stdoutText.hasPrefix(kept), "the saved text is what was printed (at most the last moment is lost)")

        let resumed = try runLlamaterm(["chat", "--model", model, "--db", db, "--resume", "2", "--max-tokens", "4"],
                                       stdin: "/show prompt\nThanks\n")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        // (Formats trim each message's ends; the cut may have left a space or newline there.)
        let keptTrimmed = kept.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(resumed.stdout.contains("<|im_start|>assistant\n\(keptTrimmed)<|im_end|>"),
                "the partial reply stays in the history the model sees")
        let after = try export(2, db: db)
        #expect(after.messages.map(\.role) == ["user", "assistant", "user", "assistant"])
        #expect(after.status(1) == "partial" && after.messages[1].content == kept, "the partial reply is kept as it was")
        #expect(after.status(3) == "complete")
    }
}
