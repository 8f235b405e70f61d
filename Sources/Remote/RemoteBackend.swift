import Foundation
import Inference
import Tokenizers

/// The `Backend` seam over a remote server: the prompt's exact text goes out (built locally, as
/// the prompt inspector shows it), the reply streams back as `GenerationEvent`s, cut at stop
/// strings as the local engine does (`RemoteClient.streamReply`).
///
/// A failure yields the text that arrived, then throws the `RemoteError`; cancelling the
/// consuming task closes the connection.
public struct RemoteBackend: Backend {
    public let client: RemoteClient

    public init(client: RemoteClient) { self.client = client }

    /// A remote server needs the prompt's text: this stream fails with `promptTextRequired`.
    public func generate(prompt: [TokenID], parameters: GenerationParameters) -> AsyncThrowingStream<GenerationEvent, Error> {
        AsyncThrowingStream { $0.finish(throwing: RemoteError.promptTextRequired) }
    }

    public func generate(prompt: [TokenID], text: String, parameters: GenerationParameters) -> AsyncThrowingStream<GenerationEvent, Error> {
        let remote = client.streamReply(promptText: text, parameters: Self.remoteParameters(parameters))
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
        let task = Task {
            let clock = ContinuousClock()
            let start = clock.now
            var firstText: ContinuousClock.Instant?
            var pieces = 0
            do {
                for try await event in remote {
                    switch event {
                    case .text(let t):
                        if firstText == nil { firstText = clock.now }
                        pieces += 1
                        continuation.yield(.text(t))
                    case .finished(let f):
                        let end = clock.now
                        let first = firstText ?? end
                        continuation.yield(.finished(GenerationStats(
                            promptTokens: f.promptTokens ?? prompt.count, reusedTokens: 0,
                            generatedTokens: f.generatedTokens ?? pieces,
                            prefillMilliseconds: Self.ms(first - start), decodeMilliseconds: Self.ms(end - first),
                            stopReason: Self.stopReason(f))))
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    static func remoteParameters(_ p: GenerationParameters) -> RemoteParameters {
        RemoteParameters(maxNewTokens: p.maxTokens, temperature: Double(max(0, p.temperature)), topK: p.topK,
                         topP: Double(p.topP), minP: Double(p.minP), repetitionPenalty: Double(p.repeatPenalty),
                         seed: p.seed, stop: p.stopStrings)
    }

    static func stopReason(_ f: RemoteFinish) -> StopReason {
        switch f.reason {
        case "length": return .maxTokens
        case "stop_sequence": return .stopString
        default: return .endOfTurn
        }
    }

    static func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) * 1e-15
    }
}
