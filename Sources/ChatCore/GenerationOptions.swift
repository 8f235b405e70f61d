import Foundation

/// The knobs of a chat: sampling, reply length, context window, prompt format, threads.
///
/// Defaults follow Meta's Llama 2 chat demo (max new tokens 1024, temperature 0.6, top-p 0.9,
/// top-k 50, repetition penalty 1.2). Every value has an allowed range (`OptionKey.descriptor`);
/// `validate()` checks them all and the setters refuse out-of-range values. Stored as JSON: keys
/// missing from older JSON take their defaults, and out-of-range stored values are refused.
public struct GenerationOptions: Codable, Sendable, Hashable {
    /// Most tokens a reply may have.
    public var maxTokens: Int = 1024
    /// Sampling temperature; 0 means greedy.
    public var temperature: Double = 0.6
    /// Keep only the k most likely tokens; 0 turns it off.
    public var topK: Int = 50
    /// Nucleus sampling: keep the smallest set whose probability reaches p; 1 turns it off.
    public var topP: Double = 0.9
    /// Drop tokens less likely than min-p times the most likely one; 0 turns it off.
    public var minP: Double = 0
    /// Penalty for tokens seen in the last `repeatLastN` tokens; 1 turns it off.
    public var repeatPenalty: Double = 1.2
    /// How many recent tokens the repetition penalty looks at; 0 turns it off.
    public var repeatLastN: Int = 64
    /// Random seed; nil picks a new one each reply.
    public var seed: UInt64? = nil
    /// Context window in tokens (further capped by the model's own context length).
    public var contextSize: Int = 4096
    /// Prompt format; `auto` detects it from the model.
    public var format: PromptFormatName = .auto
    /// Worker threads; nil uses every core.
    public var threads: Int? = nil

    /// The defaults.
    public init() {}

    /// Throws `ChatError.optionOutOfRange` naming the first value outside its range.
    public func validate() throws {
        for key in OptionKey.allCases { try key.check(self) }
    }

    /// The value of an option as text (as `/set` and the options form show it).
    public func text(of key: OptionKey) -> String {
        switch key {
        case .maxTokens: return String(maxTokens)
        case .temperature: return Self.format(temperature)
        case .topK: return String(topK)
        case .topP: return Self.format(topP)
        case .minP: return Self.format(minP)
        case .repeatPenalty: return Self.format(repeatPenalty)
        case .repeatLastN: return String(repeatLastN)
        case .seed: return seed.map { String($0) } ?? "random"
        case .contextSize: return String(contextSize)
        case .format: return format.rawValue
        case .threads: return threads.map { String($0) } ?? "auto"
        }
    }

    /// Sets an option from text (`/set temperature 0.2`, a CLI flag, the options form). Parses and
    /// checks the range; on error the options are unchanged.
    public mutating func set(_ key: OptionKey, from text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        var copy = self
        func int() throws -> Int {
            guard let v = Int(t) else { throw ChatError.invalidOptionValue(option: key.rawValue, value: t, expected: "an integer") }
            return v
        }
        func double() throws -> Double {
            guard let v = Double(t), v.isFinite else { throw ChatError.invalidOptionValue(option: key.rawValue, value: t, expected: "a number") }
            return v
        }
        let lower = t.lowercased()
        switch key {
        case .maxTokens: copy.maxTokens = try int()
        case .temperature: copy.temperature = try double()
        case .topK: copy.topK = try int()
        case .topP: copy.topP = try double()
        case .minP: copy.minP = try double()
        case .repeatPenalty: copy.repeatPenalty = try double()
        case .repeatLastN: copy.repeatLastN = try int()
        case .seed:
            if ["random", "none", "", "-1"].contains(lower) { copy.seed = nil } else {
                guard let v = UInt64(t) else {
                    throw ChatError.invalidOptionValue(option: key.rawValue, value: t, expected: "a non-negative integer or \"random\"")
                }
                copy.seed = v
            }
        case .contextSize: copy.contextSize = try int()
        case .format: copy.format = try PromptFormatName(parsing: t)
        case .threads:
            if ["auto", "", "0"].contains(lower) { copy.threads = nil } else { copy.threads = try int() }
        }
        try key.check(copy)
        self = copy
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e9 { return String(format: "%.1f", v) }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    private enum CodingKeys: String, CodingKey {
        case maxTokens, temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed, contextSize, format, threads
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GenerationOptions()
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens) ?? d.maxTokens
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature) ?? d.temperature
        topK = try c.decodeIfPresent(Int.self, forKey: .topK) ?? d.topK
        topP = try c.decodeIfPresent(Double.self, forKey: .topP) ?? d.topP
        minP = try c.decodeIfPresent(Double.self, forKey: .minP) ?? d.minP
        repeatPenalty = try c.decodeIfPresent(Double.self, forKey: .repeatPenalty) ?? d.repeatPenalty
        repeatLastN = try c.decodeIfPresent(Int.self, forKey: .repeatLastN) ?? d.repeatLastN
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        contextSize = try c.decodeIfPresent(Int.self, forKey: .contextSize) ?? d.contextSize
        format = try c.decodeIfPresent(PromptFormatName.self, forKey: .format) ?? d.format
        threads = try c.decodeIfPresent(Int.self, forKey: .threads)
        do { try validate() } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: String(describing: error)))
        }
    }
}
