import PromptLab

/// The side-by-side view as lines of styled spans: a pure function of the state, the width and
/// the theme. Every line is at most `width` columns; reply rows are exactly `width` columns with
/// the separator in the same column on every row, whatever the characters' widths.
public enum SideBySideLayout {
    /// One turn: the user's message (the variant's too when it differs) and both replies.
    public struct Turn: Hashable, Sendable {
        public var user: String
        /// The variant's user message, when it is not the original's.
        public var variantUser: String?
        public var original: String?
        public var variant: String?
    }

    /// The separator between the two reply columns.
    public static let separator = " │ "

    /// The widths of the left and right columns for a total `width` (never negative).
    public static func columnWidths(_ width: Int) -> (left: Int, right: Int) {
        let usable = max(0, width - CharWidth.width(of: separator))
        let left = usable / 2
        return (left, usable - left)
    }

    /// The turns of a conversation: each user message with the reply after it.
    static func turns(of messages: [ChatMessageView]) -> [(user: String, reply: String?)] {
        var out: [(user: String, reply: String?)] = []
        for m in messages {
            switch m.role {
            case .user: out.append((m.content, nil))
            case .assistant:
                if out.isEmpty { out.append(("", m.content)) } else if let r = out[out.count - 1].reply {
                    out[out.count - 1].reply = r + "\n\n" + m.content
                } else {
                    out[out.count - 1].reply = m.content
                }
            case .system: continue
            }
        }
        return out
    }

    /// The two conversations paired turn by turn (the longer one's extra turns face nothing).
    public static func turns(_ state: SideBySideState) -> [Turn] {
        let a = turns(of: state.original.messages), b = turns(of: state.variant.messages)
        return (0..<max(a.count, b.count)).map { i in
            let ua = i < a.count ? a[i].user : nil, ub = i < b.count ? b[i].user : nil
            return Turn(user: ua ?? ub ?? "", variantUser: ua != nil && ub != nil && ua != ub ? ub : nil,
                        original: i < a.count ? a[i].reply : nil, variant: i < b.count ? b[i].reply : nil)
        }
    }

    /// The column titles row.
    public static func header(_ state: SideBySideState, width: Int, theme: Theme) -> [Span] {
        let (l, r) = columnWidths(width)
        func label(_ side: String, _ c: SideBySideConversation) -> String {
            side + " · " + (c.promptLabel.isEmpty ? "no system prompt" : c.promptLabel) + " · " + c.title
        }
        return clip(pad([Span(CharWidth.truncate(label("Original", state.original), to: l), theme[.title].with(.bold))], to: l, style: theme[.base])
            + [Span(separator, theme[.border])]
            + [Span(CharWidth.truncate(label("Variant", state.variant), to: r), theme[.title].with(.bold))], to: width)
    }

    /// Every line of the view (below the header), top to bottom.
    public static func lines(_ state: SideBySideState, width: Int, theme: Theme) -> [[Span]] {
        guard width > 0 else { return [] }
        let (l, r) = columnWidths(width)
        var out: [[Span]] = []
        for (i, turn) in turns(state).enumerated() {
            let label = " Turn \(i + 1) "
            let rule = String(repeating: "─", count: 2) + label + String(repeating: "─", count: max(0, width - 2 - CharWidth.width(of: label)))
            out.append([Span(rule, theme[.border])])
            for line in TextWrap.wrap(clean("» " + turn.user), width: width) { out.append([Span(line, theme[.userText])]) }
            if let vu = turn.variantUser {
                for line in TextWrap.wrap(clean("» (variant) " + vu), width: width) { out.append([Span(line, theme[.userText])]) }
            }
            let left: [[Span]], right: [[Span]]
            if state.showDiff, let a = turn.original, let b = turn.variant {
                let diff = WordDiff(clean(a), clean(b))
                var oldWords: [(String, Style)] = [], newWords: [(String, Style)] = []
                for run in diff.runs {
                    switch run.kind {
                    case .same:
                        oldWords += run.words.map { ($0, theme[.assistantText]) }
                        newWords += run.words.map { ($0, theme[.assistantText]) }
                    case .removed: oldWords += run.words.map { ($0, theme[.error].with(.underline)) }
                    case .added: newWords += run.words.map { ($0, theme[.success].with(.underline)) }
                    }
                }
                left = wrapWords(oldWords, width: l)
                right = wrapWords(newWords, width: r)
            } else {
                left = plain(turn.original, width: l, theme: theme)
                right = plain(turn.variant, width: r, theme: theme)
            }
            for row in 0..<max(left.count, right.count) {
                let a = row < left.count ? left[row] : [], b = row < right.count ? right[row] : []
                out.append(clip(pad(a, to: l, style: theme[.base]) + [Span(separator, theme[.border])] + pad(b, to: r, style: theme[.base]), to: width))
            }
        }
        return out.map { clip($0, to: width) }
    }

    /// Word-diff totals over every turn with two replies: (removed, added) words.
    public static func diffCounts(_ state: SideBySideState) -> (removed: Int, added: Int) {
        var removed = 0, added = 0
        for t in turns(state) {
            guard let a = t.original, let b = t.variant else { continue }
            let d = WordDiff(a, b)
            removed += d.removedCount
            added += d.addedCount
        }
        return (removed, added)
    }

    /// A reply as written (line breaks kept), or a dim "(no reply)".
    static func plain(_ text: String?, width: Int, theme: Theme) -> [[Span]] {
        guard width > 0 else { return [] }
        guard let text, !text.isEmpty else { return [[Span(CharWidth.truncate("(no reply)", to: width), theme[.dim])]] }
        // `clip`: a character wider than the whole column is dropped rather than overflow it.
        return TextWrap.wrap(clean(text), width: width).map { clip([Span($0, theme[.assistantText])], to: width) }
    }

    /// Styled words flowed into lines of at most `width` columns (a word wider than a line is
    /// broken between characters).
    static func wrapWords(_ words: [(String, Style)], width: Int) -> [[Span]] {
        guard width > 0 else { return [] }
        var lines: [[Span]] = [[]]
        var used = 0
        for (word, style) in words {
            var rest = Substring(word)
            var w = CharWidth.width(of: rest)
            if used > 0 && used + 1 + w > width {
                lines.append([])
                used = 0
            }
            if used > 0 {
                lines[lines.count - 1].append(Span(" ", style))
                used += 1
            }
            while w > width - used {
                // Break the word: as much as fits on this line, the rest on the next.
                let (head, hw) = CharWidth.prefix(of: rest, fitting: width - used)
                if hw == 0 && used == 0 { rest = rest.dropFirst(); w = CharWidth.width(of: rest); continue }  // wider than a line
                if !head.isEmpty { lines[lines.count - 1].append(Span(head, style)) }
                rest = rest.dropFirst(head.count)
                w = CharWidth.width(of: rest)
                lines.append([])
                used = 0
            }
            if !rest.isEmpty {
                lines[lines.count - 1].append(Span(String(rest), style))
                used += w
            }
        }
        return lines
    }

    /// `spans` followed by spaces up to `width` columns.
    static func pad(_ spans: [Span], to width: Int, style: Style) -> [Span] {
        let w = spans.reduce(0) { $0 + $1.width }
        guard w < width else { return spans }
        return spans + [Span(String(repeating: " ", count: width - w), style)]
    }

    /// `spans` cut to at most `width` columns (a wide character that would straddle the edge is dropped).
    static func clip(_ spans: [Span], to width: Int) -> [Span] {
        var out: [Span] = []
        var used = 0
        for s in spans {
            let w = s.width
            if used + w <= width {
                out.append(s)
                used += w
                continue
            }
            let (head, hw) = CharWidth.prefix(of: s.text, fitting: max(0, width - used))
            if hw > 0 { out.append(Span(head, s.style)) }
            break
        }
        return out
    }

    /// Text with control characters other than newlines and tabs turned into spaces.
    static func clean(_ text: String) -> String {
        String(text.map { c -> Character in
            if c == "\r\n" { return "\n" }
            guard c != "\n", c != "\t", let v = c.unicodeScalars.first?.value, v < 0x20 || v == 0x7F else { return c }
            return " "
        })
    }
}
