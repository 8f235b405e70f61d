import ChatCore

/// Turns the chat core's rendered prompt into the prompt inspector's parts: special tokens and
/// format structure split out for highlighting, dropped turns marked, token counts per part.
public enum PromptInspectionBuilder {
    /// Pieces shown as special tokens (BOS/EOS and control tokens as the renderer prints them).
    public static let specials = ["<s>", "</s>", "<|im_start|>", "<|im_end|>", "<|begin_of_text|>", "<|start_header_id|>",
                           "<|end_header_id|>", "<|eot_id|>", "<|endoftext|>", "<|user|>", "<|assistant|>", "<|system|>"]
    /// Pieces shown as format structure.
    public static let structure = ["[INST]", "[/INST]", "<<SYS>>", "<</SYS>>"]

    /// The inspection of `prompt` (exactly what the model will see), preceded by the turns the
    /// budget dropped (`turn < firstKeptTurn`), taken from `full` (the whole conversation rendered)
    /// and marked dropped.
    public static func build(prompt: RenderedPrompt, full: RenderedPrompt?, firstKeptTurn: Int, formatName: String,
                             window: Int) -> PromptInspection {
        var parts: [PromptPart] = []
        let droppedParts = (full?.parts ?? []).filter { ($0.kind.turn ?? Int.max) < firstKeptTurn }
        for rendered in droppedParts { parts += pieces(of: rendered, dropped: true) }
        for rendered in prompt.parts { parts += pieces(of: rendered, dropped: false) }
        return PromptInspection(formatName: formatName, parts: parts, windowTokens: window)
    }

    static func pieces(of rendered: RenderedPart, dropped: Bool) -> [PromptPart] {
        let contentKind: PromptPart.Kind
        switch rendered.kind {
        case .system: contentKind = .system
        case .user: contentKind = .user
        case .assistant: contentKind = .assistant
        case .replyHeader: contentKind = .structure
        }
        var pieces = split(rendered.text, contentKind: contentKind)
        if pieces.isEmpty { pieces = [(contentKind, rendered.text)] }
        return pieces.enumerated().map { i, piece in
            PromptPart(kind: piece.0, text: piece.1, tokens: i == 0 ? rendered.tokenCount : 0, dropped: dropped)
        }
    }

    /// `text` cut at special and structure markers.
    static func split(_ text: String, contentKind: PromptPart.Kind) -> [(PromptPart.Kind, String)] {
        var out: [(PromptPart.Kind, String)] = []
        var rest = Substring(text)
        var plain = ""
        let markers = specials.map { ($0, PromptPart.Kind.specialToken) } + structure.map { ($0, PromptPart.Kind.structure) }
        while !rest.isEmpty {
            if let (marker, kind) = markers.first(where: { rest.hasPrefix($0.0) }) {
                if !plain.isEmpty { out.append((contentKind, plain)); plain = "" }
                out.append((kind, marker))
                rest = rest.dropFirst(marker.count)
            } else {
                plain.append(rest.removeFirst())
            }
        }
        if !plain.isEmpty { out.append((contentKind, plain)) }
        return out
    }
}
