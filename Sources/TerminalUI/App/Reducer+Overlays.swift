/// Keys while an overlay (help, dialog, inspector, picker) is open.
extension Reducer {
    static func overlayKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        guard let overlay = state.overlay else { return [] }
        switch overlay {
        case .help(let scroll):
            switch key.key {
            case .up: state.overlay = .help(scroll: max(0, scroll - 1))
            case .down: state.overlay = .help(scroll: scroll + 1)
            case .pageUp: state.overlay = .help(scroll: max(0, scroll - 10))
            case .pageDown: state.overlay = .help(scroll: scroll + 10)
            default: state.overlay = nil
            }
            return []

        case .inspector(let scroll):
            switch key.key {
            case .up: state.overlay = .inspector(scroll: max(0, scroll - 1))
            case .down: state.overlay = .inspector(scroll: scroll + 1)
            case .pageUp: state.overlay = .inspector(scroll: max(0, scroll - 10))
            case .pageDown: state.overlay = .inspector(scroll: scroll + 10)
            case .home: state.overlay = .inspector(scroll: 0)
            default:
                if key == .ctrl("q") || key == .ctrl("c") { state.overlay = nil; return globalKey(&state, key) ?? [] }
                state.overlay = nil
            }
            return []

        case .confirm(_, _, let action):
            switch key.key {
            case .char("y"), .char("Y"):
                state.overlay = nil
                switch action {
                case .quit:
                    state.running = false
                    return state.generation.isBusy ? [.stopGeneration, .quit] : [.quit]
                case .deleteConversation(let id):
                    state.conversations.items.removeAll { $0.id == id }
                    state.conversations.selected = min(state.conversations.selected, max(0, state.conversations.rows.count - 1))
                    var effects: [Effect] = [.deleteConversation(id)]
                    if state.conversationID == id {
                        newConversation(&state)
                        state.focus = .conversations
                        effects.append(.newConversation)
                    }
                    return effects
                }
            case .char("n"), .char("N"), .escape:
                state.overlay = nil
            default:
                if key == .ctrl("c") || key == .ctrl("q") { state.overlay = nil }
            }
            return []

        case .input(let title, var editor, let purpose, _):
            if key.key == .escape && key.modifiers.isEmpty { state.overlay = nil; return [] }
            if case .enter = key.key {} else if key.key == .char("j") && key.modifiers == .ctrl { return [] }
            switch editor.handle(key) {
            case .submit(let text):
                let value = text.trimmed
                if value.isEmpty {
                    state.overlay = .input(title: title, editor: editor, purpose: purpose, error: "A name cannot be empty")
                    return []
                }
                state.overlay = nil
                switch purpose {
                case .renameConversation(let id):
                    if let i = state.conversations.items.firstIndex(where: { $0.id == id }) { state.conversations.items[i].title = value }
                    if state.conversationID == id { state.conversationTitle = value }
                    return [.renameConversation(id, value)]
                case .saveSystemPromptAs:
                    if value.contains("/") || value.hasPrefix(".") {
                        state.overlay = .input(title: title, editor: editor, purpose: purpose, error: "A name cannot contain / or start with .")
                        return []
                    }
                    let text = state.systemPrompt.editor.text
                    state.systemPrompt.library.removeAll { $0.name == value && $0.isUser }
                    state.systemPrompt.library.append(PromptLibraryItem(name: value, text: text, isUser: true))
                    state.notice = Notice(text: "Saved the system prompt as \"\(value)\" (Ctrl-S applies it)", isError: false)
                    return [.saveSystemPrompt(name: value, text: text)]
                }
            case .handled, .ignored:
                state.overlay = .input(title: title, editor: editor, purpose: purpose, error: nil)
                return []
            }

        case .promptPicker(let selected, let filter):
            let items = pickerItems(state, filter: filter)
            switch (key.key, key.modifiers) {
            case (.escape, _):
                state.overlay = nil
                state.replayTarget = nil
            case (.enter, _) where state.replayTarget != nil:
                state.overlay = nil
                guard let target = state.replayTarget, items.indices.contains(selected) else {
                    state.replayTarget = nil
                    return []
                }
                state.replayTarget = nil
                guard !state.generation.isBusy else { return busy(&state) }
                let p = items[selected]
                state.generation = .generating(tokens: 0, tokensPerSecond: 0)
                state.notice = Notice(text: "Replaying every turn under \"\(p.name)\" into a new conversation (Esc stops)", isError: false)
                return [.replay(conversation: target, promptName: p.name, promptText: p.text)]
            case (.up, _): state.overlay = .promptPicker(selected: max(0, selected - 1), filter: filter)
            case (.down, _): state.overlay = .promptPicker(selected: min(max(0, items.count - 1), selected + 1), filter: filter)
            case (.enter, _):
                state.overlay = nil
                if items.indices.contains(selected) {
                    state.systemPrompt.editor.setText(items[selected].text)
                    state.notice = Notice(text: "Loaded \"\(items[selected].name)\": Ctrl-S applies it", isError: false)
                }
            case (.backspace, _):
                state.overlay = .promptPicker(selected: 0, filter: String(filter.dropLast()))
            default:
                if let c = key.typedCharacter { state.overlay = .promptPicker(selected: 0, filter: filter + String(c)) }
            }
            return []
        }
    }

    /// The library items matching the picker's filter.
    static func pickerItems(_ state: AppState, filter: String) -> [PromptLibraryItem] {
        state.systemPrompt.library.filter { filter.isEmpty || ListView.matches(filter, $0.name + " " + $0.text) }
    }

    static func overlayPaste(_ state: inout AppState, _ text: String) -> [Effect] {
        switch state.overlay {
        case .input(let title, var editor, let purpose, _):
            editor.insert(text.replacingNewlines())
            state.overlay = .input(title: title, editor: editor, purpose: purpose, error: nil)
        case .promptPicker(_, let filter):
            state.overlay = .promptPicker(selected: 0, filter: filter + text.replacingNewlines())
        default: break
        }
        return []
    }
}
