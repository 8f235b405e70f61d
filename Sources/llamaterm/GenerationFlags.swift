import ArgumentParser
import ChatCore

/// The generation option flags every command shares (`--max-tokens --temperature --top-k --top-p
/// --min-p --repeat-penalty --seed --ctx-size --threads --format`), read as text and checked by
/// `GenerationOptions.set`, so the CLI, `/set` and the options form accept the same values.
struct GenerationFlags: ParsableArguments {
    @Option(name: .customLong("max-tokens"), help: Self.help(.maxTokens)) var maxTokens: String?
    @Option(help: Self.help(.temperature)) var temperature: String?
    @Option(name: .customLong("top-k"), help: Self.help(.topK)) var topK: String?
    @Option(name: .customLong("top-p"), help: Self.help(.topP)) var topP: String?
    @Option(name: .customLong("min-p"), help: Self.help(.minP)) var minP: String?
    @Option(name: .customLong("repeat-penalty"), help: Self.help(.repeatPenalty)) var repeatPenalty: String?
    @Option(name: .customLong("repeat-last-n"), help: Self.help(.repeatLastN)) var repeatLastN: String?
    @Option(help: Self.help(.seed)) var seed: String?
    @Option(name: .customLong("ctx-size"), help: Self.help(.contextSize)) var contextSize: String?
    @Option(help: Self.help(.threads)) var threads: String?
    @Option(help: Self.help(.format)) var format: String?

    static func help(_ key: OptionKey) -> ArgumentHelp {
        let d = key.descriptor
        return ArgumentHelp("\(d.help) (\(d.kind.allowedText); default \(d.defaultText))", valueName: "value")
    }

    /// The given flags applied over `base`.
    func options(over base: GenerationOptions = GenerationOptions()) throws -> GenerationOptions {
        var o = base
        let given: [(OptionKey, String?)] = [
            (.maxTokens, maxTokens), (.temperature, temperature), (.topK, topK), (.topP, topP), (.minP, minP),
            (.repeatPenalty, repeatPenalty), (.repeatLastN, repeatLastN), (.seed, seed), (.contextSize, contextSize),
            (.threads, threads), (.format, format),
        ]
        for case let (key, value?) in given { try o.set(key, from: value) }
        return o
    }
}
