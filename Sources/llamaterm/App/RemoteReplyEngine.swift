import ChatCore
import Foundation
import Remote
import Tokenizers

/// The UI's `ReplyEngine` over a remote server: sends the prompt's exact text (the ids only size
/// it), streams the reply, and maps the server's finish to the turn's statistics. A failure after
/// some text throws; the controller keeps and marks the partial reply.
struct RemoteReplyEngine: ReplyEngine {
    let client: RemoteClient

    func generate(prompt: [TokenID], promptText: String, options: GenerationOptions, maxNewTokens: Int, stopStrings: [String],
                  onText: @escaping @Sendable (String, Int) -> Void) async throws -> TurnStats {
        let parameters = RemoteParameters(maxNewTokens: maxNewTokens, temperature: options.temperature, topK: options.topK,
                                          topP: options.topP, minP: options.minP, repetitionPenalty: options.repeatPenalty,
                                          seed: options.seed, stop: stopStrings)
        let clock = ContinuousClock()
        let started = clock.now
        var first: ContinuousClock.Instant?
        var count = 0
        var finish: RemoteFinish?
        for try await event in client.streamReply(promptText: promptText, parameters: parameters) {
            switch event {
            case .text(let t):
                if first == nil { first = clock.now }
                count += 1
                onText(t, count)
            case .finished(let f): finish = f
            }
        }
        let end = clock.now
        let firstAt = first ?? end
        let stop: String
        switch finish?.reason {
        case nil: stop = "cancelled"
        case "length": stop = "max tokens"
        case "stop_sequence": stop = "stop string"
        default: stop = "end of turn"
        }
        return TurnStats(promptTokens: prompt.count, reusedTokens: 0, generatedTokens: finish?.generatedTokens ?? count,
                         timeToFirstToken: Self.seconds(firstAt - started), prefillSeconds: Self.seconds(firstAt - started),
                         decodeSeconds: Self.seconds(end - firstAt), stopReason: Task.isCancelled ? "cancelled" : stop,
                         droppedTurns: 0, window: 0)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
