import ArgumentParser
import Foundation
import Inference
import Tokenizers

/// `llamaterm generate`: streams a completion of a prompt (text or token ids).
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a completion of a prompt with a local model."
    )

    @Option(help: "The GGUF model (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Option(help: "The prompt text (special tokens parsed, BOS as the vocabulary says).")
    var prompt: String?

    @Option(name: .customLong("prompt-ids"), help: "The prompt as a JSON array of token ids.")
    var promptIDs: String?

    @Option(name: .customLong("max-tokens"), help: "Most tokens to generate.")
    var maxTokens = 128

    @Option(help: "Temperature (0 = greedy).")
    var temperature: Float = 0.8

    @Option(name: .customLong("top-k"), help: "Top-k (0 = off).")
    var topK = 40

    @Option(name: .customLong("top-p"), help: "Top-p (1 = off).")
    var topP: Float = 0.95

    @Option(name: .customLong("min-p"), help: "Min-p (0 = off).")
    var minP: Float = 0.05

    @Option(name: .customLong("repeat-penalty"), help: "Repetition penalty (1 = off).")
    var repeatPenalty: Float = 1.1

    @Option(name: .customLong("repeat-last-n"), help: "Tokens the repetition penalty looks back over.")
    var repeatLastN = 64

    @Option(help: "Random seed (default: random).")
    var seed: UInt64?

    @Option(help: "Threads (default: every core).")
    var threads: Int?

    @Option(name: .customLong("ctx"), help: "Context length (default: the model's, at most 8192).")
    var contextLength: Int?

    @Option(name: .customLong("rope-scale"), help: "Linear RoPE scaling factor (stretches the context).")
    var ropeScale: Float?

    @Option(name: .customLong("stop"), help: "Stop before this string (repeatable).")
    var stop: [String] = []

    @Flag(name: .customLong("print-ids"), help: "Print the generated token ids as one JSON array instead of text.")
    var printIDs = false

    @Flag(help: "Print timing statistics on stderr.")
    var verbose = false

    func run() async throws {
        try await CLIErrors.report {
            guard (prompt == nil) != (promptIDs == nil) else {
                throw ValidationError("give exactly one of --prompt and --prompt-ids")
            }
            let engine = try InferenceEngine(modelPath: model ?? ModelLocator.defaultModelPath(),
                                             contextLength: contextLength, threads: threads, ropeScale: ropeScale)
            let ids: [TokenID]
            if let promptIDs {
                guard let parsed = try? JSONDecoder().decode([Int64].self, from: Data(promptIDs.utf8)) else {
                    throw ValidationError("--prompt-ids must be a JSON array of integers, got \(promptIDs)")
                }
                ids = try parsed.map { v in
                    guard v >= 0, v < Int64(engine.config.vocabularySize) else {
                        throw InferenceError.tokenOutOfRange(id: Int(clamping: v), vocabularySize: engine.config.vocabularySize)
                    }
                    return TokenID(v)
                }
            } else {
                ids = engine.tokenizer.encode(prompt ?? "", addBOS: engine.tokenizer.addsBOS, parseSpecial: true)
            }
            let parameters = GenerationParameters(maxTokens: maxTokens, temperature: temperature, topK: topK, topP: topP,
                                                  minP: minP, repeatPenalty: repeatPenalty, repeatLastN: repeatLastN,
                                                  seed: seed, stopStrings: stop)
            let out = FileHandle.standardOutput
            var final: GenerationStats?
            for try await event in engine.generate(prompt: ids, parameters: parameters) {
                switch event {
                case .prefilling: break
                case .text(let t): if !printIDs { out.write(Data(t.utf8)) }
                case .finished(let s): final = s
                }
            }
            guard let stats = final else { return }
            if printIDs {
                print("[" + stats.tokenIDs.map(String.init).joined(separator: ",") + "]")
            } else {
                print()
            }
            if verbose {
                let line = String(format: "prompt %d tokens (%d reused), %.1f tokens/s; generated %d tokens, %.1f tokens/s; stop: %@\n",
                                  stats.promptTokens, stats.reusedTokens, stats.prefillTokensPerSecond,
                                  stats.generatedTokens, stats.decodeTokensPerSecond, stats.stopReason.rawValue)
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }
}
