import ArgumentParser
import ChatCore
import Foundation
import GGUF
import Inference

/// `llamaterm bench`: prefill and decode speed like llama-bench (median of several runs).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prefill (ppN) and decode (tgN) tokens per second."
    )

    @Option(help: "The GGUF model (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Option(name: .customShort("p"), help: "Prompt tokens for the prefill test (0 = skip).")
    var prompt = 512

    @Option(name: .customShort("n"), help: "Tokens for the decode test (0 = skip).")
    var generate = 128

    @Option(name: .customShort("t"), help: "Thread counts, comma-separated (default: every core).")
    var threads: String?

    @Option(name: .customShort("d"), help: "Tokens already in the cache before each prefill and decode test (context depth).")
    var depth = 0

    @Option(name: .customShort("r"), help: "Repetitions (the median is reported).")
    var repetitions = 5

    @Option(help: ArgumentHelp("Also measure chat time to first token: turn 1 against turn N of one conversation (0 = skip).",
                               valueName: "N"))
    var chat = 0

    @Flag(name: .customLong("system-change"),
          help: "With --chat: give each measured turn N a new system prompt first, so the whole history is evaluated again.")
    var systemChange = false

    @Flag(help: "Print one JSON array.")
    var json = false

    struct Row: Encodable {
        var test: String
        var threads: Int
        var tokens_per_second: Double?
        var milliseconds: Double?
        var prompt_tokens: Int?
        var evaluated_tokens: Int?
    }

    func run() async throws {
        try await CLIErrors.report {
            let counts: [Int]
            if let threads {
                counts = try threads.split(separator: ",").map { part in
                    guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n > 0 else {
                        throw ValidationError("-t must be positive integers separated by commas, got \(threads)")
                    }
                    return n
                }
            } else {
                counts = [ThreadPool.availableCores]
            }
            guard prompt >= 0, generate >= 0, depth >= 0, chat >= 0, chat != 1, repetitions > 0 else {
                throw ValidationError("-p, -n must be ≥ 0, --chat 0 or at least 2, and -r > 0")
            }
            let path = model ?? ModelLocator.defaultModelPath()
            let loadStart = Date()
            let llama = try LlamaModel(path: path)
            let loadSeconds = Date().timeIntervalSince(loadStart)
            let vocab = llama.config.vocabularySize
            var rng = RandomSource(seed: 1234)
            func randomTokens(_ n: Int) -> [Int32] { (0..<n).map { _ in Int32(rng.next() % UInt64(vocab)) } }
            var rows: [Row] = []
            if !json {
                print("model: \(llama.fileName) (\(llama.fileSize / 1_000_000) MB), loaded in \(String(format: "%.3f", loadSeconds)) s")
                if prompt > 0 || generate > 0 {
                    print("| test   | threads | tokens/s |")
                    print("| ------ | ------- | -------- |")
                }
            }
            let suffix = depth > 0 ? "@d\(depth)" : ""
            for t in counts {
                let session = try InferenceSession(model: llama, contextLength: depth + max(prompt + 1, generate + 1), threads: t)
                let context = randomTokens(depth)
                func reset() throws {
                    session.cache.clear()
                    if depth > 0 { try session.evaluate(context) }
                }
                if prompt > 0 {
                    let tokens = randomTokens(prompt)
                    session.cache.clear(); try session.evaluate(Array(tokens.prefix(min(prompt, 32))))  // warm up
                    var speeds: [Double] = []
                    for _ in 0..<repetitions {
                        try reset()
                        let start = DispatchTime.now().uptimeNanoseconds
                        try session.evaluate(tokens)
                        speeds.append(Double(prompt) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
                    }
                    rows.append(Row(test: "pp\(prompt)" + suffix, threads: t, tokens_per_second: Self.median(speeds)))
                    if !json { print(Self.format(rows[rows.count - 1])) }
                }
                if generate > 0 {
                    let tokens = randomTokens(generate)
                    var speeds: [Double] = []
                    for rep in 0...repetitions {
                        try reset()
                        let start = DispatchTime.now().uptimeNanoseconds
                        for tok in tokens { try session.evaluate([tok]) }
                        if rep > 0 { speeds.append(Double(generate) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) }
                    }
                    rows.append(Row(test: "tg\(generate)" + suffix, threads: t, tokens_per_second: Self.median(speeds)))
                    if !json { print(Self.format(rows[rows.count - 1])) }
                }
            }
            if chat > 0 {
                for t in counts { rows += try await chatRows(path: path, threads: t) }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            }
        }
    }

    /// Time to first token of turn 1 and of turn `chat` (greedy replies of at most 64 tokens, the
    /// chat defaults otherwise), medians of `repetitions` runs each.
    func chatRows(path: String, threads: Int) async throws -> [Row] {
        let engine = try InferenceEngine(modelPath: path, threads: threads)
        let file = try GGUFFile(path: path)
        var options = GenerationOptions()
        options.temperature = 0
        options.maxTokens = 64
        options.seed = 1
        let session = try ChatSession(metadata: file.metadata, tokenizer: engine.tokenizer, contextLimit: engine.contextLength,
                                      options: options)
        let (first, last) = try await ChatReuseBenchmark(session: session, turns: chat, repetitions: repetitions,
                                                          changesSystemPrompt: systemChange).run(on: engine)
        var rows: [Row] = []
        let lastName = "ttft-turn\(chat)" + (systemChange ? "-newsystem" : "")
        for (name, sample) in [("ttft-turn1", first), (lastName, last)] {
            let run = sample.medianRun
            rows.append(Row(test: name, threads: threads, milliseconds: sample.medianTimeToFirstToken * 1000,
                            prompt_tokens: run?.promptTokens, evaluated_tokens: run?.evaluatedTokens))
        }
        if !json {
            for r in rows {
                print("| " + r.test.padding(toLength: max(11, r.test.count), withPad: " ", startingAt: 0) + " | \(threads) threads | first token after "
                    + String(format: "%6.1f ms", r.milliseconds ?? 0) + " | prompt \(r.prompt_tokens ?? 0) tokens, \(r.evaluated_tokens ?? 0) evaluated |")
            }
            let ratio = last.medianTimeToFirstToken / max(first.medianTimeToFirstToken, 1e-9)
            print("turn \(chat)\(systemChange ? " under a new system prompt" : "") / turn 1 time to first token: " + String(format: "%.2f", ratio) + "x (medians of \(repetitions))")
        }
        return rows
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func format(_ r: Row) -> String {
        "| " + r.test.padding(toLength: max(6, r.test.count), withPad: " ", startingAt: 0) + " | " + String(r.threads).padding(toLength: 7, withPad: " ", startingAt: 0)
            + " | " + String(format: "%8.1f", r.tokens_per_second ?? 0) + " |"
    }
}
