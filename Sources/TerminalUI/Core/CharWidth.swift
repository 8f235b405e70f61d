/// Terminal column widths of characters, independent of the process locale: East Asian Wide and
/// Fullwidth characters and emoji take two columns, combining marks and other zero-width
/// characters take none, controls take none (callers replace them before drawing).
public enum CharWidth {
    /// Inclusive ranges of East Asian Wide (W) and Fullwidth (F) code points (Unicode 15), besides
    /// the emoji that `isEmojiPresentation` already covers.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x2FF0...0x2FFF, 0x3000...0x303E,
        0x3041...0x3096, 0x3099...0x30FF, 0x3105...0x312F, 0x3131...0x318E, 0x3190...0x31E3,
        0x31EF...0x321E, 0x3220...0x3247, 0x3250...0x4DBF, 0x4E00...0xA48C, 0xA490...0xA4C6,
        0xA960...0xA97C, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE52,
        0xFE54...0xFE66, 0xFE68...0xFE6B, 0xFF01...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
        0x16FF0...0x16FF1, 0x17000...0x187F7, 0x18800...0x18CD5, 0x18D00...0x18D08,
        0x1AFF0...0x1AFFE, 0x1B000...0x1B122, 0x1B132...0x1B132, 0x1B150...0x1B152,
        0x1B155...0x1B155, 0x1B164...0x1B167, 0x1B170...0x1B2FB, 0x1F004...0x1F004,
        0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202,
        0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265,
        0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393,
        0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4,
        0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D,
        0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596,
        0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC,
        0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC,
        0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A,
        0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FA7C, 0x1FA80...0x1FA88,
        0x1FA90...0x1FABD, 0x1FABF...0x1FAC5, 0x1FACE...0x1FADB, 0x1FAE0...0x1FAE8,
        0x1FAF0...0x1FAF8, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// Columns of one Unicode scalar on its own: 0, 1 or 2.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        if isZeroWidth(scalar) { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    /// Whether the scalar takes no column of its own (combining marks, joiners, variation selectors).
    public static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0xFEFF, 0xFE00...0xFE0F,
             0xE0000...0xE0FFF, 0x1160...0x11FF, 0xD7B0...0xD7FF:
            return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return v != 0x00AD
        default: return false
        }
    }

    /// Whether the scalar is East Asian Wide or Fullwidth.
    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var lo = 0, hi = wideRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = wideRanges[mid]
            if v < r.lowerBound { hi = mid - 1 } else if v > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Columns of one user-perceived character (grapheme cluster): the width of its base scalar;
    /// 2 for emoji presentation (including text-style emoji followed by U+FE0F, flags and ZWJ
    /// sequences); combining scalars after the base add nothing.
    public static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x80 && scalars.count == 1 { return first.value < 0x20 || first.value == 0x7F ? 0 : 1 }
        var base = 0
        var sawBase = false
        var emoji = false
        var hasVS16 = false
        for s in scalars {
            if s.value == 0xFE0F { hasVS16 = true; continue }
            let w = width(of: s)
            if !sawBase && w > 0 {
                sawBase = true
                base = w
                emoji = s.properties.isEmoji
                if s.properties.isEmojiPresentation || (0x1F1E6...0x1F1FF).contains(s.value) { base = 2 }
            }
        }
        if hasVS16 && emoji { return 2 }
        return min(base, 2)
    }

    /// Columns of a string.
    public static func width(of string: some StringProtocol) -> Int {
        var total = 0
        for c in string { total += width(of: c) }
        return total
    }

    /// The longest prefix of `string` that fits in `columns`, and its width.
    public static func prefix(of string: some StringProtocol, fitting columns: Int) -> (String, Int) {
        var out = ""
        var used = 0
        for c in string {
            let w = width(of: c)
            if used + w > columns { break }
            out.append(c)
            used += w
        }
        return (out, used)
    }

    /// `string` cut to `columns`, ending in `…` when it was longer.
    public static func truncate(_ string: String, to columns: Int) -> String {
        if columns <= 0 { return "" }
        if width(of: string) <= columns { return string }
        let (p, _) = prefix(of: string, fitting: columns - 1)
        return p + "…"
    }
}
