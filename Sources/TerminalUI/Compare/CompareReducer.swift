/// Keys and news of the compare view (`AppState.compare`).
enum CompareReducer {
    /// Opens the compare view with the library (and the current prompt, if it is not from it).
    static func open(_ state: inout AppState) -> [Effect] {
        if state.generation.isBusy {
            state.notice = Notice(text: "A reply is being written: press Esc to stop it first", isError: true)
            return []
        }
        var candidates = state.systemPrompt.library
        let applied = state.systemPrompt.appliedText
        if state.systemPrompt.appliedName == nil, !applied.trimmed.isEmpty, !candidates.contains(where: { $0.text == applied }) {
            candidates.insert(PromptLibraryItem(name: "(current)", text: applied, isUser: true), at: 0)
        }
        var view = CompareViewState(candidates: candidates)
        // Start with the conversation's prompt chosen, when it is one of the candidates.
        if let i = candidates.firstIndex(where: { $0.name == state.systemPrompt.appliedName || (state.systemPrompt.appliedName == nil && $0.text == applied && !applied.isEmpty) }) {
            view.chosen = [i]
            view.cursor = i
        }
        if !state.input.isEmpty { view.message.setText(state.input.text) }
        view.history = history(of: state.messages)
        state.compare = view
        return []
    }

    static func key(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        guard var view = state.compare else { return [] }
        defer { if state.compare != nil { state.compare = view } }
        if key == KeyEvent(.function(3)) {
            if view.isBusy { return [.stopGeneration] }
            state.compare = nil
            return []
        }
        switch view.stage {
        case .pick:
            switch key.key {
            case .up: view.cursor = max(0, view.cursor - 1)
            case .down: view.cursor = min(max(0, view.candidates.count - 1), view.cursor + 1)
            case .char(" ") where key.modifiers.isEmpty:
                toggle(&view, view.cursor, notice: &state.notice)
            case .char("h") where key.modifiers.isEmpty:
                guard !view.history.isEmpty else {
                    state.notice = Notice(text: "This conversation has no finished turns to continue", isError: true)
                    return []
                }
                view.withHistory.toggle()
                state.notice = Notice(text: view.withHistory
                    ? "Each prompt writes the conversation's next reply (\(view.historyTurnsText) before the message)"
                    : "Each prompt answers the message alone", isError: false)
            case .enter:
                if view.chosen.count < CompareViewState.minPrompts {
                    state.notice = Notice(text: "Choose at least \(CompareViewState.minPrompts) prompts (Space)", isError: true)
                } else {
                    view.stage = .message
                }
            case .escape:
                state.compare = nil
            default:
                break
            }
            return []
        case .message:
            if key.key == .escape && key.modifiers.isEmpty {
                view.stage = .pick
                return []
            }
            switch view.message.handle(key) {
            case .submit(let text):
                guard !text.trimmed.isEmpty else {
                    state.notice = Notice(text: "Type the message every prompt answers", isError: true)
                    return []
                }
                view.columns = view.chosen.map { i in
                    let c = view.candidates[i]
                    return CompareColumn(label: c.name, promptName: c.name == "(current)" ? nil : c.name, promptText: c.text)
                }
                view.selected = 0
                view.stage = .columns
                return [.compare(.run(request(view, columns: Array(view.columns.indices))))]
            case .handled, .ignored:
                return []
            }
        case .columns:
            let n = view.columns.count
            switch (key.key, key.modifiers) {
            case (.left, _), (.char("h"), []):
                view.selected = (view.selected - 1 + n) % max(1, n)
            case (.right, _), (.char("l"), []), (.tab, []):
                view.selected = (view.selected + 1) % max(1, n)
            case (.char("r"), []), (.char("r"), .ctrl):
                guard !view.isBusy else { return busy(&state) }
                let i = view.selected
                view.columns[i].reply = ""
                view.columns[i].status = .waiting
                view.columns[i].tokens = 0
                view.columns[i].tokensPerSecond = 0
                return [.compare(.run(request(view, columns: [i])))]
            case (.char("k"), []), (.enter, []):
                guard !view.isBusy else { return busy(&state) }
                let c = view.columns[view.selected]
                guard c.status == .done else {
                    state.notice = Notice(text: "This column has no finished reply to keep", isError: true)
                    return []
                }
                let message = view.message.text
                state.compare = nil
                keep(&state, column: c, message: message)
                return [.compare(.keep(message: message, reply: c.reply, systemPrompt: c.promptText, systemPromptName: c.promptName))]
            case (.char("d"), []):
                guard n >= 2 else { return [] }
                view.stage = .diff(a: view.selected, b: (view.selected + 1) % n, scroll: 0)
            case (.char("n"), []):
                guard !view.isBusy else { return busy(&state) }
                view.stage = .message
            case (.escape, []):
                if view.isBusy { return [.stopGeneration] }
                state.compare = nil
            default:
                break
            }
            return []
        case .diff(let a, let b, let scroll):
            let n = view.columns.count
            switch key.key {
            case .up: view.stage = .diff(a: a, b: b, scroll: max(0, scroll - 1))
            case .down: view.stage = .diff(a: a, b: b, scroll: scroll + 1)
            case .pageUp: view.stage = .diff(a: a, b: b, scroll: max(0, scroll - 10))
            case .pageDown: view.stage = .diff(a: a, b: b, scroll: scroll + 10)
            case .right, .tab:
                var nb = (b + 1) % n
                if nb == a { nb = (nb + 1) % n }
                view.stage = .diff(a: a, b: nb, scroll: 0)
            case .left:
                var na = (a + 1) % n
                if na == b { na = (na + 1) % n }
                view.stage = .diff(a: na, b: b, scroll: 0)
            case .escape, .char("d"), .char("q"):
                view.stage = .columns
            default:
                break
            }
            return []
        }
    }

    static func busy(_ state: inout AppState) -> [Effect] {
        state.notice = Notice(text: "Columns are still being written (Esc stops them)", isError: true)
        return []
    }

    static func toggle(_ view: inout CompareViewState, _ i: Int, notice: inout Notice?) {
        guard view.candidates.indices.contains(i) else { return }
        if let at = view.chosen.firstIndex(of: i) {
            view.chosen.remove(at: at)
        } else if view.chosen.count >= CompareViewState.maxPrompts {
            notice = Notice(text: "At most \(CompareViewState.maxPrompts) prompts side by side", isError: true)
        } else {
            view.chosen.append(i)
        }
    }

    static func request(_ view: CompareViewState, columns: [Int]) -> CompareRequest {
        CompareRequest(prompts: view.columns.map { .init(name: $0.promptName, text: $0.promptText) },
                       message: view.message.text, columns: columns, history: view.withHistory ? view.history : [])
    }

    /// The conversation's finished turns: each user message with the reply after it (turns
    /// without a reply, or whose reply failed or is empty, are left out).
    static func history(of messages: [ChatMessageView]) -> [CompareHistoryMessage] {
        var out: [CompareHistoryMessage] = []
        var pendingUser: String?
        for m in messages {
            switch m.role {
            case .user: pendingUser = m.content
            case .assistant:
                guard let user = pendingUser else { continue }
                pendingUser = nil
                switch m.status {
                case .complete, .stopped: break
                case .streaming, .failed: continue
                }
                guard !m.content.trimmed.isEmpty else { continue }
                out += [CompareHistoryMessage(role: .user, text: user), CompareHistoryMessage(role: .assistant, text: m.content)]
            case .system: continue
            }
        }
        return out
    }

    /// Puts the kept exchange into the chat right away (the app loop saves it).
    static func keep(_ state: inout AppState, column c: CompareColumn, message: String) {
        state.systemPrompt.appliedText = c.promptText
        state.systemPrompt.appliedName = c.promptName
        state.systemPrompt.editor.setText(c.promptText)
        state.messages.append(ChatMessageView(role: .user, content: message))
        var reply = ChatMessageView(role: .assistant, content: c.reply, status: .complete, systemPromptLabel: c.promptName ?? Reducer.promptLabel(state))
        reply.detail = "\(c.tokens) tok · \((c.tokensPerSecond * 10).rounded() / 10) tok/s"
        state.messages.append(reply)
        state.input.clear()
        state.scrollOffset = 0
        state.notice = Notice(text: "Kept the reply of \(c.label) as this conversation's next turn", isError: false)
    }

    // MARK: news from the app loop

    static func reduce(_ state: inout AppState, _ action: CompareAction) -> [Effect] {
        guard var view = state.compare else { return [] }
        switch action {
        case .started(let i):
            guard view.columns.indices.contains(i) else { return [] }
            view.columns[i].status = .running
            view.columns[i].reply = ""
            state.generation = .generating(tokens: 0, tokensPerSecond: 0)
        case .delta(let i, let text):
            guard view.columns.indices.contains(i) else { return [] }
            view.columns[i].reply += text
        case .finished(let i, let stats):
            guard view.columns.indices.contains(i) else { return [] }
            view.columns[i].status = .done
            view.columns[i].tokens = stats.tokens
            view.columns[i].tokensPerSecond = stats.tokensPerSecond
            state.lastStats = stats
            if !view.isBusy { state.generation = .idle }
        case .failed(let i, let message):
            guard view.columns.indices.contains(i) else { return [] }
            view.columns[i].status = .failed(message)
            // Columns still waiting will not run after a failure or a stop.
            for j in view.columns.indices where view.columns[j].status == .waiting { view.columns[j].status = .failed("not run") }
            state.generation = .idle
        }
        state.compare = view
        return []
    }

    static func hints(_ view: CompareViewState) -> [(String, String)] {
        switch view.stage {
        case .pick:
            var h = [("↑↓", "move"), ("Space", "choose 2-4"), ("Enter", "next")]
            if !view.history.isEmpty { h.append(("h", view.withHistory ? "message alone" : "continue conversation")) }
            return h + [("Esc", "close")]
        case .message: return [("type", "message"), ("Enter", "run"), ("Alt-Enter", "newline"), ("Esc", "back")]
        case .columns:
            if view.isBusy { return [("←→", "column"), ("Esc", "stop")] }
            return [("←→", "column"), ("k/Enter", "keep"), ("r", "regenerate"), ("d", "diff"), ("n", "new message"), ("Esc", "close")]
        case .diff: return [("↑↓", "scroll"), ("←→", "other columns"), ("Esc", "back")]
        }
    }
}
