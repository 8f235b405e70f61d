import Foundation
import Testing
import TestSupport

/// `llamaterm prompt` through the real binary.
@Suite struct PromptCommandTests {
    static func dialogs() throws -> [[String: Any]] {
        let data = try Data(contentsOf: TestPaths.fixture("reference.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["llama2_chat"] as? [[String: Any]])
    }

    /// Writes a fixture dialog in Hugging Face's format.
    static func writeDialog(_ d: [String: Any], to dir: URL, index: Int) throws -> URL {
        var messages: [[String: String]] = []
        if let system = d["system"] as? String { messages.append(["role": "system", "content": system]) }
        for (i, t) in (try #require(d["turns"] as? [String])).enumerated() {
            messages.append(["role": i % 2 == 0 ? "user" : "assistant", "content": t])
        }
        let url = dir.appendingPathComponent("dialog\(index).json")
        try JSONSerialization.data(withJSONObject: messages).write(to: url)
        return url
    }

    @Test func llama2FixturesMatchIdForIdThroughTheBinary() throws {
        let dir = try TestPaths.temporaryDirectory("prompt")
        let vocab = TestPaths.fixture("ggml-vocab-llama-spm.gguf").path
        for (i, d) in try Self.dialogs().enumerated() {
            let url = try Self.writeDialog(d, to: dir, index: i)
            let r = try runLlamaterm(["prompt", "--ids", "--model", vocab, "--dialog", url.path])
            #expect(r.status == 0, "\(r.stderr)")
            let expected = try #require(d["ids"] as? [Int])
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count == 1, "one JSON array line")
            let got = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Int]
            #expect(got == expected, "dialog \(i)")
            // The fallback to llama2 is announced.
            #expect(r.stderr.contains("using llama2 for its SentencePiece Llama vocabulary"))

            let text = try runLlamaterm(["prompt", "--model", vocab, "--format", "llama2", "--dialog", url.path])
            #expect(text.status == 0)
            #expect(text.stdout == (d["text"] as? String ?? "") + "\n")
        }
    }

    @Test func badInputGivesOneLineErrors() throws {
        let dir = try TestPaths.temporaryDirectory("prompt")
        let bad = dir.appendingPathComponent("bad.json")
        try Data(#"[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]"#.utf8).write(to: bad)
        let vocab = TestPaths.fixture("ggml-vocab-llama-spm.gguf").path
        let r = try runLlamaterm(["prompt", "--model", vocab, "--dialog", bad.path])
        #expect(r.status == 1)
        #expect(r.stderr == "llamaterm: dialog \(bad.path): the dialog must end with a user message\n")
        let f = try runLlamaterm(["prompt", "--model", vocab, "--format", "jinja", "--dialog", bad.path])
        #expect(f.status == 1)
        #expect(f.stderr.hasPrefix("llamaterm: unknown prompt format \"jinja\""))
        let m = try runLlamaterm(["prompt", "--model", vocab, "--format", "chatml", "--dialog", Self.userOnly(dir).path])
        #expect(m.status == 1)
        #expect(m.stderr.contains("needs the token <|im_start|>"))
    }

    static func userOnly(_ dir: URL) throws -> URL {
        let url = dir.appendingPathComponent("u.json")
        try Data(#"[{"role":"user","content":"hi"}]"#.utf8).write(to: url)
        return url
    }
}
