/// Word wrapping measured in terminal columns.
public enum TextWrap {
    /// Tabs become this many spaces.
    public static let tabWidth = 4

    /// Splits `text` into lines of at most `width` columns: at newlines, then between words;
    /// a word longer than a line is broken. Leading indentation of a paragraph is kept.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out.append(contentsOf: wrapParagraph(expandTabs(String(paragraph)), width: width))
        }
        return out
    }

    /// `line` with tabs expanded to spaces and carriage returns removed.
    public static func expandTabs(_ line: String) -> String {
        guard line.contains("\t") || line.contains("\r") else { return line }
        var out = ""
        for c in line {
            if c == "\t" { out += String(repeating: " ", count: tabWidth) } else if c != "\r" { out.append(c) }
        }
        return out
    }

    static func wrapParagraph(_ line: String, width: Int) -> [String] {
        if CharWidth.width(of: line) <= width { return [line] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        // Tokens: runs of spaces and runs of non-spaces.
        var tokens: [(String, Bool)] = []
        var token = ""
        var tokenIsSpace = false
        for c in line {
            let isSpace = c == " "
            if token.isEmpty { tokenIsSpace = isSpace }
            if isSpace != tokenIsSpace {
                tokens.append((token, tokenIsSpace))
                token = ""
                tokenIsSpace = isSpace
            }
            token.append(c)
        }
        if !token.isEmpty { tokens.append((token, tokenIsSpace)) }

        for (tok, isSpace) in tokens {
            let w = CharWidth.width(of: tok)
            if currentWidth + w <= width {
                current += tok
                currentWidth += w
                continue
            }
            if isSpace {
                // Spaces at a break vanish.
                if !current.isEmpty { lines.append(current); current = ""; currentWidth = 0 }
                continue
            }
            if w <= width {
                if !current.isEmpty { lines.append(stripTrailingSpaces(current)) }
                current = tok
                currentWidth = w
                continue
            }
            // A word longer than a line: fill the current line, then break the word.
            for c in tok {
                let cw = CharWidth.width(of: c)
                if currentWidth + cw > width {
                    lines.append(stripTrailingSpaces(current))
                    current = ""
                    currentWidth = 0
                }
                current.append(c)
                currentWidth += cw
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    static func stripTrailingSpaces(_ s: String) -> String {
        var t = s
        while t.hasSuffix(" ") { t.removeLast() }
        return t
    }

    /// Breaks `line` into pieces of at most `width` columns without looking for word boundaries
    /// (for code, where every column counts).
    public static func hardWrap(_ line: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        var current = ""
        var used = 0
        for c in expandTabs(line) {
            let w = CharWidth.width(of: c)
            if used + w > width { out.append(current); current = ""; used = 0 }
            current.append(c)
            used += w
        }
        out.append(current)
        return out
    }
}
