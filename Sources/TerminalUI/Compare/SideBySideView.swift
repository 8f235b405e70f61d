/// Draws the side-by-side view into the body of the screen (between the title and hint bars).
enum SideBySideView {
    static func draw(_ buf: inout ScreenBuffer, _ view: SideBySideState, rect: Rect, theme: Theme) {
        buf.fill(rect, style: theme[.base])
        let turns = SideBySideLayout.turns(view).count
        var footer = [Span(" \(turns) turn\(turns == 1 ? "" : "s") ", theme[.dim])]
        if view.showDiff {
            let (removed, added) = SideBySideLayout.diffCounts(view)
            footer.append(Span("· -\(removed) +\(added) words ", theme[.dim]))
        }
        AppView.box(&buf, rect, focused: true,
                    title: [AppView.titleSpan("Side by side: original ↔ variant, turn by turn", focused: true, theme: theme)],
                    footer: footer, theme: theme)
        let inner = rect.inset(1)
        let area = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        guard area.width > 0, area.height >= 2 else { return }
        buf.put(SideBySideLayout.header(view, width: area.width, theme: theme), x: area.x, y: area.y, maxWidth: area.width)
        let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        let lines = SideBySideLayout.lines(view, width: body.width, theme: theme)
        let top = clampedScroll(view.scroll, lines: lines.count, height: body.height)
        for (row, spans) in lines.dropFirst(top).prefix(body.height).enumerated() {
            buf.put(spans, x: body.x, y: body.y + row, maxWidth: body.width)
        }
        if lines.count > body.height, body.height > 0 {
            let thumbH = max(1, body.height * body.height / lines.count)
            let thumbY = body.y + (body.height - thumbH) * top / max(1, lines.count - body.height)
            for y in thumbY..<min(body.maxY, thumbY + thumbH) { buf.put("┃", x: rect.maxX - 1, y: y, style: theme[.borderFocused]) }
        }
    }

    static func clampedScroll(_ scroll: Int, lines: Int, height: Int) -> Int {
        min(max(0, scroll), max(0, lines - height))
    }

    /// The body rectangle the view gets for a screen size (for scrolling by pages).
    static func bodyHeight(_ state: AppState) -> Int { max(1, state.height - 2 - 2 - 1) }
    static func bodyWidth(_ state: AppState) -> Int { max(0, state.width - 4) }
}

/// Keys of the side-by-side view (`AppState.sideBySide`).
enum SideBySideReducer {
    static func key(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        guard var view = state.sideBySide else { return [] }
        let page = max(1, SideBySideView.bodyHeight(state) - 1)
        let total = SideBySideLayout.lines(view, width: SideBySideView.bodyWidth(state), theme: .dark).count
        let maxScroll = max(0, total - SideBySideView.bodyHeight(state))
        switch (key.key, key.modifiers) {
        case (.up, _), (.char("k"), []): view.scroll -= 1
        case (.down, _), (.char("j"), []): view.scroll += 1
        case (.pageUp, _), (.char("b"), []): view.scroll -= page
        case (.pageDown, _), (.char(" "), []): view.scroll += page
        case (.home, _), (.char("g"), []): view.scroll = 0
        case (.end, _), (.char("G"), []): view.scroll = maxScroll
        case (.char("d"), []):
            view.showDiff.toggle()
            state.notice = Notice(text: view.showDiff ? "Word diff on: removed words on the left, added on the right" : "Word diff off: replies as written",
                                  isError: false)
        case (.enter, []), (.char("o"), []):
            guard !state.generation.isBusy else { return Reducer.busy(&state) }
            let id = key.key == .enter ? view.variant.id : view.original.id
            state.sideBySide = nil
            Reducer.setFocus(&state, .chat)
            return [.loadConversation(id)]
        case (.escape, []), (.char("q"), []), (.function(4), _):
            state.sideBySide = nil
            return []
        default:
            return []
        }
        view.scroll = min(max(0, view.scroll), maxScroll)
        state.sideBySide = view
        return []
    }

    static let hints: [(String, String)] = [("↑↓ PgUp PgDn", "scroll"), ("d", "word diff on/off"), ("Enter", "open variant"),
                                            ("o", "open original"), ("Esc", "close")]
}
