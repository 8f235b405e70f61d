import Foundation
import GGUF

/// A token id, as the model's embedding table indexes it.
public typealias TokenID = Int32

/// The tokenization algorithm a vocabulary uses (`tokenizer.ggml.model`).
public enum TokenizerKind: Sendable {
    /// SentencePiece BPE with byte fallback (`llama`: Llama 2, Mistral, TinyLlama).
    case sentencePiece
    /// GPT-2 style byte-level BPE (`gpt2`: SmolLM2, Llama 3, Qwen 2).
    case byteLevelBPE
}

/// Text to token ids and back, read entirely from a GGUF file's `tokenizer.ggml.*` metadata.
///
/// Round trip: `decode(encode(s)) == s` for every string, with one inherent SentencePiece exception:
/// a literal `▁` (U+2581) in the input is indistinguishable from an escaped space and decodes as a
/// space. SentencePiece's dummy-prefix space (`tokenizer.ggml.add_space_prefix`) is undone by
/// `decode`, which drops the leading space of the first token that renders any text.
public final class Tokenizer: Sendable {
    public let kind: TokenizerKind
    /// The pre-tokenizer used for byte-level BPE (`tokenizer.ggml.pre`, after any fallback).
    public let preTokenizerName: String
    /// Problems that did not stop loading (unknown pre-tokenizer): also printed on stderr.
    public let warnings: [String]

    private let vocabulary: Vocabulary
    let sentencePiece: SentencePieceEncoder?
    private let byteLevel: ByteLevelBPEEncoder?
    /// User-defined tokens: cut out of any text, as the reference does.
    private let alwaysSpecial: SpecialTokenMatcher
    /// Control, unknown and user-defined tokens: cut out of text only when parsing specials.
    private let parsedSpecial: SpecialTokenMatcher
    /// Each token's decoded bytes, back to back; token `i` spans `renderStart[i]..<renderStart[i+1]`.
    let renderBytes: [UInt8]
    let renderStart: [Int32]
    /// True when decoding drops the leading space of the first rendered token (SentencePiece with
    /// the dummy prefix).
    let stripsLeadingSpace: Bool

    /// Reads the vocabulary and its settings from GGUF metadata (`tokenizer.ggml.model`, `tokens`,
    /// `scores`, `token_type`, `merges`, `pre`, `bos_token_id`, `eos_token_id`, `add_bos_token`,
    /// `add_space_prefix`). Throws `TokenizerError` naming the key for missing or invalid data.
    /// Warnings (an unknown pre-tokenizer) are printed on stderr and kept in `warnings`.
    public convenience init(metadata: GGUFMetadata) throws {
        try self.init(metadata: metadata, printingWarnings: true)
    }

    /// As `init(metadata:)`; with `printingWarnings: false` warnings are only kept in `warnings`
    /// (for a full-screen UI, where a line on stderr would garble the display).
    public init(metadata: GGUFMetadata, printingWarnings: Bool) throws {
        let v = try Vocabulary(metadata: metadata)
        vocabulary = v
        kind = v.kind
        var warnings: [String] = []
        switch v.kind {
        case .sentencePiece:
            sentencePiece = SentencePieceEncoder(vocabulary: v)
            byteLevel = nil
            preTokenizerName = "sentencepiece"
        case .byteLevelBPE:
            let (pre, warning) = PreTokenizer.named(v.pre)
            if let warning { warnings.append(warning) }
            byteLevel = ByteLevelBPEEncoder(vocabulary: v, preTokenizer: pre)
            sentencePiece = nil
            preTokenizerName = pre.rawValue
        }
        self.warnings = warnings
        if printingWarnings {
            for w in warnings { FileHandle.standardError.write(Data("llamaterm: warning: \(w)\n".utf8)) }
        }
        alwaysSpecial = SpecialTokenMatcher(vocabulary: v, types: [.userDefined])
        parsedSpecial = SpecialTokenMatcher(vocabulary: v, types: [.userDefined, .control, .unknown])
        stripsLeadingSpace = v.kind == .sentencePiece && v.addSpacePrefix

        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        starts.reserveCapacity(v.count + 1)
        for i in 0..<v.count {
            bytes.append(contentsOf: Self.render(v, i))
            starts.append(Int32(bytes.count))
        }
        renderBytes = bytes
        renderStart = starts
    }

    /// The bytes token `i` decodes to.
    private static func render(_ v: Vocabulary, _ i: Int) -> [UInt8] {
        let piece = v.pieces[i]
        switch v.types[i] {
        case .control:
            if v.kind == .sentencePiece && (TokenID(i) == v.bos || TokenID(i) == v.eos) { return [] }
            return Array(piece.utf8)
        case .userDefined:
            return Array(piece.utf8)
        case .unknown:
            return v.kind == .sentencePiece ? Array("\u{2585}".utf8) : Array(piece.utf8)
        case .byte:
            if let b = Self.byteValue(piece) { return [b] }
            return Array(piece.utf8)
        case .normal, .undefined, .unused:
            switch v.kind {
            case .sentencePiece:
                var out: [UInt8] = []
                for b in piece.utf8 { out.append(b) }
                return Self.unescapeSpaces(out)
            case .byteLevelBPE:
                return ByteLevel.bytes(of: piece) ?? Array(piece.utf8)
            }
        }
    }

    /// `<0xNN>` → NN.
    private static func byteValue(_ piece: String) -> UInt8? {
        let u = Array(piece.utf8)
        guard u.count == 6, u[0] == 0x3C, u[1] == 0x30, u[2] == 0x78, u[5] == 0x3E else { return nil }
        return UInt8(String(decoding: u[3...4], as: UTF8.self), radix: 16)
    }

    /// `▁` (E2 96 81) → space.
    private static func unescapeSpaces(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if i + 2 < b.count && b[i] == 0xE2 && b[i + 1] == 0x96 && b[i + 2] == 0x81 {
                out.append(0x20)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }

    /// Number of entries in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }
    /// The beginning-of-sequence token, if the vocabulary has one.
    public var bos: TokenID? { vocabulary.bos }
    /// The end-of-sequence token, if the vocabulary has one.
    public var eos: TokenID? { vocabulary.eos }
    /// The unknown token, if the vocabulary has one.
    public var unknown: TokenID? { vocabulary.unknown }
    /// Whether prompts start with BOS: `tokenizer.ggml.add_bos_token`, else true for SentencePiece
    /// and false for byte-level BPE.
    public var addsBOS: Bool { vocabulary.addBOS }
    /// Whether SentencePiece prefixes text with a space (`tokenizer.ggml.add_space_prefix`).
    public var addsSpacePrefix: Bool { vocabulary.addSpacePrefix }

    /// Tokens that end a reply: EOS, `eot`/`eom` ids, and control tokens such as `<|im_end|>`,
    /// `<|eot_id|>`, `<|end|>`, `<end_of_turn>`, `<|endoftext|>`.
    public var endOfTurnTokens: Set<TokenID> {
        var set = Set(vocabulary.endOfTurnIDs)
        if let eos = vocabulary.eos { set.insert(eos) }
        for name in ["<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
                     "<|end_of_text|>", "<EOT>", "</s>", "<|return|>"] {
            if let id = vocabulary.id(name), vocabulary.types[Int(id)] == .control { set.insert(id) }
        }
        return set
    }

    /// Text to ids. No BOS unless `addBOS` (and the vocabulary has one); control tokens written in
    /// the text (`<|im_start|>`, `</s>`) become control tokens only when `parseSpecial`, otherwise
    /// they are tokenized as the characters they are.
    public func encode(_ text: String, addBOS: Bool = false, parseSpecial: Bool = false) -> [TokenID] {
        var out: [TokenID] = []
        if addBOS, let bos = vocabulary.bos { out.append(bos) }
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { return out }
        out.reserveCapacity(utf8.count / 3 + 8)
        let matcher = parseSpecial ? parsedSpecial : alwaysSpecial
        var previousWasSpecial = true
        for fragment in matcher.fragments(utf8) {
            switch fragment {
            case .token(let id):
                out.append(id)
                previousWasSpecial = true
            case .text(let range):
                // Positions are 32-bit inside the encoders: text beyond 256 MiB is cut at character
                // boundaries into stretches of at most that size (exact everywhere but at the cuts).
                var from = range.lowerBound
                while from < range.upperBound {
                    var to = min(range.upperBound, from + Self.maximumStretch)
                    while to < range.upperBound && to > from + 1 && utf8[to] & 0xC0 == 0x80 { to -= 1 }
                    if let spm = sentencePiece {
                        let prefix = vocabulary.addSpacePrefix && previousWasSpecial && from == range.lowerBound
                        spm.encode(Self.escape(utf8[from..<to], dummyPrefix: prefix), into: &out)
                    } else if let bpe = byteLevel {
                        bpe.encode(utf8, from..<to, into: &out)
                    }
                    from = to
                }
                previousWasSpecial = false
            }
        }
        return out
    }

    /// The longest stretch of plain text the encoders take at once (its SentencePiece escaping,
    /// three bytes per space, stays below 2^31 bytes).
    static let maximumStretch = 1 << 28

    /// SentencePiece's view of text: every space as `▁`, optionally with a leading `▁`.
    static func escape(_ text: ArraySlice<UInt8>, dummyPrefix: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 2 + 3)
        if dummyPrefix { out.append(contentsOf: [0xE2, 0x96, 0x81]) }
        for b in text {
            if b == 0x20 { out.append(contentsOf: [0xE2, 0x96, 0x81]) } else { out.append(b) }
        }
        return out
    }

    /// Ids to text: each token's bytes (normal pieces with `▁` as space or through the byte map,
    /// `<0xNN>` as the byte, control tokens as their text except SentencePiece's BOS/EOS, which
    /// render as nothing), then UTF-8 decoding with U+FFFD for invalid bytes. Ids outside the
    /// vocabulary are skipped. SentencePiece's dummy-prefix space is dropped from the first token
    /// that renders any text.
    public func decode(_ ids: [TokenID]) -> String {
        decode(ids, droppingDummyPrefix: true)
    }

    /// `decode`, choosing whether SentencePiece's dummy-prefix space is dropped (pass false to
    /// decode a piece from the middle of a text, e.g. `[▁world]` → " world").
    public func decode(_ ids: [TokenID], droppingDummyPrefix: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        var atStart = stripsLeadingSpace && droppingDummyPrefix
        for id in ids {
            guard let r = renderRange(id), !r.isEmpty else { continue }
            var from = r.lowerBound
            if atStart {
                if renderBytes[from] == 0x20 { from += 1 }
                atStart = false
            }
            bytes.append(contentsOf: renderBytes[from..<r.upperBound])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The range of `renderBytes` token `id` decodes to, nil for ids outside the vocabulary.
    @inline(__always)
    func renderRange(_ id: TokenID) -> Range<Int>? {
        guard id >= 0, Int(id) < vocabulary.count else { return nil }
        return Int(renderStart[Int(id)])..<Int(renderStart[Int(id) + 1])
    }

    /// The raw vocabulary entry (e.g. `▁Hello`, `Ġworld`, `<0x0A>`); empty for ids out of range.
    public func piece(_ id: TokenID) -> String {
        guard id >= 0, Int(id) < vocabulary.count else { return "" }
        return vocabulary.pieces[Int(id)]
    }

    /// The id of a raw vocabulary entry.
    public func id(ofPiece piece: String) -> TokenID? { vocabulary.id(piece) }

    /// Whether `id` is a control token (`<s>`, `</s>`, `<|im_start|>`, ...).
    public func isControl(_ id: TokenID) -> Bool {
        guard id >= 0, Int(id) < vocabulary.count else { return false }
        return vocabulary.types[Int(id)] == .control
    }
}
