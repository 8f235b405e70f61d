import Foundation

/// ChatML (SmolLM2, Qwen): `<|im_start|>{role}\n{content}<|im_end|>\n` per message, then
/// `<|im_start|>assistant\n`. `<|im_start|>`/`<|im_end|>` are control-token ids. Some models'
/// templates insert a default system prompt when the dialog has none (SmolLM2: "You are a helpful
/// AI assistant named SmolLM, trained by Hugging Face"); `defaultSystem` carries it.
public struct ChatMLFormat: PromptFormat {
    /// The system prompt the model's template inserts when none is given, if any.
    public var defaultSystem: String?

    public init(defaultSystem: String? = nil) {
        self.defaultSystem = defaultSystem
    }

    public var name: PromptFormatName { .chatml }
    public var markers: [String] { ["<|im_start|>", "<|im_end|>"] }
    public var stopStrings: [String] { ["<|im_start|>"] }

    public func layout(system: String, turns: ArraySlice<Turn>) -> [PromptPiece] {
        var out: [PromptPiece] = []
        func message(_ role: String, _ content: String, _ part: PromptPartKind) {
            out.append(PromptPiece(.control("<|im_start|>"), part))
            out.append(PromptPiece(.text(role + "\n" + PromptFormats.strip(content)), part))
            out.append(PromptPiece(.control("<|im_end|>"), part))
            out.append(PromptPiece(.text("\n"), part))
        }
        let sys = PromptFormats.isBlank(system) ? defaultSystem : system
        out.append(PromptPiece(.defaultBOS, sys == nil ? .user(turns.startIndex) : .system))
        if let sys { message("system", sys, .system) }
        for i in turns.indices {
            message("user", turns[i].user, .user(i))
            if let a = turns[i].assistant { message("assistant", a, .assistant(i)) }
        }
        out.append(PromptPiece(.control("<|im_start|>"), .replyHeader))
        out.append(PromptPiece(.text("assistant\n"), .replyHeader))
        return out
    }

    /// The default system prompt a ChatML Jinja template inserts when the first message is not a
    /// system message: the literal text after `<|im_start|>system\n` up to `<|im_end|>`, when that
    /// text is a plain literal (no Jinja expression inside).
    public static func defaultSystem(inTemplate template: String) -> String? {
        for newline in ["\n", "\\n"] {
            let start = "<|im_start|>system" + newline
            var search = template.startIndex..<template.endIndex
            while let r = template.range(of: start, range: search) {
                search = r.upperBound..<template.endIndex
                guard let end = template.range(of: "<|im_end|>", range: r.upperBound..<template.endIndex) else { break }
                let literal = template[r.upperBound..<end.lowerBound]
                if literal.isEmpty || literal.contains("'") || literal.contains("\"") || literal.contains("{") || literal.contains("}") { continue }
                return String(literal).replacingOccurrences(of: "\\n", with: "\n")
            }
        }
        return nil
    }
}
