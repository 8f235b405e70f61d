import ChatCore
import Foundation
import Inference
import Tokenizers

/// An inference backend (the local engine, or a remote one) behind the UI's `ReplyEngine` seam.
struct LocalEngine: ReplyEngine {
    let engine: any Backend
    /// Hears what the engine reuses of each prompt (and its notes about saved states) before it
    /// evaluates the rest.
    var onPrefill: @Sendable (PrefillReport) -> Void = { _ in }
    func generate(prompt: [TokenID], promptText: String, options: GenerationOptions, maxNewTokens: Int, stopStrings: [String],
                  onText: @escaping @Sendable (String, Int) -> Void) async throws -> TurnStats {
        let parameters = GenerationParameters(
            maxTokens: maxNewTokens, temperature: Float(options.temperature), topK: options.topK,
            topP: max(Float(options.topP), 1e-6), minP: Float(options.minP), repeatPenalty: Float(options.repeatPenalty),
            repeatLastN: options.repeatLastN, seed: options.seed, stopStrings: stopStrings)
        let started = Date()
        var firstText: Date?
        var pieces = 0
        var finished: Inference.GenerationStats?
        for try await event in engine.generate(prompt: prompt, parameters: parameters) {
            switch event {
            case .prefilling(let report):
                onPrefill(report)
            case .text(let piece):
                if firstText == nil { firstText = Date() }
                pieces += 1
                onText(piece, pieces)
            case .finished(let stats):
                finished = stats
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        let ttft = firstText.map { $0.timeIntervalSince(started) } ?? elapsed
        guard let s = finished else {
            // The task was cancelled and the stream ended before its statistics.
            return TurnStats(promptTokens: prompt.count, reusedTokens: 0, generatedTokens: pieces, timeToFirstToken: ttft,
                             prefillSeconds: ttft, decodeSeconds: max(0, elapsed - ttft), stopReason: "cancelled",
                             droppedTurns: 0, window: 0)
        }
        var stats = TurnStats(promptTokens: s.promptTokens, reusedTokens: s.reusedTokens, generatedTokens: s.generatedTokens,
                              timeToFirstToken: ttft, prefillSeconds: s.prefillMilliseconds / 1000,
                              decodeSeconds: s.decodeMilliseconds / 1000,
                              stopReason: Task.isCancelled || s.stopReason == .cancelled ? "cancelled" : s.stopReason.rawValue,
                              droppedTurns: 0, window: 0)
        stats.reusedFrom = s.reusedFrom.rawValue
        return stats
    }
}
