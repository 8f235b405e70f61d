import Foundation
import GGUF
import Tokenizers

/// A loaded model served one generation at a time. Requests made while another runs wait their
/// turn (in order). Generation runs on the engine's own serial queue and thread pool, never on the
/// caller's executor; cancelling the consuming task or dropping the stream stops it within one
/// token and leaves the engine ready for the next request (and its KV cache reusable).
public actor InferenceEngine: Backend {
    /// The model's hyperparameters.
    public nonisolated let config: LlamaConfig
    /// The model's tokenizer.
    public nonisolated let tokenizer: Tokenizer
    /// The model file's name and size.
    public nonisolated let modelFileName: String
    public nonisolated let modelFileSize: Int
    /// The most tokens prompt plus reply may hold.
    public nonisolated let contextLength: Int
    /// Threads used by the forward pass.
    public nonisolated let threadCount: Int

    private nonisolated let session: InferenceSession
    private nonisolated let queue = DispatchQueue(label: "llamaterm.inference", qos: .userInitiated)

    /// Loads the model at `path`. `contextLength` defaults to the model's (after RoPE scaling),
    /// capped at 8192 to bound memory; `threads` defaults to every core.
    public init(modelPath: String, contextLength: Int? = nil, threads: Int? = nil, ropeScale: Float? = nil) throws {
        let model = try LlamaModel(path: modelPath, ropeScale: ropeScale)
        let tokenizer = try Tokenizer(metadata: model.file.metadata)
        let ctx = contextLength ?? min(model.config.scaledContextLength, 8192)
        let session = try InferenceSession(model: model, contextLength: ctx, threads: threads)
        self.session = session
        self.config = model.config
        self.tokenizer = tokenizer
        modelFileName = model.fileName
        modelFileSize = model.fileSize
        self.contextLength = ctx
        threadCount = session.pool.threadCount
    }

    /// Streams the continuation of `prompt`: `.text` events, then `.finished`.
    public nonisolated func generate(prompt: [TokenID], parameters: GenerationParameters) -> AsyncThrowingStream<GenerationEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
        let flag = CancellationFlag()
        continuation.onTermination = { _ in flag.cancel() }
        let generator = Generator(session: session, tokenizer: tokenizer)
        queue.async {
            if flag.isCancelled { continuation.finish(); return }
            do {
                try generator.run(prompt: prompt, parameters: parameters, cancel: flag) { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        return stream
    }

    /// Generates and collects everything: the text, the generated ids and the statistics.
    public nonisolated func complete(prompt: [TokenID], parameters: GenerationParameters) async throws -> (text: String, tokens: [TokenID], stats: GenerationStats) {
        var text = "", tokens: [TokenID] = [], stats: GenerationStats?
        for try await event in generate(prompt: prompt, parameters: parameters) {
            switch event {
            case .text(let t): text += t
            case .finished(let s): stats = s; tokens = s.tokenIDs
            }
        }
        guard let stats else { throw CancellationError() }
        return (text, tokens, stats)
    }

    /// The token ids the KV cache holds (what a next request can reuse).
    public func cachedTokens() async -> [TokenID] {
        await withCheckedContinuation { c in queue.async { c.resume(returning: self.session.cache.tokens) } }
    }

    /// Forgets the KV cache.
    public func resetCache() async {
        await withCheckedContinuation { c in queue.async { self.session.cache.clear(); c.resume() } }
    }
}
