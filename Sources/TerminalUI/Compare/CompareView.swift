import PromptLab

/// Draws the compare view into the body of the screen (between the title and hint bars).
enum CompareView {
    static func draw(_ buf: inout ScreenBuffer, _ view: CompareViewState, rect: Rect, theme: Theme) {
        buf.fill(rect, style: theme[.base])
        switch view.stage {
        case .pick, .message: drawSetup(&buf, view, rect: rect, theme: theme)
        case .columns: drawColumns(&buf, view, rect: rect, theme: theme)
        case .diff(let a, let b, let scroll): drawDiff(&buf, view, a: a, b: b, scroll: scroll, rect: rect, theme: theme)
        }
    }

    // MARK: choosing prompts and typing the message

    static func drawSetup(_ buf: inout ScreenBuffer, _ view: CompareViewState, rect: Rect, theme: Theme) {
        let editorHeight = min(6, max(3, EditorView.height(of: view.message, width: max(1, rect.width - 5)) + 2))
        let (listBox, editorBox) = rect.splitBottom(editorHeight)
        let picking = view.stage == .pick
        AppView.box(&buf, listBox, focused: picking,
                    title: [AppView.titleSpan("Compare · choose \(CompareViewState.minPrompts)-\(CompareViewState.maxPrompts) system prompts (\(view.chosen.count) chosen)", focused: picking, theme: theme)],
                    footer: historyFooter(view, theme: theme), theme: theme)
        let inner = listBox.inset(1)
        let top = max(0, view.cursor - inner.height + 1)
        for row in 0..<max(0, inner.height) {
            let i = top + row
            guard i < view.candidates.count else { break }
            let c = view.candidates[i]
            let mark = view.chosen.firstIndex(of: i).map { "[\($0 + 1)]" } ?? "[ ]"
            let firstLine = c.text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let style = i == view.cursor && picking ? theme[.selection] : theme[.base]
            var x = inner.x
            buf.fill(Rect(x: inner.x, y: inner.y + row, width: inner.width, height: 1), style: style)
            x += buf.put(" \(mark) ", x: x, y: inner.y + row, style: style.with(.bold), maxWidth: inner.maxX - x)
            x += buf.put(c.name, x: x, y: inner.y + row, style: style, maxWidth: inner.maxX - x)
            if x + 3 < inner.maxX {
                buf.put("  " + (firstLine.isEmpty ? "(no system prompt)" : firstLine), x: x, y: inner.y + row,
                        style: i == view.cursor && picking ? style : theme[.dim], maxWidth: inner.maxX - x)
            }
        }
        AppView.box(&buf, editorBox, focused: !picking,
                    title: [AppView.titleSpan(view.withHistory ? "Next message of the conversation (after \(view.historyTurnsText))" : "Message for every prompt",
                                              focused: !picking, theme: theme)], theme: theme)
        let editorInner = editorBox.inset(1)
        EditorView.draw(view.message, into: &buf, rect: Rect(x: editorInner.x + 1, y: editorInner.y, width: editorInner.width - 1, height: editorInner.height),
                        style: theme[.base], focused: !picking,
                        placeholder: picking ? "Enter: type the message" : "Type the message and press Enter", theme: theme)
    }

    /// Whether the columns continue the conversation (`h` toggles it), when it has turns.
    static func historyFooter(_ view: CompareViewState, theme: Theme) -> [Span] {
        guard !view.history.isEmpty else { return [] }
        if view.withHistory { return [Span(" ↺ continues the conversation (\(view.historyTurnsText)) · h: message alone ", theme[.accent])] }
        return [Span(" message alone · h: continue the conversation ", theme[.dim])]
    }

    // MARK: columns

    static func statusText(_ c: CompareColumn) -> String {
        switch c.status {
        case .waiting: return "◌ waiting"
        case .running: return "● running"
        case .done: return "✓"
        case .failed: return "✗"
        }
    }

    static func drawColumns(_ buf: inout ScreenBuffer, _ view: CompareViewState, rect: Rect, theme: Theme) {
        let (header, body) = rect.splitTop(1)
        let message = view.message.text.split(whereSeparator: \.isNewline).joined(separator: " ")
        let context = view.withHistory ? "(after \(view.historyTurnsText)) " : ""
        buf.put(" » " + context + message, x: header.x, y: header.y, style: theme[.userText], maxWidth: header.width)
        let n = max(1, view.columns.count)
        let width = body.width / n
        for (i, c) in view.columns.enumerated() {
            let x = body.x + i * width
            let w = i == n - 1 ? body.maxX - x : width
            let box = Rect(x: x, y: body.y, width: w, height: body.height)
            let selected = i == view.selected
            let statusStyle: Style
            switch c.status {
            case .running: statusStyle = theme[.accent]
            case .done: statusStyle = theme[.success]
            case .failed: statusStyle = theme[.error]
            case .waiting: statusStyle = theme[.dim]
            }
            let footer = c.status == .done
                ? [Span(" \(c.tokens) tok · \(formatRate(c.tokensPerSecond)) tok/s ", theme[.dim])]
                : c.status == .running ? [Span(" \(CharWidth.width(of: c.reply) > 0 ? "writing…" : "prefill…") ", theme[.accent])] : []
            AppView.box(&buf, box, focused: selected,
                        title: [Span(statusText(c) + " ", statusStyle), AppView.titleSpan("\(i + 1) \(c.label)", focused: selected, theme: theme)],
                        footer: footer, theme: theme)
            let inner = box.inset(1)
            let area = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height)
            guard area.width > 0, area.height > 0 else { continue }
            var lines = TextWrap.wrap(c.reply.trimmingLeadingNewlines(), width: area.width)
            if case .failed(let why) = c.status { lines += TextWrap.wrap("error: " + why, width: area.width) }
            // Follow the end while it streams; show the start once done.
            let start = c.status == .running ? max(0, lines.count - area.height) : 0
            for (row, line) in lines.dropFirst(start).prefix(area.height).enumerated() {
                let failedLine = { if case .failed = c.status { return start + row >= lines.count - 1 } else { return false } }()
                buf.put(line, x: area.x, y: area.y + row, style: failedLine ? theme[.error] : theme[.assistantText], maxWidth: area.width)
            }
        }
    }

    static func formatRate(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return String(r)
    }

    // MARK: diff

    static func drawDiff(_ buf: inout ScreenBuffer, _ view: CompareViewState, a: Int, b: Int, scroll: Int, rect: Rect, theme: Theme) {
        guard view.columns.indices.contains(a), view.columns.indices.contains(b) else { return }
        let diff = WordDiff(view.columns[a].reply, view.columns[b].reply)
        AppView.box(&buf, rect, focused: true,
                    title: [AppView.titleSpan("Word diff: \(view.columns[a].label) → \(view.columns[b].label)", focused: true, theme: theme)],
                    footer: [Span(" -\(diff.removedCount) +\(diff.addedCount) words ", theme[.dim])], theme: theme)
        let inner = rect.inset(1)
        let area = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height)
        let lines = layoutDiff(diff, width: area.width, theme: theme)
        let top = min(scroll, max(0, lines.count - area.height))
        for (row, spans) in lines.dropFirst(top).prefix(area.height).enumerated() {
            buf.put(spans, x: area.x, y: area.y + row, maxWidth: area.width)
        }
    }

    /// The diff as lines of spans: unchanged words plain, removed words as `[-…-]` in the error
    /// style, added words as `{+…+}` in the success style, wrapped at word boundaries.
    static func layoutDiff(_ diff: WordDiff, width: Int, theme: Theme) -> [[Span]] {
        var pieces: [(String, Style)] = []
        for run in diff.runs {
            switch run.kind {
            case .same: pieces += run.words.map { ($0, theme[.assistantText]) }
            case .removed: pieces += marked(run.words, "[-", "-]", theme[.error])
            case .added: pieces += marked(run.words, "{+", "+}", theme[.success])
            }
        }
        var lines: [[Span]] = [[]]
        var used = 0
        for (word, style) in pieces {
            let w = CharWidth.width(of: word)
            if used > 0 && used + 1 + w > width {
                lines.append([])
                used = 0
            }
            if used > 0 {
                lines[lines.count - 1].append(Span(" ", theme[.base]))
                used += 1
            }
            lines[lines.count - 1].append(Span(word, style))
            used += w
        }
        return lines
    }

    static func marked(_ words: [String], _ open: String, _ close: String, _ style: Style) -> [(String, Style)] {
        guard !words.isEmpty else { return [] }
        var out = words.map { ($0, style) }
        out[0].0 = open + out[0].0
        out[out.count - 1].0 += close
        return out
    }
}

private extension String {
    func trimmingLeadingNewlines() -> String { String(drop(while: { $0 == "\n" || $0 == " " })) }
}
