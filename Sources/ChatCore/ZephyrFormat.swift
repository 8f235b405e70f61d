/// Zephyr (zephyr-7b-beta, TinyLlama-Chat): `<|system|>\n{system}</s>\n<|user|>\n{user}</s>\n`
/// `<|assistant|>\n{reply}</s>\n` ... `<|assistant|>\n`, where `</s>` is the EOS id. The role
/// markers are control tokens when the vocabulary has them and plain text otherwise (as in the
/// Mistral and Llama vocabularies these models use).
public struct ZephyrFormat: PromptFormat {
    public init() {}

    public var name: PromptFormatName { .zephyr }
    public var markers: [String] { ["<|system|>", "<|user|>", "<|assistant|>"] }
    public var stopStrings: [String] { ["<|user|>", "<|system|>"] }

    public func layout(system: String, turns: ArraySlice<Turn>) -> [PromptPiece] {
        var out: [PromptPiece] = []
        func message(_ marker: String, _ content: String, _ part: PromptPartKind) {
            out.append(PromptPiece(.marker(marker), part))
            out.append(PromptPiece(.text("\n" + PromptFormats.strip(content)), part))
            out.append(PromptPiece(.eos, part))
            out.append(PromptPiece(.text("\n"), part))
        }
        let hasSystem = !PromptFormats.isBlank(system)
        out.append(PromptPiece(.defaultBOS, hasSystem ? .system : .user(turns.startIndex)))
        if hasSystem { message("<|system|>", system, .system) }
        for i in turns.indices {
            message("<|user|>", turns[i].user, .user(i))
            if let a = turns[i].assistant { message("<|assistant|>", a, .assistant(i)) }
        }
        out.append(PromptPiece(.marker("<|assistant|>"), .replyHeader))
        out.append(PromptPiece(.text("\n"), .replyHeader))
        return out
    }
}
