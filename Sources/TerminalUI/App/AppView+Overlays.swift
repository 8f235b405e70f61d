/// Windows drawn over the panes: help, prompt inspector, dialogs and the prompt picker.
extension AppView {
    static func drawOverlay(_ buf: inout ScreenBuffer, _ overlay: Overlay, state: AppState, theme: Theme) {
        switch overlay {
        case .help(let scroll): drawHelp(&buf, scroll: scroll, theme: theme)
        case .inspector(let scroll): drawInspector(&buf, state: state, scroll: scroll, theme: theme)
        case .confirm(let title, let message, _): drawConfirm(&buf, title: title, message: message, theme: theme)
        case .input(let title, let editor, _, let error): drawInputDialog(&buf, title: title, editor: editor, error: error, theme: theme)
        case .promptPicker(let selected, let filter): drawPicker(&buf, state: state, selected: selected, filter: filter, theme: theme)
        }
    }

    /// Clears `rect` in the dialog style, draws its border, and returns the inside (with a margin).
    static func window(_ buf: inout ScreenBuffer, _ rect: Rect, title: String, footer: [Span] = [], theme: Theme) -> Rect {
        let d = theme[.dialog]
        buf.fill(rect, style: d)
        buf.drawBox(rect, style: theme[.borderFocused].over(d.bg), box: .rounded,
                    title: [Span(" " + title + " ", theme[.titleFocused])], footer: footer)
        let inner = rect.inset(1)
        return Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
    }

    static func helpLines(theme: Theme, keyWidth: Int) -> [[Span]] {
        var lines: [[Span]] = []
        for (section, keys) in KeyHints.help {
            if !lines.isEmpty { lines.append([]) }
            lines.append([Span(section, theme[.accent].over(theme[.dialog].bg))])
            for (key, what) in keys {
                let pad = String(repeating: " ", count: max(1, keyWidth - CharWidth.width(of: key)))
                lines.append([Span("  " + key + pad, theme[.dialog].with(.bold)), Span(what, theme[.dialog])])
            }
        }
        return lines
    }

    static func drawHelp(_ buf: inout ScreenBuffer, scroll: Int, theme: Theme) {
        let rect = buf.bounds.centered(width: min(84, buf.width - 4), height: buf.height - 2)
        let widest = KeyHints.help.flatMap { $0.1 }.map { CharWidth.width(of: $0.0) }.max() ?? 20
        let lines = helpLines(theme: theme, keyWidth: min(widest + 2, rect.width / 2))
        let inner = window(&buf, rect, title: "Help · llamaterm keys", footer: [Span("any key closes", theme[.dim])], theme: theme)
        let top = min(scroll, max(0, lines.count - inner.height))
        for row in 0..<inner.height where top + row < lines.count {
            buf.put(lines[top + row], x: inner.x, y: inner.y + row, maxWidth: inner.width)
        }
    }

    static func drawConfirm(_ buf: inout ScreenBuffer, title: String, message: String, theme: Theme) {
        let width = min(max(36, CharWidth.width(of: message) + 6), buf.width - 4)
        let lines = TextWrap.wrap(message, width: width - 4)
        let rect = buf.bounds.centered(width: width, height: lines.count + 4)
        let inner = window(&buf, rect, title: title, theme: theme)
        for (i, line) in lines.enumerated() { buf.put(line, x: inner.x, y: inner.y + i, style: theme[.dialog]) }
        let y = inner.y + lines.count + 1
        var x = inner.x
        x += buf.put(" y ", x: x, y: y, style: theme[.hintKey])
        x += buf.put(" yes   ", x: x, y: y, style: theme[.dialog])
        x += buf.put(" n ", x: x, y: y, style: theme[.hintKey])
        buf.put(" no", x: x, y: y, style: theme[.dialog])
    }

    static func drawInputDialog(_ buf: inout ScreenBuffer, title: String, editor: TextEditor, error: String?, theme: Theme) {
        let rect = buf.bounds.centered(width: min(60, buf.width - 4), height: 6)
        let inner = window(&buf, rect, title: title, theme: theme)
        let field = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: 1)
        EditorView.draw(editor, into: &buf, rect: field, style: theme[.selectionInactive], focused: true, theme: theme)
        if let error { buf.put("✗ " + error, x: inner.x, y: inner.y + 2, style: theme[.error].over(theme[.dialog].bg), maxWidth: inner.width) }
        buf.put("Enter OK · Esc cancel", x: inner.x, y: inner.y + 3, style: theme[.dim].over(theme[.dialog].bg), maxWidth: inner.width)
    }

    static func drawPicker(_ buf: inout ScreenBuffer, state: AppState, selected: Int, filter: String, theme: Theme) {
        let rect = buf.bounds.centered(width: min(70, buf.width - 4), height: min(20, buf.height - 2))
        let inner = window(&buf, rect, title: state.replayTarget == nil ? "System prompt library" : "Replay the conversation under which system prompt?",
                           theme: theme)
        buf.put("⌕ " + filter, x: inner.x, y: inner.y, style: theme[.accent].over(theme[.dialog].bg), maxWidth: inner.width)
        buf.cursor = (min(inner.maxX - 1, inner.x + 2 + CharWidth.width(of: filter)), inner.y)
        let items = Reducer.pickerItems(state, filter: filter)
        let rows = items.map {
            ListView.Row(title: $0.name, detail: $0.text.replacingNewlines(), badge: $0.isUser ? "yours" : "")
        }
        ListView.draw(rows, selected: selected, into: &buf, rect: Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2),
                      focused: true, theme: theme, emptyText: state.systemPrompt.library.isEmpty ? "The library is empty" : "No match")
    }

    // MARK: prompt inspector

    static func style(of part: PromptPart, theme: Theme) -> Style {
        if part.dropped { return theme[.dropped] }
        switch part.kind {
        case .specialToken: return theme[.specialToken]
        case .structure: return theme[.structure]
        case .system: return theme[.note]
        case .user: return theme[.userText]
        case .assistant: return theme[.assistantText]
        }
    }

    /// The inspector's lines: the prompt text wrapped at `width`, and the token count of each part
    /// at the line where it starts.
    static func inspectorLines(_ inspection: PromptInspection, width: Int, theme: Theme) -> [(spans: [Span], tokens: Int)] {
        var lines: [(spans: [Span], tokens: Int)] = [([], 0)]
        var used = 0
        for part in inspection.parts {
            let st = style(of: part, theme: theme)
            lines[lines.count - 1].tokens += part.tokens
            let shown = part.kind == .specialToken ? part.text : part.text
            var run = ""
            func flush() {
                if !run.isEmpty { lines[lines.count - 1].spans.append(Span(run, st)); run = "" }
            }
            for c in shown {
                if c == "\n" || c == "\r\n" {
                    if part.kind == .specialToken || part.kind == .structure { run += "↵" }
                    flush(); lines.append(([], 0)); used = 0
                    continue
                }
                let ch: Character = c == "\t" ? " " : c
                let w = CharWidth.width(of: ch)
                if used + w > width { flush(); lines.append(([], 0)); used = 0 }
                run.append(ch)
                used += w
            }
            flush()
        }
        return lines
    }

    static func drawInspector(_ buf: inout ScreenBuffer, state: AppState, scroll: Int, theme: Theme) {
        let rect = Rect(x: 1, y: 1, width: buf.width - 2, height: buf.height - 2)
        guard let ins = state.inspection else {
            let inner = window(&buf, rect, title: "Prompt inspector", theme: theme)
            buf.put("Rendering the prompt of the next turn…", x: inner.x, y: inner.y, style: theme[.dim].over(theme[.dialog].bg))
            return
        }
        let dropped = ins.parts.filter(\.dropped).reduce(0) { $0 + $1.tokens }
        let footer = [Span("\(ins.keptTokens)/\(ins.windowTokens) tokens" + (dropped > 0 ? " · \(dropped) dropped" : ""), theme[.accent])]
        let inner = window(&buf, rect, title: "Prompt inspector · \(ins.formatName)", footer: footer, theme: theme)
        guard inner.height > 3, inner.width > 20 else { return }
        let legendY = inner.y
        var x = inner.x
        for (label, role) in [("special token", StyleRole.specialToken), ("structure", .structure), ("system", .note),
                              ("user", .userText), ("assistant", .assistantText), ("dropped", .dropped)] {
            if x + CharWidth.width(of: label) + 2 > inner.maxX { break }
            x += buf.put(label, x: x, y: legendY, style: theme[role].over(theme[.dialog].bg))
            x += buf.put("  ", x: x, y: legendY, style: theme[.dialog])
        }
        let gutter = 9
        let textWidth = inner.width - gutter - 1
        let lines = inspectorLines(ins, width: textWidth, theme: theme)
        let area = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
        let top = min(scroll, max(0, lines.count - area.height))
        for row in 0..<area.height where top + row < lines.count {
            let line = lines[top + row]
            if line.tokens > 0 {
                let t = "\(line.tokens) tok"
                buf.put(t, x: area.x + gutter - 1 - CharWidth.width(of: t), y: area.y + row, style: theme[.dim].over(theme[.dialog].bg))
            }
            buf.put("│", x: area.x + gutter - 1, y: area.y + row, style: theme[.border].over(theme[.dialog].bg))
            buf.put(line.spans, x: area.x + gutter + 1, y: area.y + row, maxWidth: textWidth)
        }
    }
}
