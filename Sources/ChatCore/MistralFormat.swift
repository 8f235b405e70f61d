/// Mistral Instruct: `<s>[INST] {user} [/INST]{reply}</s>[INST] {user} [/INST]` (BOS once, EOS
/// after each reply). `[INST]`/`[/INST]` are control tokens in newer vocabularies and plain text in
/// older ones. Mistral has no system role; a system prompt is folded into the first user message
/// as `{system}\n\n{user}` (the first, not the last as some templates do, so the prompt's prefix stays
/// the same from turn to turn and the engine can reuse its cache).
public struct MistralFormat: PromptFormat {
    public init() {}

    public var name: PromptFormatName { .mistral }
    public var markers: [String] { ["[INST]", "[/INST]"] }
    public var stopStrings: [String] { ["[INST]"] }

    public func layout(system: String, turns: ArraySlice<Turn>) -> [PromptPiece] {
        var out: [PromptPiece] = []
        let hasSystem = !PromptFormats.isBlank(system)
        out.append(PromptPiece(.bos, hasSystem ? .system : .user(turns.startIndex)))
        for i in turns.indices {
            let user = PromptFormats.strip(turns[i].user)
            if i == turns.startIndex && hasSystem {
                out.append(PromptPiece(.marker("[INST]"), .system))
                out.append(PromptPiece(.text(" " + PromptFormats.strip(system) + "\n\n"), .system))
                out.append(PromptPiece(.text(user + " "), .user(i)))
            } else {
                out.append(PromptPiece(.marker("[INST]"), .user(i)))
                out.append(PromptPiece(.text(" " + user + " "), .user(i)))
            }
            out.append(PromptPiece(.marker("[/INST]"), .user(i)))
            if let a = turns[i].assistant {
                out.append(PromptPiece(.text(PromptFormats.strip(a)), .assistant(i)))
                out.append(PromptPiece(.eos, .assistant(i)))
            }
        }
        return out
    }
}
