import Tokenizers
/// A prompt as token ids, split into parts (system, each user message and reply, the reply
/// header) with a human-readable text form where `<s>`/`</s>` stand for the BOS/EOS ids and control
/// tokens show as their pieces. Concatenating the parts' ids gives `ids`.
public struct RenderedPrompt: Sendable, Hashable {
    /// The prompt's token ids.
    public var ids: [TokenID]
    /// The parts in order; their ranges tile `ids`.
    public var parts: [RenderedPart]
    /// Warnings about the dialog (e.g. `[INST]` inside user text).
    public var warnings: [String]
    /// The first turn in the prompt (turns before it were dropped by the budget).
    public var firstTurn: Int

    /// The human-readable prompt: `<s>`/`</s>` mark the BOS/EOS ids, control tokens show as their
    /// pieces, text as it is.
    public var text: String { parts.map(\.text).joined() }

    /// Token count of every part, keyed by part.
    public var tokenCounts: [PromptPartKind: Int] {
        var out: [PromptPartKind: Int] = [:]
        for p in parts { out[p.kind, default: 0] += p.tokenCount }
        return out
    }

    /// Tokens of turn `n` (its user message and reply).
    public func tokens(ofTurn n: Int) -> Int {
        parts.filter { $0.kind.turn == n }.reduce(0) { $0 + $1.tokenCount }
    }

    /// A listing for `/show prompt` and the prompt inspector: one line per part with its token
    /// count, then the exact prompt text.
    public func inspection() -> String {
        var lines: [String] = []
        lines.append("prompt: \(ids.count) tokens" + (firstTurn > 0 ? " (\(firstTurn) oldest turn\(firstTurn == 1 ? "" : "s") dropped to fit)" : ""))
        for p in parts { lines.append("  \(p.kind): \(p.tokenCount) tokens") }
        for w in warnings { lines.append("warning: \(w)") }
        lines.append("---")
        lines.append(text)
        lines.append("---")
        return lines.joined(separator: "\n")
    }
}

/// One part of a rendered prompt.
public struct RenderedPart: Sendable, Hashable {
    public var kind: PromptPartKind
    /// Where its tokens are in `RenderedPrompt.ids`.
    public var range: Range<Int>
    /// Its human-readable text (with `<s>`/`</s>` and control pieces shown).
    public var text: String
    public var tokenCount: Int { range.count }
}
