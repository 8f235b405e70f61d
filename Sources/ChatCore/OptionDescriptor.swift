/// Every option of `GenerationOptions`, by name. The raw value is the CLI flag without dashes and
/// the name `/set` takes.
public enum OptionKey: String, CaseIterable, Sendable, Hashable, Codable {
    case maxTokens = "max-tokens"
    case temperature
    case topK = "top-k"
    case topP = "top-p"
    case minP = "min-p"
    case repeatPenalty = "repeat-penalty"
    case repeatLastN = "repeat-last-n"
    case seed
    case contextSize = "ctx-size"
    case format
    case threads

    /// Finds an option by its name or a common alias (`temp`, `max_tokens`, `top_p`, `n_ctx`...).
    public init(name: String) throws {
        let n = name.lowercased().replacingOccurrences(of: "_", with: "-")
        if let k = OptionKey(rawValue: n) { self = k; return }
        let aliases: [String: OptionKey] = [
            "temp": .temperature, "max-new-tokens": .maxTokens, "n-predict": .maxTokens, "maxtokens": .maxTokens,
            "topk": .topK, "topp": .topP, "minp": .minP, "repetition-penalty": .repeatPenalty,
            "repeat": .repeatPenalty, "context": .contextSize, "context-size": .contextSize, "n-ctx": .contextSize,
            "ctx": .contextSize, "prompt-format": .format, "t": .threads,
        ]
        guard let k = aliases[n] else { throw ChatError.unknownOption(name) }
        self = k
    }

    /// The option's name, range, default and help, for the options form and the CLI flags.
    public var descriptor: OptionDescriptor {
        switch self {
        case .maxTokens:
            return .init(key: self, label: "Max new tokens", kind: .integer(1...131_072), defaultText: "1024",
                         help: "Most tokens in one reply (the context budget reserves up to a quarter of the window for it).")
        case .temperature:
            return .init(key: self, label: "Temperature", kind: .number(0...5), defaultText: "0.6",
                         help: "Randomness of sampling; 0 always picks the most likely token.")
        case .topK:
            return .init(key: self, label: "Top-k", kind: .integer(0...1_000_000), defaultText: "50",
                         help: "Sample only among the k most likely tokens; 0 = off.")
        case .topP:
            return .init(key: self, label: "Top-p", kind: .number(0.01...1), defaultText: "0.9",
                         help: "Sample from the smallest set of tokens whose probabilities add up to p; 1 = off.")
        case .minP:
            return .init(key: self, label: "Min-p", kind: .number(0...1), defaultText: "0.0",
                         help: "Drop tokens less likely than min-p times the most likely one; 0 = off.")
        case .repeatPenalty:
            return .init(key: self, label: "Repetition penalty", kind: .number(0.5...3), defaultText: "1.2",
                         help: "Discourage tokens used recently; 1 = off.")
        case .repeatLastN:
            return .init(key: self, label: "Repetition window", kind: .integer(0...131_072), defaultText: "64",
                         help: "How many recent tokens the repetition penalty looks at; 0 = off.")
        case .seed:
            return .init(key: self, label: "Seed", kind: .optionalInteger(0...UInt64.max, none: "random"), defaultText: "random",
                         help: "Random seed for reproducible replies; \"random\" picks a new one each time.")
        case .contextSize:
            return .init(key: self, label: "Context size", kind: .integer(64...1_048_576), defaultText: "4096",
                         help: "Context window in tokens (capped by the model's own); oldest turns are dropped to fit.")
        case .format:
            return .init(key: self, label: "Prompt format", kind: .choice(PromptFormatName.allCases.map(\.rawValue)), defaultText: "auto",
                         help: "How turns are laid out for the model; auto reads the model's chat template.")
        case .threads:
            return .init(key: self, label: "Threads", kind: .optionalInteger(1...1024, none: "auto"), defaultText: "auto",
                         help: "CPU threads for inference; auto uses every core.")
        }
    }

    /// Throws when `options` holds a value of this key outside its range.
    func check(_ o: GenerationOptions) throws {
        let d = descriptor
        func fail() -> ChatError { .optionOutOfRange(option: rawValue, value: o.text(of: self), allowed: d.kind.allowedText) }
        switch (self, d.kind) {
        case (.maxTokens, .integer(let r)): if !r.contains(o.maxTokens) { throw fail() }
        case (.topK, .integer(let r)): if !r.contains(o.topK) { throw fail() }
        case (.repeatLastN, .integer(let r)): if !r.contains(o.repeatLastN) { throw fail() }
        case (.contextSize, .integer(let r)): if !r.contains(o.contextSize) { throw fail() }
        case (.temperature, .number(let r)): if !(r.contains(o.temperature) && o.temperature.isFinite) { throw fail() }
        case (.topP, .number(let r)): if !(r.contains(o.topP) && o.topP.isFinite) { throw fail() }
        case (.minP, .number(let r)): if !(r.contains(o.minP) && o.minP.isFinite) { throw fail() }
        case (.repeatPenalty, .number(let r)): if !(r.contains(o.repeatPenalty) && o.repeatPenalty.isFinite) { throw fail() }
        case (.threads, .optionalInteger(let r, _)): if let t = o.threads, t < 1 || !r.contains(UInt64(t)) { throw fail() }
        default: break
        }
    }
}

/// What the UI's options form and the CLI need to know about one option.
public struct OptionDescriptor: Sendable, Hashable {
    /// The kind of value and its allowed range.
    public enum Kind: Sendable, Hashable {
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        /// An integer or the word `none` (e.g. "random", "auto") for no value.
        case optionalInteger(ClosedRange<UInt64>, none: String)
        case choice([String])

        /// The allowed values as text ("0.0 ... 5.0", "auto, llama2, ...").
        public var allowedText: String {
            switch self {
            case .integer(let r): return "\(r.lowerBound) ... \(r.upperBound)"
            case .number(let r): return "\(GenerationOptions.format(r.lowerBound)) ... \(GenerationOptions.format(r.upperBound))"
            case let .optionalInteger(r, none): return "\(r.lowerBound) ... \(r.upperBound) or \(none)"
            case .choice(let c): return c.joined(separator: ", ")
            }
        }
    }

    public var key: OptionKey
    /// A short label for forms ("Temperature").
    public var label: String
    public var kind: Kind
    /// The default value as text.
    public var defaultText: String
    /// One sentence of help.
    public var help: String

    /// The CLI flag (`--top-p`).
    public var flag: String { "--" + key.rawValue }
    /// The name `/set` takes (`top-p`).
    public var name: String { key.rawValue }

    /// Every option, in form order.
    public static var all: [OptionDescriptor] { OptionKey.allCases.map(\.descriptor) }
}
