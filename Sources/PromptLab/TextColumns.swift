import Foundation

/// Plain-text layout for the terminal: word wrapping by display width and columns side by side.
public enum TextColumns {
    /// Terminal cells a character takes: 2 for East Asian wide characters and most emoji, 0 for
    /// combining marks and zero-width characters, else 1.
    public static func width(of c: Character) -> Int {
        guard let s = c.unicodeScalars.first else { return 0 }
        let v = s.value
        if v == 0x200B || v == 0x200D || (0x0300...0x036F).contains(v) || (0xFE00...0xFE0F).contains(v) { return 0 }
        if v < 0x1100 { return 1 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// Display width of a string.
    public static func width(of s: String) -> Int { s.reduce(0) { $0 + width(of: $1) } }

    /// Wraps `text` to lines at most `width` cells wide: at spaces where possible, breaking words
    /// longer than a line; newlines in the text start new lines; tabs become spaces.
    public static func wrap(_ text: String, width: Int) -> [String] {
        let w = max(1, width)
        var out: [String] = []
        for paragraph in text.replacingTabs().split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var word = String(word)
                var ww = Self.width(of: word)
                if lineWidth > 0 && lineWidth + 1 + ww <= w {
                    line += " " + word
                    lineWidth += 1 + ww
                    continue
                }
                if lineWidth > 0 {
                    out.append(line)
                    line = ""
                    lineWidth = 0
                }
                while ww > w {
                    var head = ""
                    var hw = 0
                    var rest = Substring(word)
                    while let c = rest.first, hw + Self.width(of: c) <= w || hw == 0 {
                        head.append(c)
                        hw += Self.width(of: c)
                        rest = rest.dropFirst()
                    }
                    out.append(head)
                    word = String(rest)
                    ww = Self.width(of: word)
                }
                line = word
                lineWidth = ww
            }
            out.append(line)
        }
        return out
    }

    /// Pads (or cuts) `s` to exactly `width` cells.
    public static func pad(_ s: String, to width: Int) -> String {
        var out = ""
        var w = 0
        for c in s {
            let cw = Self.width(of: c)
            if w + cw > width { break }
            out.append(c)
            w += cw
        }
        return out + String(repeating: " ", count: max(0, width - w))
    }

    /// Blocks of lines side by side, each `columnWidth` cells wide, separated by " │ ". Trailing
    /// spaces are trimmed from every row.
    public static func sideBySide(_ blocks: [[String]], columnWidth: Int) -> [String] {
        let rows = blocks.map(\.count).max() ?? 0
        return (0..<rows).map { r in
            let row = blocks.map { pad(r < $0.count ? $0[r] : "", to: columnWidth) }.joined(separator: " │ ")
            return String(row.reversed().drop(while: { $0 == " " }).reversed())
        }
    }
}

private extension String {
    func replacingTabs() -> String { replacingOccurrences(of: "\t", with: "    ").replacingOccurrences(of: "\r\n", with: "\n") }
}
