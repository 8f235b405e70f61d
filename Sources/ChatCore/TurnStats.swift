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

    /// One line for `--stats` and `/stats`.
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
