import Foundation

/// Draws an `AppState` into a `ScreenBuffer`: a pure function of the state and the theme.
public enum AppView {
    public static func render(_ state: AppState, theme: Theme) -> ScreenBuffer {
        var buf = ScreenBuffer(width: state.width, height: state.height, style: theme[.base])
        let layout = Layout(state)
        if layout.tooSmall {
            drawTooSmall(&buf, state: state, theme: theme)
            return buf
        }
        drawTitleBar(&buf, state: state, rect: layout.titleBar, theme: theme)
        if let sbs = state.sideBySide {
            SideBySideView.draw(&buf, sbs, rect: Rect(x: 0, y: 1, width: state.width, height: max(0, state.height - 2)), theme: theme)
            drawHints(&buf, state: state, rect: layout.hintBar, theme: theme)
            if let overlay = state.overlay { drawOverlay(&buf, overlay, state: state, theme: theme) }
            return buf
        }
        if let compare = state.compare {
            CompareView.draw(&buf, compare, rect: Rect(x: 0, y: 1, width: state.width, height: max(0, state.height - 2)), theme: theme)
            drawHints(&buf, state: state, rect: layout.hintBar, theme: theme)
            if let overlay = state.overlay { drawOverlay(&buf, overlay, state: state, theme: theme) }
            return buf
        }
        if let side = layout.sidebar { drawConversations(&buf, state: state, rect: side, theme: theme) }
        switch layout.mainContent {
        case .chat:
            drawMessages(&buf, state: state, layout: layout, theme: theme)
            if let input = layout.inputBox { drawInput(&buf, state: state, rect: input, theme: theme) }
        case .systemPrompt: drawSystemPrompt(&buf, state: state, rect: layout.mainBox, theme: theme)
        case .options: drawOptions(&buf, state: state, rect: layout.mainBox, theme: theme)
        case .conversations: drawConversations(&buf, state: state, rect: layout.mainBox, theme: theme)
        }
        drawHints(&buf, state: state, rect: layout.hintBar, theme: theme)
        if let overlay = state.overlay { drawOverlay(&buf, overlay, state: state, theme: theme) }
        return buf
    }

    // MARK: frame

    static func drawTooSmall(_ buf: inout ScreenBuffer, state: AppState, theme: Theme) {
        let lines = ["Terminal too small", "\(state.width)x\(state.height), need \(Layout.minWidth)x\(Layout.minHeight)", "Ctrl-Q quits"]
        let top = max(0, (state.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let w = CharWidth.width(of: line)
            buf.put(line, x: max(0, (state.width - w) / 2), y: top + i, style: i == 0 ? theme[.error] : theme[.dim])
        }
    }

    static func drawTitleBar(_ buf: inout ScreenBuffer, state: AppState, rect: Rect, theme: Theme) {
        let bar = theme[.statusBar]
        buf.fill(rect, style: bar)
        var left: [Span] = [Span(" llamaterm ", theme[.statusAccent]), Span(" ", bar)]
        if !state.modelName.isEmpty { left.append(Span(state.modelName, bar.with(.bold))) } else { left.append(Span("no model", bar)) }
        if !state.promptFormat.isEmpty { left.append(Span(" · " + state.promptFormat, bar)) }

        var right: [Span] = []
        if let c = state.context, c.windowTokens > 0 {
            let cells = rect.width >= 100 ? 10 : 5
            let filled = min(cells, Int((Double(c.usedTokens) / Double(c.windowTokens) * Double(cells)).rounded(.up)))
            right.append(Span("ctx ", bar))
            right.append(Span(String(repeating: "▰", count: filled), theme[.meterUsed].over(bar.bg)))
            right.append(Span(String(repeating: "▱", count: cells - filled), theme[.meterFree].over(bar.bg)))
            right.append(Span(" \(c.usedTokens)/\(c.windowTokens)", bar))
            if c.droppedTurns > 0 {
                let what = rect.width >= 100 ? " · \(c.droppedTurns) turn\(c.droppedTurns == 1 ? "" : "s") dropped" : " ⊘\(c.droppedTurns)"
                right.append(Span(what, theme[.warning].over(bar.bg)))
            }
            right.append(Span("  ", bar))
        }
        switch state.generation {
        case .idle:
            var text = "● ready"
            if let s = state.lastStats, rect.width >= 100 { text += " · \(Reducer.statsText(s))" }
            right.append(Span(text, theme[.success].over(bar.bg)))
        case .loading(let what): right.append(Span("◌ " + what, theme[.warning].over(bar.bg)))
        case .generating(let tokens, let tps):
            let rate = tps > 0 ? String(format: " %.1f tok/s", tps) : ""
            right.append(Span("● \(tokens) tok" + rate, theme[.accent].over(bar.bg)))
        case .stopping: right.append(Span("■ stopping…", theme[.warning].over(bar.bg)))
        }
        right.append(Span(" ", bar))
        let rightWidth = right.reduce(0) { $0 + $1.width }
        let leftWidth = buf.put(left, x: rect.x, y: rect.y, maxWidth: max(0, rect.width - rightWidth - 1))
        if leftWidth + rightWidth < rect.width {
            buf.put(right, x: rect.maxX - rightWidth, y: rect.y)
        }
    }

    static func drawHints(_ buf: inout ScreenBuffer, state: AppState, rect: Rect, theme: Theme) {
        buf.fill(rect, style: theme[.base])
        if let n = state.notice {
            buf.put(" " + (n.isError ? "✗ " : "✓ ") + n.text, x: rect.x, y: rect.y, style: n.isError ? theme[.error] : theme[.success], maxWidth: rect.width)
            return
        }
        let all = KeyHints.hints(for: state)
        let tail = all.suffix(2), head = all.dropLast(2)
        func width(_ h: some Sequence<(String, String)>) -> Int { h.reduce(0) { $0 + CharWidth.width(of: $1.0) + CharWidth.width(of: $1.1) + 4 } }
        var x = rect.x
        let tailWidth = state.overlay == nil ? width(tail) : 0
        for (key, label) in (state.overlay == nil ? Array(head) : all) {
            let w = CharWidth.width(of: key) + CharWidth.width(of: label) + 4
            if x + w > rect.maxX - tailWidth { break }
            x += buf.put(" " + key + " ", x: x, y: rect.y, style: theme[.hintKey])
            x += buf.put(" " + label + " ", x: x, y: rect.y, style: theme[.hintLabel])
        }
        if tailWidth > 0, tailWidth <= rect.width {
            x = rect.maxX - tailWidth
            for (key, label) in tail {
                x += buf.put(" " + key + " ", x: x, y: rect.y, style: theme[.hintKey])
                x += buf.put(" " + label + " ", x: x, y: rect.y, style: theme[.hintLabel])
            }
        }
    }

    static func box(_ buf: inout ScreenBuffer, _ rect: Rect, focused: Bool, title: [Span], footer: [Span] = [], theme: Theme) {
        buf.drawBox(rect, style: theme[focused ? .borderFocused : .border], box: .rounded, title: title, footer: footer)
    }

    static func titleSpan(_ text: String, focused: Bool, theme: Theme) -> Span {
        Span(focused ? " " + text + " " : text, theme[focused ? .titleFocused : .title])
    }

    // MARK: panes

    static func mainTabs(_ state: AppState, theme: Theme) -> [Span] {
        var spans: [Span] = []
        for (i, pane) in [Pane.chat, .systemPrompt, .options].enumerated() {
            if i > 0 { spans.append(Span(" │ ", theme[.border])) }
            let active = state.mainPane == pane
            var label = "\(i + 1) \(pane.title)"
            if pane == .systemPrompt && state.systemPrompt.isModified { label += " ●" }
            if active && state.focus == pane {
                spans.append(Span(" " + label + " ", theme[.titleFocused]))
            } else {
                spans.append(Span(label, active ? theme[.title].with(.bold) : theme[.dim]))
            }
        }
        return spans
    }

    static func drawMessages(_ buf: inout ScreenBuffer, state: AppState, layout: Layout, theme: Theme) {
        let rect = layout.mainBox
        let area = layout.messagesArea
        let lines = ConversationView.layout(state.messages, width: area.width, theme: theme)
        var footer: [Span] = []
        let offset = min(state.scrollOffset, max(0, lines.count - area.height))
        if offset > 0 { footer = [Span("↓ \(offset) more · End follows", theme[.accent])] }
        let title = mainTabs(state, theme: theme) + [Span(" ─ ", theme[.border]), Span(CharWidth.truncate(state.conversationTitle, to: 30), theme[.dim])]
        box(&buf, rect, focused: state.focus == .chat, title: title, footer: footer, theme: theme)
        if state.messages.isEmpty {
            let hello = ["Start typing below and press Enter.",
                         "Tab moves between panes · F1 lists every key."]
            for (i, line) in hello.enumerated() where area.height > 2 {
                let w = CharWidth.width(of: line)
                buf.put(line, x: area.x + max(0, (area.width - w) / 2), y: area.y + area.height / 2 - 1 + i, style: theme[.dim], maxWidth: area.width)
            }
            return
        }
        ConversationView.draw(lines, into: &buf, rect: area, offsetFromBottom: offset, theme: theme)
        if lines.count > area.height, area.height > 0 {
            // A scrollbar on the right border.
            let total = lines.count
            let first = max(0, total - area.height - offset)
            let thumbH = max(1, area.height * area.height / total)
            let thumbY = area.y + (area.height - thumbH) * first / max(1, total - area.height)
            for y in thumbY..<min(area.maxY, thumbY + thumbH) { buf.put("┃", x: rect.maxX - 1, y: y, style: theme[.borderFocused]) }
        }
    }

    static func drawInput(_ buf: inout ScreenBuffer, state: AppState, rect: Rect, theme: Theme) {
        let focused = state.focus == .chat
        let title = state.editingLast ? "Edit last message" : "Message"
        var footer: [Span] = []
        if state.input.characterCount > 200 { footer.append(Span("\(state.input.characterCount) chars", theme[.dim])) }
        box(&buf, rect, focused: focused, title: [titleSpan(title, focused: focused, theme: theme)], footer: footer, theme: theme)
        let inner = rect.inset(1)
        let area = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height)
        let placeholder = state.generation.isBusy ? "Writing a reply… Esc stops it" : "Type a message · Enter sends · Alt-Enter new line"
        EditorView.draw(state.input, into: &buf, rect: area, style: theme[.base], focused: focused && state.overlay == nil,
                        placeholder: placeholder, theme: theme)
    }

    static func drawSystemPrompt(_ buf: inout ScreenBuffer, state: AppState, rect: Rect, theme: Theme) {
        let focused = state.focus == .systemPrompt
        let sp = state.systemPrompt
        let status: Span = sp.isModified ? Span("● modified: ^S applies", theme[.warning]) : Span("✓ applied", theme[.success])
        box(&buf, rect, focused: focused, title: mainTabs(state, theme: theme), footer: [status], theme: theme)
        let inner = rect.inset(1)
        let area = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height)
        guard area.height >= 3 else { return }
        let name = sp.appliedName.map { "Using \"\($0)\"" } ?? (sp.appliedText.isEmpty ? "No system prompt" : "Using a custom prompt")
        buf.put(name, x: area.x, y: area.y, style: theme[.accent], maxWidth: area.width)
        buf.put(" · applies from the next turn · ^O library (\(sp.library.count))", x: area.x + CharWidth.width(of: name), y: area.y,
                style: theme[.dim], maxWidth: max(0, area.width - CharWidth.width(of: name)))
        buf.hline(x: area.x, y: area.y + 1, width: area.width, style: theme[.border])
        let editorRect = Rect(x: area.x, y: area.y + 2, width: area.width, height: area.height - 2)
        EditorView.draw(sp.editor, into: &buf, rect: editorRect, style: theme[.base], focused: focused && state.overlay == nil,
                        placeholder: "Describe how the assistant should behave…", theme: theme)
    }

    static func drawOptions(_ buf: inout ScreenBuffer, state: AppState, rect: Rect, theme: Theme) {
        let focused = state.focus == .options
        box(&buf, rect, focused: focused, title: mainTabs(state, theme: theme),
            footer: [Span("saved with the conversation", theme[.dim])], theme: theme)
        let inner = rect.inset(1)
        let area = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height)
        state.options.draw(into: &buf, rect: area, focused: focused && state.overlay == nil, theme: theme)
    }

    static func drawConversations(_ buf: inout ScreenBuffer, state: AppState, rect: Rect, theme: Theme) {
        let focused = state.focus == .conversations
        let pane = state.conversations
        let visible = pane.visible
        box(&buf, rect, focused: focused, title: [titleSpan("4 Conversations", focused: focused, theme: theme)],
            footer: [Span("\(visible.count)", theme[.dim])], theme: theme)
        let inner = rect.inset(1)
        guard inner.height >= 3 else { return }
        let searchStyle = theme[.selectionInactive]
        let searchRect = Rect(x: inner.x, y: inner.y, width: inner.width, height: 1)
        buf.fill(searchRect, style: searchStyle)
        buf.put("⌕ ", x: inner.x, y: inner.y, style: theme[.accent].over(searchStyle.bg))
        let field = Rect(x: inner.x + 2, y: inner.y, width: inner.width - 2, height: 1)
        EditorView.draw(pane.filter, into: &buf, rect: field, style: searchStyle, focused: focused && state.overlay == nil,
                        placeholder: "search", theme: theme)
        let rows = pane.rows.map { row in
            ListView.Row(title: ConversationGrouping.displayTitle(row), detail: (row.depth > 0 && !row.item.subtitle.isEmpty ? "  " : "") + row.item.subtitle,
                         badge: row.item.id == state.conversationID ? "●" : "")
        }
        let listRect = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
        ListView.draw(rows, selected: pane.selected, into: &buf, rect: listRect, focused: focused, theme: theme,
                      emptyText: pane.filter.isEmpty ? "No saved conversations yet" : "No match")
    }
}
