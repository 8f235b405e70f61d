import GGUF

/// How a vocabulary entry behaves (GGUF `tokenizer.ggml.token_type`).
enum TokenType: UInt8, Sendable {
    case undefined = 0, normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6

    /// Entries that BPE merges and SentencePiece's bigram search may produce from plain text.
    /// Control, unknown and byte entries never come out of text (a user who types `</s>` or
    /// `<0x0A>` gets those characters), matching Meta's SentencePiece.
    var isMergeable: Bool { self == .normal || self == .undefined || self == .userDefined || self == .unused }
}

/// Everything the tokenizer reads from `tokenizer.ggml.*`, validated: lengths agree, ids in range.
struct Vocabulary: Sendable {
    let kind: TokenizerKind
    let pieces: [String]
    let types: [TokenType]
    /// Per-token scores (SentencePiece); empty for byte-level BPE.
    let scores: [Float]
    /// Merge rules in rank order, as the lines `left right` (byte-level BPE); empty for SentencePiece.
    let merges: [String]
    /// The UTF-8 offset of the separating space in each merge line.
    let mergeSeparators: [Int32]
    /// Every piece by its UTF-8 bytes (a later duplicate wins, as in the reference).
    let pieceTable: PieceTable
    let bos: TokenID?
    let eos: TokenID?
    let unknown: TokenID?
    let endOfTurnIDs: [TokenID]
    let addBOS: Bool
    let addSpacePrefix: Bool
    let pre: String?

    var count: Int { pieces.count }

    init(metadata m: GGUFMetadata) throws {
        let model = try Self.string(m, "tokenizer.ggml.model")
        switch model {
        case "llama": kind = .sentencePiece
        case "gpt2": kind = .byteLevelBPE
        default: throw TokenizerError.unsupportedModel(model)
        }

        let tokensKey = "tokenizer.ggml.tokens"
        guard let tokenValue = m[tokensKey] else { throw TokenizerError.missingKey(tokensKey) }
        guard let tokens = m.strings(tokensKey) else {
            throw TokenizerError.typeMismatch(key: tokensKey, expected: "an array of string", found: tokenValue.typeDescription)
        }
        guard !tokens.isEmpty else { throw TokenizerError.emptyVocabulary }
        guard tokens.count < Int(Int32.max) else {
            throw TokenizerError.lengthMismatch(key: tokensKey, expected: Int(Int32.max) - 1, found: tokens.count)
        }
        pieces = tokens
        let n = tokens.count

        let typeKey = "tokenizer.ggml.token_type"
        if let v = m[typeKey] {
            guard let raw = m.ints(typeKey) else {
                throw TokenizerError.typeMismatch(key: typeKey, expected: "an array of integers", found: v.typeDescription)
            }
            guard raw.count == n else { throw TokenizerError.lengthMismatch(key: typeKey, expected: n, found: raw.count) }
            var t: [TokenType] = []
            t.reserveCapacity(n)
            for (i, r) in raw.enumerated() {
                guard r >= 0, r <= 6, let type = TokenType(rawValue: UInt8(r)) else {
                    throw TokenizerError.invalidTokenType(index: i, value: r)
                }
                t.append(type)
            }
            types = t
        } else {
            types = [TokenType](repeating: .normal, count: n)
        }

        let scoreKey = "tokenizer.ggml.scores"
        if let v = m[scoreKey] {
            guard let s = m.floats(scoreKey) else {
                throw TokenizerError.typeMismatch(key: scoreKey, expected: "an array of numbers", found: v.typeDescription)
            }
            guard s.count == n else { throw TokenizerError.lengthMismatch(key: scoreKey, expected: n, found: s.count) }
            scores = s
        } else if kind == .sentencePiece {
            throw TokenizerError.missingKey(scoreKey)
        } else {
            scores = []
        }

        pieceTable = PieceTable(tokens.enumerated().map { (Array($0.element.utf8), Int32($0.offset)) })

        if kind == .byteLevelBPE {
            let mergeKey = "tokenizer.ggml.merges"
            guard let v = m[mergeKey] else { throw TokenizerError.missingKey(mergeKey) }
            guard let lines = m.strings(mergeKey) else {
                throw TokenizerError.typeMismatch(key: mergeKey, expected: "an array of string", found: v.typeDescription)
            }
            var separators: [Int32] = []
            separators.reserveCapacity(lines.count)
            for (i, line) in lines.enumerated() {
                // The separator is the first space after the first character (a piece is never empty).
                var copy = line
                let sep: Int? = copy.withUTF8 { b in
                    guard b.count >= 3 else { return nil }
                    for j in 1..<(b.count - 1) where b[j] == 0x20 { return j }
                    return nil
                }
                guard let sep else { throw TokenizerError.invalidMerge(index: i, line: line) }
                separators.append(Int32(sep))
            }
            merges = lines
            mergeSeparators = separators
        } else {
            merges = []
            mergeSeparators = []
        }

        bos = try Self.tokenID(m, "tokenizer.ggml.bos_token_id", n)
        eos = try Self.tokenID(m, "tokenizer.ggml.eos_token_id", n)
        let typeList = types
        let table = pieceTable
        let guessedUnknown = Self.lookup(table, "<unk>").flatMap { typeList[Int($0)] == .unknown ? $0 : nil }
        unknown = try Self.tokenID(m, "tokenizer.ggml.unknown_token_id", n) ?? guessedUnknown
        var eot: [TokenID] = []
        for key in ["tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"] {
            if let id = try Self.tokenID(m, key, n) { eot.append(id) }
        }
        endOfTurnIDs = eot
        addBOS = try Self.bool(m, "tokenizer.ggml.add_bos_token") ?? (kind == .sentencePiece)
        addSpacePrefix = try Self.bool(m, "tokenizer.ggml.add_space_prefix") ?? (kind == .sentencePiece)
        pre = try Self.optionalString(m, "tokenizer.ggml.pre")
    }

    /// The id of a piece given by its exact text.
    func id(_ piece: String) -> TokenID? { Self.lookup(pieceTable, piece) }

    private static func lookup(_ table: PieceTable, _ piece: String) -> TokenID? {
        let id = table.lookup(Array(piece.utf8))
        return id >= 0 ? id : nil
    }

    private static func string(_ m: GGUFMetadata, _ key: String) throws -> String {
        guard let s = try optionalString(m, key) else { throw TokenizerError.missingKey(key) }
        return s
    }

    private static func optionalString(_ m: GGUFMetadata, _ key: String) throws -> String? {
        guard let v = m[key] else { return nil }
        guard let s = v.stringValue else { throw TokenizerError.typeMismatch(key: key, expected: "a string", found: v.typeDescription) }
        return s
    }

    private static func bool(_ m: GGUFMetadata, _ key: String) throws -> Bool? {
        guard let v = m[key] else { return nil }
        guard let b = v.boolValue else { throw TokenizerError.typeMismatch(key: key, expected: "a bool", found: v.typeDescription) }
        return b
    }

    /// An optional token id; `-1` (some converters write it for "none") counts as absent.
    private static func tokenID(_ m: GGUFMetadata, _ key: String, _ n: Int) throws -> TokenID? {
        guard let v = m[key] else { return nil }
        guard let i = v.intValue else { throw TokenizerError.typeMismatch(key: key, expected: "an integer", found: v.typeDescription) }
        if i == -1 || (v.type == .uint32 && i == Int(UInt32.max)) { return nil }
        guard i >= 0, i < n else { throw TokenizerError.tokenIDOutOfRange(key: key, id: i, vocabularySize: n) }
        return TokenID(i)
    }
}
