import ArgumentParser
import Foundation
import Inference
import Tokenizers

/// `llamaterm perplexity --model PATH --file TEXT [--ctx 512]`: llama.cpp's perplexity convention.
struct PerplexityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Measure a model's perplexity on a text file (llama.cpp's convention: second half of each chunk)."
    )

    @Option(help: "The GGUF model (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Option(help: "The text file to score.")
    var file: String

    @Option(help: "Tokens per chunk.")
    var ctx = 512

    @Option(help: "Threads (default: every core).")
    var threads: Int?

    func run() async throws {
        try CLIErrors.report {
            let path = model ?? ModelLocator.defaultModelPath()
            let llama = try LlamaModel(path: path)
            let tokenizer = try Tokenizer(metadata: llama.file.metadata)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            let text = String(decoding: data, as: UTF8.self)
            let tokens = tokenizer.encode(text, addBOS: tokenizer.addsBOS)
            let session = try InferenceSession(model: llama, contextLength: ctx, threads: threads,
                                               maxBatch: min(ctx, 512), allLogits: true)
            let evaluator = try PerplexityEvaluator(session: session, contextLength: ctx,
                                                    bos: tokenizer.addsBOS ? tokenizer.bos : nil)
            print("\(tokens.count) tokens, \(tokens.count / ctx) chunks of \(ctx)")
            let start = Date()
            let ppl = try evaluator.evaluate(tokens) { p in
                FileHandle.standardError.write(Data("[\(p.chunk)/\(p.chunkCount)] \(String(format: "%.4f", p.perplexity))\n".utf8))
            }
            print(String(format: "%.1f s", Date().timeIntervalSince(start)))
            print(String(format: "PPL = %.4f", ppl))
        }
    }
}
