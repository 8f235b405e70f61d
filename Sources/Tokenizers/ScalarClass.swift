/// The character classes the pre-tokenizer regexes ask about, as bit flags of one byte:
/// `\p{L}`, `\p{N}`, `\s` (Unicode White_Space), `\p{P}`, and "other" (neither letter, number nor
/// whitespace). Every scalar has at least one bit set; 0 means "outside the chunk".
enum ScalarClass {
    static let letter: UInt8 = 1
    static let number: UInt8 = 2
    static let whitespace: UInt8 = 4
    static let punctuation: UInt8 = 8
    static let other: UInt8 = 16

    /// Classes of the Basic Multilingual Plane, computed once from the standard library's Unicode
    /// properties; scalars above it are classified on the fly.
    private static let bmp: [UInt8] = {
        var t = [UInt8](repeating: other, count: 0x10000)
        for v in 0..<0x10000 {
            guard let s = Unicode.Scalar(UInt32(v)) else { continue }
            t[v] = compute(s)
        }
        return t
    }()

    static func compute(_ s: Unicode.Scalar) -> UInt8 {
        let p = s.properties
        if p.isWhitespace { return whitespace }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return number
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return other | punctuation
        default:
            return other
        }
    }

    /// The class of one scalar value.
    @inline(__always)
    static func of(_ v: UInt32) -> UInt8 {
        if v < 0x10000 { return bmp.withUnsafeBufferPointer { $0[Int(v)] } }
        guard let s = Unicode.Scalar(v) else { return other }
        return compute(s)
    }
}
