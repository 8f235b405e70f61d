import Inference
import Remote
import Tokenizers

extension ServedModel {
    /// Serves `backend` (e.g. the `InferenceEngine`) with `tokenizer` for prompts and `/tokenize`.
    public init(name: String, contextLength: Int, tokenizer: Tokenizer, backend: some Backend) {
        self.init(name: name, contextLength: contextLength,
                  tokenize: { tokenizer.serverTokenize($0, addSpecial: $1) },
                  piece: { tokenizer.decode([$0]) }, eos: tokenizer.eos) { ids, p in
            let parameters = GenerationParameters(
                maxTokens: p.maxNewTokens, temperature: Float(p.temperature), topK: p.topK, topP: Float(p.topP),
                minP: Float(p.minP), repeatPenalty: Float(p.repetitionPenalty), seed: p.seed, stopStrings: p.stop)
            let events = backend.generate(prompt: ids, parameters: parameters)
            let (stream, continuation) = AsyncThrowingStream<RemoteEvent, Error>.makeStream()
            let task = Task {
                do {
                    for try await e in events {
                        switch e {
                        case .prefilling: break
                        case .text(let t): continuation.yield(.text(t))
                        case .finished(let s):
                            continuation.yield(.finished(RemoteFinish(reason: Self.tgiReason(s.stopReason),
                                                                      generatedTokens: s.generatedTokens, promptTokens: s.promptTokens)))
                        }
                    }
                    continuation.finish()
                } catch { continuation.finish(throwing: error) }
            }
            continuation.onTermination = { _ in task.cancel() }
            return stream
        }
    }

    /// TGI's finish reasons for ours.
    static func tgiReason(_ r: StopReason) -> String {
        switch r {
        case .endOfTurn: return "eos_token"
        case .maxTokens, .contextFull, .cancelled: return "length"
        case .stopString: return "stop_sequence"
        }
    }
}
