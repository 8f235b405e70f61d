import ArgumentParser
import Foundation
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

    @Option(name: .customShort("r"), help: "Repetitions (the median is reported).")
    var repetitions = 5

    @Flag(help: "Print one JSON array.")
    var json = false

    struct Row: Encodable {
        var test: String
        var threads: Int
        var tokens_per_second: Double
    }

    func run() async throws {
        try CLIErrors.report {
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
            guard prompt >= 0, generate >= 0, repetitions > 0 else { throw ValidationError("-p, -n must be ≥ 0 and -r > 0") }
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
                print("| test   | threads | tokens/s |")
                print("| ------ | ------- | -------- |")
            }
            for t in counts {
                let session = try InferenceSession(model: llama, contextLength: max(prompt + 1, generate + 1), threads: t)
                if prompt > 0 {
                    let tokens = randomTokens(prompt)
                    session.cache.clear(); try session.evaluate(Array(tokens.prefix(min(prompt, 32))))  // warm up
                    var speeds: [Double] = []
                    for _ in 0..<repetitions {
                        session.cache.clear()
                        let start = DispatchTime.now().uptimeNanoseconds
                        try session.evaluate(tokens)
                        speeds.append(Double(prompt) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
                    }
                    rows.append(Row(test: "pp\(prompt)", threads: t, tokens_per_second: Self.median(speeds)))
                    if !json { print(Self.format(rows[rows.count - 1])) }
                }
                if generate > 0 {
                    let tokens = randomTokens(generate)
                    var speeds: [Double] = []
                    for rep in 0...repetitions {
                        session.cache.clear()
                        let start = DispatchTime.now().uptimeNanoseconds
                        for tok in tokens { try session.evaluate([tok]) }
                        if rep > 0 { speeds.append(Double(generate) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) }
                    }
                    rows.append(Row(test: "tg\(generate)", threads: t, tokens_per_second: Self.median(speeds)))
                    if !json { print(Self.format(rows[rows.count - 1])) }
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            }
        }
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func format(_ r: Row) -> String {
        "| " + r.test.padding(toLength: 6, withPad: " ", startingAt: 0) + " | " + String(r.threads).padding(toLength: 7, withPad: " ", startingAt: 0)
            + " | " + String(format: "%8.1f", r.tokens_per_second) + " |"
    }
}
