import Foundation
import Testing
import TestSupport
@testable import Inference

/// The `generate`, `perplexity` and `bench` commands, through the real binary and model.
@Suite(.serialized) struct CommandTests {
    @Test func perplexityMatchesLlamaCpp() throws {
        let r = try runLlamaterm(["perplexity", "--model", TestPaths.defaultModel.path,
                                  "--file", "/usr/share/common-licenses/Apache-2.0", "--ctx", "512"])
        #expect(r.status == 0, "\(r.stderr)")
        let last = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("PPL = "))
        let ppl = Double(last.dropFirst(6)) ?? 0
        // The issue asks for 1%; the llama.cpp-matching pass gives llama.cpp's own figure.
        #expect(abs(ppl - 15.9546) < 0.00005, "PPL \(ppl)")
    }

    @Test func generatePrintsGreedyIds() throws {
        let r = try runLlamaterm(["generate", "--model", TestPaths.defaultModel.path, "--prompt-ids", "[504, 3575, 282, 4649, 314]",
                                  "--temperature", "0", "--repeat-penalty", "1", "--max-tokens", "8", "--print-ids"])
        #expect(r.status == 0, "\(r.stderr)")
        let ids = try JSONDecoder().decode([Int32].self, from: Data(r.stdout.utf8))
        #expect(ids.count == 8)
        // llama.cpp's greedy continuation of "The capital of France is" begins " Paris.\n\n" (reference.json).
        #expect(Array(ids.prefix(4)) == [7042, 30, 198, 198])
        // The command gives what the library gives.
        let model = try LlamaModel(path: TestPaths.defaultModel.path)
        let session = try InferenceSession(model: model, contextLength: 64, threads: 2)
        var expected: [Int32] = []
        try session.evaluate([504, 3575, 282, 4649, 314])
        for _ in 0..<8 {
            var best = 0
            for i in 1..<model.config.vocabularySize where session.logits[i] > session.logits[best] { best = i }
            expected.append(Int32(best))
            try session.evaluate([Int32(best)])
        }
        #expect(ids == expected)
    }

    @Test func generateStreamsTextFromAPrompt() throws {
        let r = try runLlamaterm(["generate", "--model", TestPaths.defaultModel.path, "--prompt", "The capital of France is",
                                  "--temperature", "0", "--max-tokens", "4", "--threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix(" Paris"))
    }

    @Test func badArgumentsGiveOneLine() throws {
        let missing = try runLlamaterm(["generate", "--model", "/nonexistent.gguf", "--prompt", "x"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("llamaterm: ") && missing.stderr.contains("/nonexistent.gguf"))
        let badIDs = try runLlamaterm(["generate", "--model", TestPaths.defaultModel.path, "--prompt-ids", "[1, 99999999]"])
        #expect(badIDs.status == 1)
        #expect(badIDs.stderr.contains("99999999"))
        let notArch = try runLlamaterm(["generate", "--model", TestPaths.fixture("ggml-vocab-llama-spm.gguf").path, "--prompt", "x"])
        #expect(notArch.status == 1 && notArch.stderr.hasPrefix("llamaterm: "))
    }

    @Test func benchPrintsJSON() throws {
        let r = try runLlamaterm(["bench", "--model", TestPaths.defaultModel.path, "-p", "32", "-n", "4", "-t", "1,2", "-r", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        struct Row: Decodable { var test: String; var threads: Int; var tokens_per_second: Double }
        let rows = try JSONDecoder().decode([Row].self, from: Data(r.stdout.utf8))
        #expect(rows.map(\.test) == ["pp32", "tg4", "pp32", "tg4"])
        #expect(rows.map(\.threads) == [1, 1, 2, 2])
        #expect(rows.allSatisfy { $0.tokens_per_second > 0 })
    }

    /// `-d` measures with a filled cache; `--chat N` adds turn 1 and turn N of one conversation,
    /// turn N reusing the earlier turns from the cache.
    @Test func benchMeasuresDepthAndChatTurns() throws {
        let r = try runLlamaterm(["bench", "--model", TestPaths.defaultModel.path, "-p", "16", "-n", "4", "-d", "100",
                                  "--chat", "3", "-t", "2", "-r", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        struct Row: Decodable {
            var test: String; var threads: Int; var tokens_per_second: Double?
            var milliseconds: Double?; var prompt_tokens: Int?; var evaluated_tokens: Int?
        }
        let rows = try JSONDecoder().decode([Row].self, from: Data(r.stdout.utf8))
        #expect(rows.map(\.test) == ["pp16@d100", "tg4@d100", "ttft-turn1", "ttft-turn3"])
        #expect(rows.prefix(2).allSatisfy { ($0.tokens_per_second ?? 0) > 0 })
        let turn1 = try #require(rows.first { $0.test == "ttft-turn1" })
        let turn3 = try #require(rows.first { $0.test == "ttft-turn3" })
        #expect((turn1.milliseconds ?? 0) > 0 && (turn3.milliseconds ?? 0) > 0)
        // Turn 3's prompt holds two earlier turns, but it evaluates about as much as turn 1.
        #expect((turn3.prompt_tokens ?? 0) > (turn1.prompt_tokens ?? 0) + 100)
        #expect((turn3.evaluated_tokens ?? .max) < (turn3.prompt_tokens ?? 0) / 2)
    }
}
