/// Lays out the messages of a conversation as styled lines and draws a scrolled window of them.
public enum ConversationView {
    /// A laid-out line: spans, and whether empty columns to the right take `fill`'s background.
    public struct Line: Equatable, Sendable {
        public var spans: [Span]
        public var fill: Style?
        public var messageIndex: Int
    }

    /// The lines for `messages` at `width` columns.
    public static func layout(_ messages: [ChatMessageView], width: Int, theme: Theme) -> [Line] {
        guard width >= 4 else { return [] }
        var lines: [Line] = []
        for (index, message) in messages.enumerated() {
            if !lines.isEmpty { lines.append(Line(spans: [], fill: nil, messageIndex: index)) }
            lines.append(contentsOf: layoutMessage(message, index: index, width: width, theme: theme))
        }
        return lines
    }

    static func layoutMessage(_ m: ChatMessageView, index: Int, width: Int, theme: Theme) -> [Line] {
        var lines: [Line] = []
        let dimmed = m.outsideContext
        func s(_ role: StyleRole) -> Style { dimmed ? theme[.dropped] : theme[role] }
        let labelRole: StyleRole, textRole: StyleRole, label: String
        switch m.role {
        case .user: (labelRole, textRole, label) = (.userLabel, .userText, "You")
        case .assistant: (labelRole, textRole, label) = (.assistantLabel, .assistantText, "Assistant")
        case .system: (labelRole, textRole, label) = (.note, .note, "System")
        }
        var header = [Span("▍", s(labelRole)), Span(label, s(labelRole))]
        if let p = m.systemPromptLabel, m.role == .assistant {
            header.append(Span("  ⚙ " + CharWidth.truncate(p, to: max(4, width / 3)), s(.dim)))
        }
        if let d = m.detail { header.append(Span("  " + d, s(.dim))) }
        switch m.status {
        case .streaming: header.append(Span("  ● streaming", theme[.accent]))
        case .stopped: header.append(Span("  ⏹ stopped", theme[.warning]))
        case .failed: header.append(Span("  ✗ failed", theme[.error]))
        case .complete: break
        }
        if m.outsideContext { header.append(Span("  ⊘ outside the context window", theme[.warning])) }
        lines.append(Line(spans: header, fill: nil, messageIndex: index))

        let indent = "  "
        let textWidth = width - 2
        var inCode = false
        var content = m.content
        if m.status == .streaming { content += "▌" }
        if content.isEmpty, m.status == .complete { content = " " }
        var rawLines = content.split(separator: "\n", omittingEmptySubsequences: false)
        if content.isEmpty, case .failed = m.status { rawLines = [] }
        for raw in rawLines {
            let line = String(raw)
            if line.trimmed.hasPrefix("```") {
                let lang = String(line.trimmed.dropFirst(3)).trimmed
                if !inCode {
                    let title = lang.isEmpty ? "code" : lang
                    let bar = "╭─ " + title + " " + String(repeating: "─", count: max(0, textWidth - CharWidth.width(of: title) - 4))
                    lines.append(Line(spans: [Span(indent, s(textRole)), Span(CharWidth.truncate(bar, to: textWidth), s(.dim))], fill: nil, messageIndex: index))
                } else {
                    let bar = "╰" + String(repeating: "─", count: max(0, textWidth - 1))
                    lines.append(Line(spans: [Span(indent, s(textRole)), Span(bar, s(.dim))], fill: nil, messageIndex: index))
                }
                inCode.toggle()
                continue
            }
            if inCode {
                for piece in TextWrap.hardWrap(line, width: max(1, textWidth - 2)) {
                    lines.append(Line(spans: [Span(indent, s(textRole)), Span("│ ", s(.dim)), Span(piece, s(.code))],
                                      fill: s(.code), messageIndex: index))
                }
            } else {
                for piece in TextWrap.wrap(line, width: textWidth) {
                    lines.append(Line(spans: [Span(indent + piece, s(textRole))], fill: nil, messageIndex: index))
                }
            }
        }
        if case .failed(let why) = m.status {
            for piece in TextWrap.wrap("✗ " + why, width: textWidth) {
                lines.append(Line(spans: [Span(indent + piece, theme[.error])], fill: nil, messageIndex: index))
            }
        }
        return lines
    }

    /// Draws `lines` into `rect`, `offsetFromBottom` lines up from the end (clamped). Returns the
    /// first line shown and the clamped offset.
    @discardableResult
    public static func draw(_ lines: [Line], into buffer: inout ScreenBuffer, rect: Rect,
                            offsetFromBottom: Int, theme: Theme) -> (first: Int, offset: Int) {
        let maxOffset = max(0, lines.count - rect.height)
        let offset = min(max(0, offsetFromBottom), maxOffset)
        let first = max(0, lines.count - rect.height - offset)
        for row in 0..<rect.height {
            let i = first + row
            guard i < lines.count else { break }
            let line = lines[i]
            if let fill = line.fill {
                buffer.fill(Rect(x: rect.x + 2, y: rect.y + row, width: rect.width - 2, height: 1), style: fill)
            }
            buffer.put(line.spans, x: rect.x, y: rect.y + row, maxWidth: rect.width)
        }
        return (first, offset)
    }
}
