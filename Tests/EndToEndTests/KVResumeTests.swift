import Foundation
import Testing
import TestSupport

/// Saved KV states through the real binary and the default model: `chat --resume` continues from
/// the state the last run saved, gives the reply a full evaluation gives, reports it in `--stats`,
/// survives two processes writing the same state, and `cache list|clear` see the files.
@Suite(.serialized) struct KVResumeTests {
    let model = TestPaths.defaultModel.path

    /// The `stats: {...}` line of a run's standard error, decoded.
    func stats(_ r: ProcessResult) throws -> [String: Any] {
        let line = try #require(r.stderr.split(separator: "\n").last { $0.hasPrefix("stats: {") }, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(line.dropFirst("stats: ".count).utf8))
        return try #require(object as? [String: Any])
    }

    @Test func resumeFromDiskGivesTheSameReplyAsAFullEvaluation() throws {
        let dir = try TestPaths.temporaryDirectory("kv-resume")
        let cache = dir.appendingPathComponent("cache").path
        let db = dir.appendingPathComponent("c.sqlite").path
        @Sendable func env(_ database: String, _ cacheHome: String = cache) -> [String: String] {
            ["LLAMATERM_DB": database, "XDG_CACHE_HOME": cacheHome]
        }
        let opening = "Here is a short story. " + String(repeating: "The lighthouse keeper counted the ships that passed in the night, and wrote each name in a book. ", count: 12)
            + "What did the keeper write?\n"
        let first = try runLlamaterm(["chat", "--model", model, "--max-tokens", "20", "--temperature", "0", "--stats"],
                                     stdin: opening, environment: env(db))
        #expect(first.status == 0, "\(first.stderr)")
        let s1 = try stats(first)
        #expect(s1["reused_from"] as? String == "none" && s1["reused_tokens"] as? Int == 0, "\(s1)")
        #expect((s1["prompt_tokens"] as? Int ?? 0) > 200)
        let kvFolder = cache + "/llamaterm/kv"
        let files = try FileManager.default.contentsOfDirectory(atPath: kvFolder).filter { $0.hasSuffix(".kv") }
        #expect(files.count == 1, "\(files)")

        // The control: the same database, the saved state not used.
        let control = dir.appendingPathComponent("control.sqlite").path
        try FileManager.default.copyItem(atPath: db, toPath: control)
        let question = "And how many names were in the book?\n"
        let resumed = try runLlamaterm(["chat", "--model", model, "--resume", "1", "--max-tokens", "24", "--temperature", "0", "--stats"],
                                       stdin: question, environment: env(db))
        let full = try runLlamaterm(["chat", "--model", model, "--resume", "1", "--max-tokens", "24", "--temperature", "0", "--stats",
                                     "--kv-disk-limit", "0", "--kv-memory", "0"], stdin: question, environment: env(control))
        #expect(resumed.status == 0 && full.status == 0, "\(resumed.stderr) \(full.stderr)")
        let sr = try stats(resumed), sf = try stats(full)
        #expect(sr["reused_from"] as? String == "disk", "\(sr)")
        #expect((sr["reused_tokens"] as? Int ?? 0) > (s1["prompt_tokens"] as? Int ?? 0), "\(sr)")
        #expect(sf["reused_from"] as? String == "none" && sf["reused_tokens"] as? Int == 0, "\(sf)")
        #expect(sr["prompt_tokens"] as? Int == sf["prompt_tokens"] as? Int)
        #expect(!resumed.stdout.isEmpty && resumed.stdout == full.stdout, "resumed: \(resumed.stdout)\nfull: \(full.stdout)")
        #expect(!resumed.stderr.contains("kv cache:"), "\(resumed.stderr)")

        // Two processes continuing the same conversation at once write the same state: one valid
        // file, no temporary left, and the next run resumes from it.
        let a = dir.appendingPathComponent("a.sqlite").path, b = dir.appendingPathComponent("b.sqlite").path
        try FileManager.default.copyItem(atPath: control, toPath: a)
        try FileManager.default.copyItem(atPath: control, toPath: b)
        let group = DispatchGroup()
        let results = ResultBox()
        for database in [a, b] {
            group.enter()
            DispatchQueue.global().async {
                let r = try? runLlamaterm(["chat", "--model", model, "--resume", "1", "--max-tokens", "24", "--temperature", "0"],
                                          stdin: question, environment: env(database))
                results.add(r)
                group.leave()
            }
        }
        group.wait()
        #expect(results.all.count == 2 && results.all.allSatisfy { $0.status == 0 }, "\(results.all.map(\.stderr))")
        let left = try FileManager.default.contentsOfDirectory(atPath: kvFolder)
        #expect(left.allSatisfy { $0.hasSuffix(".kv") && !$0.hasPrefix(".") }, "\(left)")
        let again = try runLlamaterm(["chat", "--model", model, "--resume", "1", "--max-tokens", "8", "--temperature", "0", "--stats"],
                                     stdin: "Thanks.\n", environment: env(a))
        let sa = try stats(again)
        #expect(sa["reused_from"] as? String == "disk" && !again.stderr.contains("kv cache:"), "\(again.stderr)")

        // `cache list` names the files; `cache clear` removes them.
        let list = try runLlamaterm(["cache", "list"], environment: env(db))
        #expect(list.status == 0 && list.stdout.contains("SmolLM2-135M-Instruct.Q4_1.gguf"), "\(list.stdout)")
        #expect(list.stdout.contains("in \(kvFolder)"))
        let clear = try runLlamaterm(["cache", "clear"], environment: env(db))
        #expect(clear.status == 0 && clear.stdout.hasPrefix("removed "), "\(clear.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: kvFolder).filter { $0.hasSuffix(".kv") }.isEmpty)
        let empty = try runLlamaterm(["cache", "list"], environment: env(db))
        #expect(empty.stdout.contains("0 saved states"), "\(empty.stdout)")
    }

    @Test func aDamagedStateFileIsRemovedWithOneLineAndTheReplyIsTheSame() throws {
        let dir = try TestPaths.temporaryDirectory("kv-damaged")
        let cache = dir.appendingPathComponent("cache").path
        let db = dir.appendingPathComponent("c.sqlite").path
        let env = ["LLAMATERM_DB": db, "XDG_CACHE_HOME": cache]
        let opening = String(repeating: "Tell me about rivers and the sea. ", count: 10) + "\n"
        let first = try runLlamaterm(["chat", "--model", model, "--max-tokens", "12", "--temperature", "0"], stdin: opening, environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        let kvFolder = cache + "/llamaterm/kv"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: kvFolder).first { $0.hasSuffix(".kv") })
        let path = kvFolder + "/" + name
        let copy = dir.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: db, toPath: copy)
        // Flip one byte in the middle of the keys.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: path))
        let damaged = try runLlamaterm(["chat", "--model", model, "--resume", "1", "--max-tokens", "16", "--temperature", "0", "--stats"],
                                       stdin: "Which is bigger?\n", environment: env)
        #expect(damaged.status == 0, "\(damaged.stderr)")
        let notes = damaged.stderr.split(separator: "\n").filter { $0.contains("kv cache:") }
        #expect(notes.count == 1 && notes[0].contains("checksum mismatch") && notes[0].contains(path), "\(damaged.stderr)")
        #expect(try stats(damaged)["reused_from"] as? String == "none")
        #expect(!FileManager.default.fileExists(atPath: path))
        let full = try runLlamaterm(["chat", "--model", model, "--resume", "1", "--max-tokens", "16", "--temperature", "0", "--kv-disk-limit", "0"],
                                    stdin: "Which is bigger?\n", environment: ["LLAMATERM_DB": copy, "XDG_CACHE_HOME": cache])
        #expect(damaged.stdout == full.stdout && !full.stdout.isEmpty, "damaged: \(damaged.stdout)\nfull: \(full.stdout)")
    }
}

/// Results collected from concurrent runs.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [ProcessResult] = []
    func add(_ r: ProcessResult?) { lock.lock(); if let r { results.append(r) }; lock.unlock() }
    var all: [ProcessResult] { lock.lock(); defer { lock.unlock() }; return results }
}
