/// What one reply cost: the prompt, how much of it the engine's cache already held, timings.
public struct TurnStats: Sendable, Hashable, Codable {
    /// Tokens in the prompt sent.
    public var promptTokens: Int
    /// Prompt tokens the engine reused from its KV cache (not evaluated again).
    public var reusedTokens: Int
    /// Tokens generated.
    public var generatedTokens: Int
    /// Seconds from sending the prompt to the first reply text.
    public var timeToFirstToken: Double
    /// Seconds spent evaluating the prompt's new tokens.
    public var prefillSeconds: Double
    /// Seconds spent generating.
    public var decodeSeconds: Double
    /// Why generation stopped ("end of turn", "max tokens", "cancelled", ...).
    public var stopReason: String
    /// Turns dropped from the start of the conversation to fit the window.
    public var droppedTurns: Int
    /// The context window.
    public var window: Int
    /// Where the reused tokens came from: "memory", "disk" or "none" (nil for a remote backend,
    /// or statistics saved before it was recorded).
    public var reusedFrom: String?

    public init(promptTokens: Int, reusedTokens: Int, generatedTokens: Int, timeToFirstToken: Double,
                prefillSeconds: Double, decodeSeconds: Double, stopReason: String, droppedTurns: Int, window: Int) {
        self.promptTokens = promptTokens
        self.reusedTokens = reusedTokens
        self.generatedTokens = generatedTokens
        self.timeToFirstToken = timeToFirstToken
        self.prefillSeconds = prefillSeconds
        self.decodeSeconds = decodeSeconds
        self.stopReason = stopReason
        self.droppedTurns = droppedTurns
        self.window = window
    }

    /// Prompt tokens actually evaluated.
    public var evaluatedTokens: Int { promptTokens - reusedTokens }

    /// Prompt tokens evaluated per second.
    public var prefillTokensPerSecond: Double { prefillSeconds > 0 ? Double(evaluatedTokens) / prefillSeconds : 0 }

    /// Tokens generated per second.
    public var decodeTokensPerSecond: Double { decodeSeconds > 0 ? Double(generatedTokens) / decodeSeconds : 0 }

    /// The machine-readable line `llamaterm chat --stats` prints after each reply (after
    /// "stats: "): prompt and reused tokens, where they came from, time to first token, then the
    /// reply's length, prefill time, decode speed and stop reason.
    public var jsonLine: String {
        func ms(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }
        let stop = stopReason.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "{\"prompt_tokens\": \(promptTokens), \"reused_tokens\": \(reusedTokens), \"reused_from\": \"\(reusedFrom ?? "none")\", "
            + "\"ttft_ms\": \(ms(timeToFirstToken)), \"generated_tokens\": \(generatedTokens), \"prefill_ms\": \(ms(prefillSeconds)), "
            + "\"decode_tokens_per_s\": \((decodeTokensPerSecond * 10).rounded() / 10), \"stop\": \"\(stop)\"}"
    }

    /// One line for `/stats`.
    public var summary: String {
        func f(_ v: Double, _ digits: Int = 1) -> String {
            let p = Double([1, 10, 100, 1000][min(digits, 3)])
            return String((v * p).rounded() / p)
        }
        var s = "prompt \(promptTokens) tokens (\(reusedTokens) reused, \(evaluatedTokens) evaluated in \(f(prefillSeconds * 1000, 0)) ms"
        if evaluatedTokens > 0 && prefillSeconds > 0 { s += ", \(f(prefillTokensPerSecond)) tok/s" }
        s += "), reply \(generatedTokens) tokens at \(f(decodeTokensPerSecond)) tok/s, first token after \(f(timeToFirstToken * 1000, 0)) ms, stop: \(stopReason)"
        if droppedTurns > 0 { s += ", \(droppedTurns) oldest turn\(droppedTurns == 1 ? "" : "s") dropped" }
        return s
    }
}
