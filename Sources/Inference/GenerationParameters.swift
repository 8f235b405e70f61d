/// How to generate: sampling settings and stopping rules.
public struct GenerationParameters: Sendable, Equatable {
    /// Most tokens to generate.
    public var maxTokens: Int
    /// Softmax temperature; 0 (or less) means greedy decoding.
    public var temperature: Float
    /// Keep only the `topK` most likely tokens (0 = off).
    public var topK: Int
    /// Nucleus sampling threshold (1 = off).
    public var topP: Float
    /// Minimum probability relative to the most likely token (0 = off).
    public var minP: Float
    /// Repetition penalty (1 = off).
    public var repeatPenalty: Float
    /// How many recent tokens the repetition penalty looks at.
    public var repeatLastN: Int
    /// Random seed; nil picks one at random.
    public var seed: UInt64?
    /// Generation stops before emitting any of these strings.
    public var stopStrings: [String]

    public init(maxTokens: Int = 256, temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95,
                minP: Float = 0.05, repeatPenalty: Float = 1.1, repeatLastN: Int = 64,
                seed: UInt64? = nil, stopStrings: [String] = []) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.seed = seed
        self.stopStrings = stopStrings
    }

    /// Greedy decoding without penalties.
    public static func greedy(maxTokens: Int) -> GenerationParameters {
        GenerationParameters(maxTokens: maxTokens, temperature: 0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1)
    }

    /// Throws `invalidParameter` naming the first value out of range.
    public func validate() throws {
        func bad(_ name: String, _ message: String) -> InferenceError { .invalidParameter(name: name, message: message) }
        guard maxTokens >= 0 else { throw bad("max tokens", "\(maxTokens) is negative") }
        guard temperature.isFinite else { throw bad("temperature", "\(temperature) is not a number") }
        guard topK >= 0 else { throw bad("top-k", "\(topK) is negative") }
        guard topP.isFinite, topP > 0, topP <= 1 else { throw bad("top-p", "\(topP) must be in (0, 1]") }
        guard minP.isFinite, minP >= 0, minP <= 1 else { throw bad("min-p", "\(minP) must be in [0, 1]") }
        guard repeatPenalty.isFinite, repeatPenalty > 0 else { throw bad("repeat penalty", "\(repeatPenalty) must be positive") }
        guard repeatLastN >= 0 else { throw bad("repeat last n", "\(repeatLastN) is negative") }
    }
}
