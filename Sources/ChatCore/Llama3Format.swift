/// Llama 3 Instruct: `<|begin_of_text|>`, then per message
/// `<|start_header_id|>{role}<|end_header_id|>\n\n{content}<|eot_id|>` (content trimmed, as the
/// model card's template does), then `<|start_header_id|>assistant<|end_header_id|>\n\n`.
public struct Llama3Format: PromptFormat {
    public init() {}

    public var name: PromptFormatName { .llama3 }
    public var markers: [String] { ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"] }
    public var stopStrings: [String] { ["<|start_header_id|>"] }

    public func layout(system: String, turns: ArraySlice<Turn>) -> [PromptPiece] {
        var out: [PromptPiece] = []
        func header(_ role: String, _ part: PromptPartKind) {
            out.append(PromptPiece(.control("<|start_header_id|>"), part))
            out.append(PromptPiece(.text(role), part))
            out.append(PromptPiece(.control("<|end_header_id|>"), part))
        }
        func message(_ role: String, _ content: String, _ part: PromptPartKind) {
            header(role, part)
            out.append(PromptPiece(.text("\n\n" + PromptFormats.strip(content)), part))
            out.append(PromptPiece(.control("<|eot_id|>"), part))
        }
        let hasSystem = !PromptFormats.isBlank(system)
        out.append(PromptPiece(.bos, hasSystem ? .system : .user(turns.startIndex)))
        if hasSystem { message("system", system, .system) }
        for i in turns.indices {
            message("user", turns[i].user, .user(i))
            if let a = turns[i].assistant { message("assistant", a, .assistant(i)) }
        }
        header("assistant", .replyHeader)
        out.append(PromptPiece(.text("\n\n"), .replyHeader))
        return out
    }
}
