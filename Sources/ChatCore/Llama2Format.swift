/// Meta's Llama 2 chat prompt, exactly as the reference `llama/generation.py` builds it:
/// each finished pair is `[BOS] + sp("[INST] {user} [/INST] {answer} ") + [EOS]`, the last user
/// turn `[BOS] + sp("[INST] {user} [/INST]")`; user and answer texts are stripped; a non-blank
/// system prompt is folded into the first user message as `<<SYS>>\n{system}\n<</SYS>>\n\n{user}`
/// before stripping (so only the combined message's ends are stripped). `[INST]` and `<<SYS>>` are
/// plain text in the Llama 2 vocabulary; BOS and EOS are ids.
public struct Llama2Format: PromptFormat {
    public init() {}

    public var name: PromptFormatName { .llama2 }
    public var markers: [String] { PromptFormats.llama2Markers }
    public var stopStrings: [String] { ["[INST]"] }

    public func layout(system: String, turns: ArraySlice<Turn>) -> [PromptPiece] {
        var out: [PromptPiece] = []
        let fold = !PromptFormats.isBlank(system)
        for i in turns.indices {
            let turn = turns[i]
            if i == turns.startIndex && fold {
                // Strip the combined message, then split it back into its system and user parts.
                let block = "<<SYS>>\n" + system + "\n<</SYS>>\n\n"
                let combined = PromptFormats.strip(block + turn.user)
                let systemCount = min(block.count, combined.count)
                let systemText = String(combined.prefix(systemCount))
                let userText = String(combined.dropFirst(systemCount))
                out.append(PromptPiece(.bos, .system))
                out.append(PromptPiece(.text("[INST] " + systemText), .system))
                out.append(PromptPiece(.text(userText + " [/INST]"), .user(i)))
            } else {
                out.append(PromptPiece(.bos, .user(i)))
                out.append(PromptPiece(.text("[INST] " + PromptFormats.strip(turn.user) + " [/INST]"), .user(i)))
            }
            if let answer = turn.assistant {
                out.append(PromptPiece(.text(" " + PromptFormats.strip(answer) + " "), .assistant(i)))
                out.append(PromptPiece(.eos, .assistant(i)))
            }
        }
        return out
    }
}
