import Foundation
import Inference

extension GenerationOptions {
    /// The engine's parameters for a reply of at most `maxNewTokens` tokens in `format`.
    public func parameters(maxNewTokens: Int, format: any PromptFormat) -> GenerationParameters {
        GenerationParameters(
            maxTokens: maxNewTokens, temperature: Float(temperature), topK: topK, topP: Float(topP),
            minP: Float(minP), repeatPenalty: Float(repeatPenalty), repeatLastN: repeatLastN, seed: seed,
            stopStrings: format.stopStrings)
    }
}

extension ChatSession {
    /// Runs one reply on `backend`: sends the prompt, passes each piece of text to `onText` as it
    /// streams, and returns the whole reply with its statistics. Cancelling the calling task stops
    /// the reply; what was generated so far is returned (stop reason "cancelled"). `onPrefill`
    /// hears what a local engine reuses (and its notes about saved states) before it evaluates.
    public static func streamReply(
        _ prompt: FittedPrompt, options: GenerationOptions, format: any PromptFormat, backend: some Backend,
        onPrefill: (PrefillReport) -> Void = { _ in }, onText: (String) -> Void
    ) async throws -> (reply: String, stats: TurnStats) {
        let parameters = options.parameters(maxNewTokens: prompt.fit.maxNewTokens, format: format)
        let clock = ContinuousClock()
        let start = clock.now
        var firstText: ContinuousClock.Instant?
        var reply = ""
        var engineStats: GenerationStats?
        // The text too: a remote backend sends it (the local engine uses the ids).
        let stream = backend.generate(prompt: prompt.prompt.ids, text: prompt.prompt.text, parameters: parameters)
        do {
            for try await event in stream {
                switch event {
                case .prefilling(let report):
                    onPrefill(report)
                case .text(let piece):
                    if firstText == nil { firstText = clock.now }
                    reply += piece
                    onText(piece)
                case .finished(let stats):
                    engineStats = stats
                }
            }
        } catch is CancellationError {
            // Stopped by the user: keep the partial reply.
        }
        let ttft = firstText.map { Self.seconds(start, $0) } ?? Self.seconds(start, clock.now)
        let stats = TurnStats(
            promptTokens: prompt.prompt.ids.count,
            reusedTokens: engineStats?.reusedTokens ?? 0,
            generatedTokens: engineStats?.generatedTokens ?? 0,
            timeToFirstToken: ttft,
            prefillSeconds: (engineStats?.prefillMilliseconds ?? 0) / 1000,
            decodeSeconds: (engineStats?.decodeMilliseconds ?? 0) / 1000,
            stopReason: engineStats.map { Self.describe($0.stopReason) } ?? "cancelled",
            droppedTurns: prompt.fit.firstTurn,
            window: prompt.fit.window)
        var result = stats
        result.reusedFrom = engineStats?.reusedFrom.rawValue
        return (reply, result)
    }

    /// The stop reason as `TurnStats` words.
    static func describe(_ reason: StopReason) -> String {
        switch reason {
        case .endOfTurn: return "end of turn"
        case .maxTokens: return "max tokens"
        case .stopString: return "stop string"
        case .cancelled: return "cancelled"
        case .contextFull: return "context full"
        }
    }

    private static func seconds(_ a: ContinuousClock.Instant, _ b: ContinuousClock.Instant) -> Double {
        let d = b - a
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Sends `text` as the next user message, streams the reply through `onText` and appends it.
    /// A cancelled reply keeps what was generated; one that produced nothing (or failed) removes
    /// the user message again.
    @discardableResult
    public mutating func respond(to text: String, using backend: some Backend, onText: (String) -> Void = { _ in }) async throws -> TurnStats {
        let prompt = try beginTurn(text)
        let result: (reply: String, stats: TurnStats)
        do {
            result = try await Self.streamReply(prompt, options: options, format: format, backend: backend, onText: onText)
        } catch {
            abandonTurn()
            throw error
        }
        if result.reply.isEmpty && result.stats.stopReason == "cancelled" {
            abandonTurn()
        } else {
            try finishTurn(reply: result.reply, stats: result.stats)
        }
        return result.stats
    }
}
