/// The pure state machine of the UI: `reduce(&state, action)` changes the state and returns the
/// effects the app loop must run. No I/O happens here.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .input(let event):
        return Reducer.input(&state, event)
    case .resize(let w, let h):
        state.width = max(0, w)
        state.height = max(0, h)
        Reducer.clampScroll(&state)
        return []
    case .modelInfo(let name, let format):
        state.modelName = name
        state.promptFormat = format
        return []
    case .modelLoading(let text):
        if let text { state.generation = .loading(text) } else if case .loading = state.generation { state.generation = .idle }
        return []
    case .replyDelta(let text):
        Reducer.appendReply(&state, text)
        return []
    case .generationProgress(let tokens, let tps):
        if case .stopping = state.generation { return [] }
        state.generation = .generating(tokens: tokens, tokensPerSecond: tps)
        return []
    case .replyFinished(let stats):
        let stopped = state.generation == .stopping
        if let i = state.messages.lastIndex(where: { $0.role == .assistant }), state.messages[i].status == .streaming {
            state.messages[i].status = stopped ? .stopped : .complete
            state.messages[i].detail = Reducer.statsText(stats)
        }
        state.lastStats = stats
        state.generation = .idle
        return []
    case .replyFailed(let why):
        if let i = state.messages.lastIndex(where: { $0.role == .assistant }), state.messages[i].status == .streaming {
            state.messages[i].status = .failed(why)
        } else {
            state.notice = Notice(text: why, isError: true)
        }
        state.generation = .idle
        return []
    case .contextUsage(let usage, let outside):
        state.context = usage
        for i in state.messages.indices { state.messages[i].outsideContext = outside.contains(i) }
        return []
    case .conversationLoaded(let snap):
        state.conversationID = snap.id
        state.conversationTitle = snap.title
        state.messages = snap.messages
        state.systemPrompt.appliedText = snap.systemPrompt
        state.systemPrompt.appliedName = snap.systemPromptName
        state.systemPrompt.editor.setText(snap.systemPrompt)
        state.options.reset()
        state.options.setValues(snap.options.filter { $0.key != OptionField.themeID })
        state.scrollOffset = 0
        state.editingLast = false
        if let id = snap.id {
            // A conversation opened inside a folded group unfolds it, so the selection can show it.
            if !state.conversations.rows.contains(where: { $0.item.id == id }) {
                state.conversations.collapsed.remove(ConversationGrouping.root(of: id, in: state.conversations.visible))
            }
            if let i = state.conversations.rows.firstIndex(where: { $0.item.id == id }) { state.conversations.selected = i }
        }
        return []
    case .conversationInfo(let id, let title):
        state.conversationID = id
        state.conversationTitle = title
        return []
    case .conversationsListed(let items, let query):
        state.conversations.items = items
        state.conversations.itemsQuery = query
        let count = state.conversations.rows.count
        state.conversations.selected = min(state.conversations.selected, max(0, count - 1))
        return []
    case .promptLibrary(let items):
        state.systemPrompt.library = items
        return []
    case .promptInspection(let inspection):
        state.inspection = inspection
        return []
    case .notice(let text, let isError):
        state.notice = Notice(text: text, isError: isError)
        return []
    case .compare(let news):
        return CompareReducer.reduce(&state, news)
    case .sideBySideLoaded(let original, let variant):
        state.compare = nil
        state.sideBySide = SideBySideState(original: original, variant: variant)
        return []
    }
}

/// The reducer's helpers, by concern.
enum Reducer {
    static func statsText(_ s: ReplyStats) -> String {
        let tps = (s.tokensPerSecond * 10).rounded() / 10
        return "\(s.tokens) tok · \(tps) tok/s"
    }

    static func appendReply(_ state: inout AppState, _ text: String) {
        let before = state.scrollOffset > 0 ? lineCount(state) : 0
        if let last = state.messages.last, last.role == .assistant, last.status == .streaming {
            state.messages[state.messages.count - 1].content += text
        } else {
            state.messages.append(ChatMessageView(role: .assistant, content: text, status: .streaming,
                                                  systemPromptLabel: promptLabel(state)))
        }
        if case .idle = state.generation { state.generation = .generating(tokens: 0, tokensPerSecond: 0) }
        // Keep a scrolled-back view still while text arrives below it.
        if state.scrollOffset > 0 { state.scrollOffset += lineCount(state) - before }
    }

    static func promptLabel(_ state: AppState) -> String? {
        if let n = state.systemPrompt.appliedName { return n }
        let t = state.systemPrompt.appliedText.trimmed
        if t.isEmpty { return nil }
        let first = t.split(separator: "\n").first.map(String.init) ?? t
        return CharWidth.truncate(first, to: 24)
    }

    /// Lines the conversation takes at the current size.
    static func lineCount(_ state: AppState) -> Int {
        ConversationView.layout(state.messages, width: Layout(state).messagesArea.width, theme: .dark).count
    }

    static func pageHeight(_ state: AppState) -> Int { max(1, Layout(state).messagesArea.height - 1) }

    static func clampScroll(_ state: inout AppState) {
        guard state.scrollOffset > 0 else { return }
        let maxOffset = max(0, lineCount(state) - Layout(state).messagesArea.height)
        state.scrollOffset = min(state.scrollOffset, maxOffset)
    }

    static func scroll(_ state: inout AppState, by lines: Int) {
        state.scrollOffset = max(0, state.scrollOffset + lines)
        clampScroll(&state)
    }

    // MARK: input

    static func input(_ state: inout AppState, _ event: InputEvent) -> [Effect] {
        switch event {
        case .resize(let w, let h):
            return reduce(&state, .resize(width: w, height: h))
        case .mouse(let m):
            if state.overlay != nil {
                if case .inspector(let s) = state.overlay {
                    if case .wheelUp = m { state.overlay = .inspector(scroll: max(0, s - 3)) }
                    if case .wheelDown = m { state.overlay = .inspector(scroll: s + 3) }
                }
                return []
            }
            if var sbs = state.sideBySide {
                if case .wheelUp = m { sbs.scroll = max(0, sbs.scroll - 3) }
                if case .wheelDown = m {
                    let total = SideBySideLayout.lines(sbs, width: SideBySideView.bodyWidth(state), theme: .dark).count
                    sbs.scroll = min(sbs.scroll + 3, max(0, total - SideBySideView.bodyHeight(state)))
                }
                state.sideBySide = sbs
                return []
            }
            switch m {
            case .wheelUp: scroll(&state, by: 3)
            case .wheelDown: scroll(&state, by: -3)
            case .click(let x, let y): focusByClick(&state, x: x, y: y)
            }
            return []
        case .paste(let text):
            state.notice = nil
            if state.overlay != nil { return overlayPaste(&state, text) }
            switch state.focus {
            case .chat: state.input.insert(text)
            case .systemPrompt: state.systemPrompt.editor.insert(text)
            case .conversations:
                state.conversations.filter.insert(text.replacingNewlines())
                return [.search(state.conversations.filter.text.trimmed)]
            case .options: break
            }
            return []
        case .key(let key):
            state.notice = nil
            if state.overlay != nil { return overlayKey(&state, key) }
            if state.sideBySide != nil {
                if [KeyEvent.ctrl("q"), .ctrl("c"), KeyEvent(.function(1))].contains(key) { return globalKey(&state, key) ?? [] }
                return SideBySideReducer.key(&state, key)
            }
            if state.compare != nil {
                if [KeyEvent.ctrl("q"), .ctrl("c"), KeyEvent(.function(1))].contains(key) { return globalKey(&state, key) ?? [] }
                if key == KeyEvent(.escape), state.generation.isBusy, state.compare?.isBusy == true {
                    if case .generating = state.generation { state.generation = .stopping }
                    return [.stopGeneration]
                }
                return CompareReducer.key(&state, key)
            }
            if key == KeyEvent(.function(3)) { return CompareReducer.open(&state) }
            if let effects = globalKey(&state, key) { return effects }
            switch state.focus {
            case .chat: return chatKey(&state, key)
            case .systemPrompt: return systemPromptKey(&state, key)
            case .options: return optionsKey(&state, key)
            case .conversations: return conversationsKey(&state, key)
            }
        }
    }

    static func focusByClick(_ state: inout AppState, x: Int, y: Int) {
        let layout = Layout(state)
        func inside(_ r: Rect?) -> Bool { r.map { x >= $0.x && x < $0.maxX && y >= $0.y && y < $0.maxY } ?? false }
        if inside(layout.sidebar) { setFocus(&state, .conversations) } else if inside(layout.inputBox) { setFocus(&state, .chat) } else if inside(layout.mainBox) { setFocus(&state, layout.mainContent) }
    }

    static func setFocus(_ state: inout AppState, _ pane: Pane) {
        state.focus = pane
        if pane != .conversations { state.mainPane = pane }
    }

    /// Keys that work in every pane; nil when the key is not one of them.
    static func globalKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect]? {
        switch (key.key, key.modifiers) {
        case (.char("q"), .ctrl), (.char("c"), .ctrl):
            if state.generation.isBusy {
                state.overlay = .confirm(title: "Quit", message: "A reply is still being written. Quit anyway?", action: .quit)
                return []
            }
            state.running = false
            return [.quit]
        case (.function(1), _):
            state.overlay = .help(scroll: 0)
            return []
        case (.function(2), _), (.char("p"), .ctrl):
            state.overlay = .inspector(scroll: 0)
            state.inspection = nil
            return [.inspectPrompt(nextMessage: state.input.text)]
        case (.char("n"), .ctrl):
            if state.generation.isBusy {
                state.notice = Notice(text: "A reply is being written: press Esc to stop it first", isError: true)
                return []
            }
            newConversation(&state)
            return [.newConversation]
        case (.tab, []):
            cycleFocus(&state, 1)
            return []
        case (.backTab, _), (.tab, .shift):
            cycleFocus(&state, -1)
            return []
        case (.char(let c), .alt) where ("1"..."4").contains(c):
            let index = Int(String(c)).map { $0 - 1 } ?? 0
            setFocus(&state, Pane.allCases[index])
            return []
        case (.escape, []) where state.generation.isBusy:
            if case .generating = state.generation { state.generation = .stopping }
            return [.stopGeneration]
        case (.pageUp, _):
            scroll(&state, by: pageHeight(state))
            return []
        case (.pageDown, _):
            scroll(&state, by: -pageHeight(state))
            return []
        case (.end, .ctrl):
            state.scrollOffset = 0
            return []
        default:
            return nil
        }
    }

    static func cycleFocus(_ state: inout AppState, _ delta: Int) {
        let all = Pane.allCases
        let i = all.firstIndex(of: state.focus) ?? 0
        setFocus(&state, all[(i + delta + all.count) % all.count])
    }

    static func newConversation(_ state: inout AppState) {
        state.conversationID = nil
        state.conversationTitle = "New conversation"
        state.messages = []
        state.scrollOffset = 0
        state.editingLast = false
        state.context = nil
        state.input.clear()
        setFocus(&state, .chat)
    }
}

extension String {
    func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}
