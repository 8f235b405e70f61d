/// Scripts written without spaces between words (Chinese, Japanese, Korean, Thai, Lao, Khmer,
/// Myanmar). A word tokenizer sees a whole sentence of them as one token, so text containing them
/// is also indexed by a trigram index, which finds any substring.
///
/// The migration `v1-full-text-search` has the same ranges as a GLOB pattern (`globPattern`):
/// migrations never change, so a test checks that the two agree.
enum UnsegmentedScripts {
    static let ranges: [ClosedRange<UInt32>] = [
        0x0E00...0x0EFF,    // Thai, Lao
        0x1000...0x109F,    // Myanmar
        0x1780...0x17FF,    // Khmer
        0x2E80...0x2FDF,    // CJK radicals, Kangxi radicals
        0x3040...0x30FF,    // Hiragana, Katakana
        0x3100...0x318F,    // Bopomofo, Hangul compatibility jamo
        0x31F0...0x31FF,    // Katakana phonetic extensions
        0x3400...0x4DBF,    // CJK extension A
        0x4E00...0x9FFF,    // CJK unified ideographs
        0xAC00...0xD7AF,    // Hangul syllables
        0xF900...0xFAFF,    // CJK compatibility ideographs
        0x20000...0x2FFFF,  // CJK extensions B and later
    ]

    /// `text GLOB globPattern` is true when text contains a character of these scripts.
    static let globPattern = "*[\u{0E00}-\u{0EFF}\u{1000}-\u{109F}\u{1780}-\u{17FF}\u{2E80}-\u{2FDF}\u{3040}-\u{30FF}\u{3100}-\u{318F}\u{31F0}-\u{31FF}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{AC00}-\u{D7AF}\u{F900}-\u{FAFF}\u{20000}-\u{2FFFF}]*"

    static func contains(_ scalar: Unicode.Scalar) -> Bool {
        ranges.contains { $0.contains(scalar.value) }
    }

    static func contains(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: contains)
    }
}
