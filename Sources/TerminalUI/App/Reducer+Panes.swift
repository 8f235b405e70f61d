/// Keys of each pane.
extension Reducer {
    static func chatKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        switch (key.key, key.modifiers) {
        case (.escape, []):
            if state.editingLast {
                state.editingLast = false
                state.input.clear()
                state.notice = Notice(text: "Edit cancelled", isError: false)
            } else if state.scrollOffset > 0 {
                state.scrollOffset = 0
            }
            return []
        case (.end, []) where state.input.isEmpty:
            state.scrollOffset = 0
            return []
        case (.char("r"), .ctrl):
            return regenerate(&state)
        case (.function(4), _):
            // The open conversation beside its original, when it is a variant.
            guard let id = state.conversationID, let item = state.conversations.items.first(where: { $0.id == id }),
                  item.parentId != nil else {
                state.notice = Notice(text: "This conversation is not a variant (F4 in the conversations pane picks one)", isError: true)
                return []
            }
            return [.openSideBySide(variant: id)]
        case (.char("e"), .ctrl):
            return editLast(&state)
        case (.char("f"), .ctrl):
            guard !state.messages.isEmpty else {
                state.notice = Notice(text: "Nothing to fork yet", isError: true)
                return []
            }
            guard !state.generation.isBusy else { return busy(&state) }
            state.notice = Notice(text: "Forked: change the system prompt (Tab) and continue", isError: false)
            return [.fork(atMessage: state.messages.count - 1)]
        case (.char("y"), .ctrl):
            guard let reply = state.messages.last(where: { $0.role == .assistant && !$0.content.isEmpty }) else {
                state.notice = Notice(text: "No reply to copy yet", isError: true)
                return []
            }
            state.notice = Notice(text: "Copied the last reply (\(reply.content.count) characters) to the clipboard", isError: false)
            return [.copyToClipboard(reply.content)]
        default:
            break
        }
        switch state.input.handle(key) {
        case .submit(let text):
            return submit(&state, text)
        case .handled, .ignored:
            return []
        }
    }

    static func busy(_ state: inout AppState) -> [Effect] {
        state.notice = Notice(text: "A reply is being written: wait for it or press Esc to stop it", isError: true)
        return []
    }

    static func submit(_ state: inout AppState, _ text: String) -> [Effect] {
        guard !text.trimmed.isEmpty else { return [] }
        guard !state.generation.isBusy else { return busy(&state) }
        if case .loading = state.generation {
            state.notice = Notice(text: "The model is still loading", isError: true)
            return []
        }
        let wasEditing = state.editingLast
        if wasEditing, let i = state.messages.lastIndex(where: { $0.role == .user }) {
            state.messages.removeSubrange(i...)
        }
        state.messages.append(ChatMessageView(role: .user, content: text))
        state.messages.append(ChatMessageView(role: .assistant, content: "", status: .streaming, systemPromptLabel: promptLabel(state)))
        state.input.remember(text)
        state.input.clear()
        state.editingLast = false
        state.scrollOffset = 0
        state.generation = .generating(tokens: 0, tokensPerSecond: 0)
        return [wasEditing ? .editAndResend(text) : .send(text)]
    }

    static func regenerate(_ state: inout AppState) -> [Effect] {
        guard !state.generation.isBusy else { return busy(&state) }
        guard let last = state.messages.last, last.role == .assistant,
              state.messages.contains(where: { $0.role == .user }) else {
            state.notice = Notice(text: "No reply to regenerate", isError: true)
            return []
        }
        state.messages[state.messages.count - 1] = ChatMessageView(role: .assistant, content: "", status: .streaming,
                                                                    systemPromptLabel: promptLabel(state))
        state.scrollOffset = 0
        state.generation = .generating(tokens: 0, tokensPerSecond: 0)
        return [.regenerate]
    }

    static func editLast(_ state: inout AppState) -> [Effect] {
        guard !state.generation.isBusy else { return busy(&state) }
        guard let last = state.messages.last(where: { $0.role == .user }) else {
            state.notice = Notice(text: "No message to edit yet", isError: true)
            return []
        }
        state.input.setText(last.content)
        state.editingLast = true
        state.notice = Notice(text: "Editing your last message: Enter resends, Esc cancels", isError: false)
        return []
    }

    static func systemPromptKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        switch (key.key, key.modifiers) {
        case (.char("s"), .ctrl):
            let text = state.systemPrompt.editor.text
            let name = state.systemPrompt.library.first(where: { $0.text == text })?.name
            state.systemPrompt.appliedText = text
            state.systemPrompt.appliedName = name
            state.notice = Notice(text: "System prompt applied: it takes effect from the next turn", isError: false)
            return [.applySystemPrompt(text: text, name: name)]
        case (.char("o"), .ctrl):
            state.overlay = .promptPicker(selected: 0, filter: "")
            return []
        case (.char("t"), .ctrl):
            var editor = TextEditor(enterSubmits: true)
            editor.setText(state.systemPrompt.appliedName ?? "")
            state.overlay = .input(title: "Save system prompt as", editor: editor, purpose: .saveSystemPromptAs, error: nil)
            return []
        case (.char("g"), .ctrl):
            state.systemPrompt.editor.setText(state.systemPrompt.appliedText)
            state.notice = Notice(text: "Reverted to the applied system prompt", isError: false)
            return []
        case (.escape, []):
            return []
        default:
            _ = state.systemPrompt.editor.handle(key)
            return []
        }
    }

    static func optionsKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        if key == .ctrl("r") {
            state.options.reset()
            state.notice = Notice(text: "Options reset to their defaults", isError: false)
            return [.saveOptions(state.options.generationValues)]
        }
        switch state.options.handle(key) {
        case .changed:
            if state.options.selectedField?.id == OptionField.themeID, let name = state.options.values[OptionField.themeID] {
                return [.setTheme(name)]
            }
            return [.saveOptions(state.options.generationValues)]
        case .handled, .ignored: return []
        }
    }

    static func conversationsKey(_ state: inout AppState, _ key: KeyEvent) -> [Effect] {
        let visible = state.conversations.rows
        let row = state.conversations.selectedRow
        let selected = row?.item
        switch (key.key, key.modifiers) {
        case (.up, []):
            state.conversations.selected = max(0, state.conversations.selected - 1)
            return []
        case (.down, []):
            state.conversations.selected = min(max(0, visible.count - 1), state.conversations.selected + 1)
            return []
        case (.home, []):
            state.conversations.selected = 0
            return []
        case (.end, []):
            state.conversations.selected = max(0, visible.count - 1)
            return []
        case (.enter, []):
            guard let item = selected else { return [] }
            guard !state.generation.isBusy else { return busy(&state) }
            setFocus(&state, .chat)
            return [.loadConversation(item.id)]
        case (.char("r"), .ctrl), (.function(2), .shift):
            guard let item = selected else { return [] }
            var editor = TextEditor(enterSubmits: true)
            editor.setText(item.title)
            state.overlay = .input(title: "Rename conversation", editor: editor, purpose: .renameConversation(item.id), error: nil)
            return []
        case (.delete, []), (.char("d"), .ctrl):
            guard let item = selected else { return [] }
            state.overlay = .confirm(title: "Delete conversation",
                                     message: "Delete \"\(CharWidth.truncate(item.title, to: 40))\" and all its messages?",
                                     action: .deleteConversation(item.id))
            return []
        case (.left, []) where state.conversations.filter.isEmpty:
            guard let item = selected else { return [] }
            collapseGroup(&state, of: item.id)
            return []
        case (.right, []) where state.conversations.filter.isEmpty:
            guard let row, row.isCollapsed else { return [] }
            state.conversations.collapsed.remove(row.item.id)
            return []
        case (.function(5), _):
            guard let item = selected else { return [] }
            guard !state.generation.isBusy else { return busy(&state) }
            if case .loading = state.generation {
                state.notice = Notice(text: "The model is still loading", isError: true)
                return []
            }
            state.replayTarget = item.id
            state.overlay = .promptPicker(selected: 0, filter: "")
            return []
        case (.function(4), _):
            guard let item = selected else { return [] }
            guard item.parentId != nil else {
                state.notice = Notice(text: "Not a variant: choose a replay, compare column or fork (↳) to see it beside its original", isError: true)
                return []
            }
            return [.openSideBySide(variant: item.id)]
        case (.escape, []):
            guard !state.conversations.filter.isEmpty else { return [] }
            state.conversations.filter.clear()
            state.conversations.selected = 0
            return [.search("")]
        default:
            let before = state.conversations.filter.text
            switch key.key {
            case .enter, .up, .down: return []
            default: break
            }
            _ = state.conversations.filter.handle(key)
            let after = state.conversations.filter.text
            if after != before {
                state.conversations.selected = 0
                return [.search(after.trimmed)]
            }
            return []
        }
    }

    /// Hides the variants of `id`'s group (its top-level original) and selects the original.
    static func collapseGroup(_ state: inout AppState, of id: Int64) {
        let pane = state.conversations
        let root = ConversationGrouping.root(of: id, in: pane.visible)
        guard pane.visible.contains(where: { $0.parentId == root }) else { return }
        state.conversations.collapsed.insert(root)
        if let i = state.conversations.rows.firstIndex(where: { $0.item.id == root }) { state.conversations.selected = i }
    }
}
