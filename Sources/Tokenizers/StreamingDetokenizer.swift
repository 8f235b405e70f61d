/// Turns tokens into text as they arrive without ever splitting a UTF-8 character: bytes of a
/// character that is not complete yet (an emoji spread over several `<0xNN>` tokens) wait for the
/// next token. The concatenation of everything returned equals `Tokenizer.decode` of all ids.
public struct StreamingDetokenizer {
    private let tokenizer: Tokenizer
    private var pending: [UInt8] = []
    private var atStart: Bool

    /// `stripLeadingSpace`: for SentencePiece with its dummy-prefix space, drop the single leading
    /// space of the first token that renders text (the way Llama 2 clients show a reply, and the way
    /// `decode` does). No effect for byte-level BPE, whose spaces are always meaningful.
    public init(tokenizer: Tokenizer, stripLeadingSpace: Bool = true) {
        self.tokenizer = tokenizer
        atStart = stripLeadingSpace && tokenizer.stripsLeadingSpace
        pending.reserveCapacity(16)
    }

    /// Adds one token; returns the text that became complete (often empty).
    public mutating func append(_ id: TokenID) -> String {
        guard let r = tokenizer.renderRange(id), !r.isEmpty else { return "" }
        var from = r.lowerBound
        if atStart {
            if tokenizer.renderBytes[from] == 0x20 { from += 1 }
            atStart = false
        }
        pending.append(contentsOf: tokenizer.renderBytes[from..<r.upperBound])
        let cut = Self.completePrefix(pending)
        if cut == 0 { return "" }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// Whatever is left (an unfinished character comes out as U+FFFD).
    public mutating func finish() -> String {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// Length of the longest prefix that does not end inside a character that could still be
    /// completed: a trailing lead byte plus valid continuation bytes, fewer than it needs, is held.
    static func completePrefix(_ b: [UInt8]) -> Int {
        let n = b.count
        var i = n - 1
        var continuations = 0
        while i >= 0 && continuations < 3 && b[i] & 0xC0 == 0x80 { i -= 1; continuations += 1 }
        guard i >= 0 else { return n }
        let lead = b[i]
        let need: Int
        switch lead {
        case 0xC2...0xDF: need = 2
        case 0xE0...0xEF: need = 3
        case 0xF0...0xF4: need = 4
        default: return n
        }
        let have = n - i
        if have >= need { return n }
        if have >= 2 {
            // The second byte's valid range depends on the lead (no overlongs, surrogates, > U+10FFFF).
            let second = b[i + 1]
            let ok: Bool
            switch lead {
            case 0xE0: ok = second >= 0xA0
            case 0xED: ok = second <= 0x9F
            case 0xF0: ok = second >= 0x90
            case 0xF4: ok = second <= 0x8F
            default: ok = true
            }
            if !ok { return n }
        }
        return i
    }
}
