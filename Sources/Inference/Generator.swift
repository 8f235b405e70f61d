import Foundation
import Synchronization
import Tokenizers

/// A flag the consumer of a stream sets to stop its generation.
final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Runs one generation synchronously on the session: reuses the cached prefix, prefills the rest,
/// samples and decodes token by token, and reports text pieces and final statistics.
struct Generator {
    let session: InferenceSession
    let tokenizer: Tokenizer
    /// The states kept besides the live cache (the engine's; nil: only the live cache is reused).
    var states: KVStateStore?

    /// Runs the generation, reporting through `emit`; returns the statistics `.finished` carried.
    @discardableResult
    func run(prompt: [TokenID], parameters p: GenerationParameters, cancel: CancellationFlag,
             emit: (GenerationEvent) -> Void) throws -> GenerationStats {
        try p.validate()
        guard !prompt.isEmpty else { throw InferenceError.emptyPrompt }
        let cache = session.cache
        guard prompt.count <= cache.capacity else {
            throw InferenceError.contextFull(needed: prompt.count, contextLength: cache.capacity)
        }
        let clock = ContinuousClock()
        let prefillStart = clock.now
        // Reuse the longest prefix held (live, pooled or saved), but always evaluate at least the
        // last prompt token (its logits).
        let (available, source) = states?.prepare(cache, for: prompt) ?? (cache.commonPrefixLength(with: prompt), .memory)
        let reused = min(available, prompt.count - 1)
        cache.truncate(to: reused)
        let reusedFrom: ReuseSource = reused > 0 ? source : .none
        emit(.prefilling(PrefillReport(promptTokens: prompt.count, reusedTokens: reused, reusedFrom: reusedFrom,
                                       notes: states?.takeNotes() ?? [])))
        let completed = try prompt.withUnsafeBufferPointer { all in
            try session.evaluate(UnsafeBufferPointer(rebasing: all[reused...]), shouldStop: { cancel.isCancelled })
        }
        let prefillTime = clock.now - prefillStart
        func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
        var stats = GenerationStats(promptTokens: prompt.count, reusedTokens: reused, generatedTokens: 0,
                                    prefillMilliseconds: ms(prefillTime), decodeMilliseconds: 0, stopReason: .cancelled)
        stats.reusedFrom = reusedFrom
        guard completed else { emit(.finished(stats)); return stats }

        let sampler = SamplerChain(parameters: p, vocabularySize: session.config.vocabularySize)
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer, stripLeadingSpace: false)
        var stops = StopStringMatcher(stops: p.stopStrings)
        let endTokens = tokenizer.endOfTurnTokens.union(tokenizer.eos.map { [$0] } ?? [])
        let decodeStart = clock.now
        var reason: StopReason = .maxTokens
        var generated = 0
        var ids: [TokenID] = []
        ids.reserveCapacity(min(p.maxTokens, cache.capacity))
        loop: while true {
            if cancel.isCancelled { reason = .cancelled; break }
            if generated >= p.maxTokens { reason = .maxTokens; break }
            let token = cache.tokens.withUnsafeBufferPointer { sampler.sample(logits: session.logits, history: $0) }
            if endTokens.contains(token) { reason = .endOfTurn; break }
            generated += 1
            ids.append(token)
            let piece = detokenizer.append(token)
            if !piece.isEmpty {
                let (text, stopped) = stops.append(piece)
                if !text.isEmpty { emit(.text(text)) }
                if stopped { reason = .stopString; break loop }
            }
            if generated >= p.maxTokens { reason = .maxTokens; break }
            if cache.count >= cache.capacity { reason = .contextFull; break }
            if cancel.isCancelled { reason = .cancelled; break }
            try session.evaluate([token])
        }
        if reason != .stopString {
            let (text, stopped) = stops.append(detokenizer.finish())
            var rest = text
            if !stopped { rest += stops.flush() } else { reason = .stopString }
            if !rest.isEmpty { emit(.text(rest)) }
        }
        stats.generatedTokens = generated
        stats.decodeMilliseconds = ms(clock.now - decodeStart)
        stats.stopReason = reason
        stats.tokenIDs = ids
        emit(.finished(stats))
        return stats
    }
}
