import Foundation
import Testing
import TestSupport

/// `llamaterm chat --backend tgi` against a real `llamaterm serve` that dies mid-reply: the text
/// that arrived is saved with status `error` and the server's failure, and a turn that fails
/// before any text leaves nothing in the store. Read back through `llamaterm history`.
@Suite(.serialized) struct ChatRemoteStorageTests {
    @Test func replyCutByTheServerIsSavedAsError() throws {
        let dir = try TestPaths.temporaryDirectory("chat-remote")
        let db = dir.appendingPathComponent("r.sqlite").path
        let serve = try ServeProcess()
        defer { serve.stop() }
        let chat = try LiveProcess(["chat", "--backend", "tgi", "--url", serve.url, "--tokenizer", TestPaths.defaultModel.path,
                                    "--db", db, "--max-tokens", "2000", "--temperature", "0.8", "--seed", "3"])
        chat.send("Write a very long story about a dragon who learns to cook.\n")
        _ = try chat.waitForOutput(bytes: 20)
        kill(serve.process.processIdentifier, SIGKILL)
        // The server is gone: this turn fails before any text.
        chat.send("Are you still there?\n")
        chat.closeInput()
        #expect(chat.wait() == 1, "a failed turn makes the piped chat's status 1")
        let errors = chat.stderrText.split(separator: "\n")
        #expect(errors.count >= 2 && errors.allSatisfy { $0.hasPrefix("llamaterm: ") }, "\(chat.stderrText)")

        let show = try runLlamaterm(["history", "show", "1", "--json", "--db", db])
        #expect(show.status == 0, "\(show.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let messages = try #require(root["messages"] as? [[String: String]])
        let meta = try #require((root["llamaterm"] as? [String: Any])?["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] ?? "" } == ["user", "assistant"], "the failed second turn left nothing")
        #expect(meta.count == 2)
        let reply = messages.last?["content"] ?? ""
        #expect(!reply.isEmpty)
        #expect(meta.last?["status"] as? String == "error")
        let failure = meta.last?["error"] as? String ?? ""
        #expect(failure.contains("closed the connection"), "the server's failure is recorded: \(failure)")
        let provenance = meta.last?["provenance"] as? [String: Any]
        #expect((provenance?["model_file"] as? String)?.contains(" @ http://127.0.0.1:\(serve.port)") == true)
        // Everything printed was saved.
        let printed = chat.stdoutText
        #expect(printed.hasPrefix(reply) && printed.dropFirst(reply.count).allSatisfy(\.isNewline), "\(printed)")
        let list = try runLlamaterm(["history", "list", "--json", "--db", db])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows.first?["messages"] as? Int == 2)
    }
}
