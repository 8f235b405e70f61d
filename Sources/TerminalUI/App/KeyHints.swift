/// The keys of each pane: short hints for the hint bar and the full list for the help overlay.
public enum KeyHints {
    /// Hints for the hint bar: (key, what it does), most important first.
    public static func hints(for state: AppState) -> [(String, String)] {
        if let overlay = state.overlay {
            switch overlay {
            case .help: return [("↑↓", "scroll"), ("any key", "close")]
            case .inspector: return [("↑↓ PgUp PgDn", "scroll"), ("Esc", "close")]
            case .confirm: return [("y", "yes"), ("n/Esc", "no")]
            case .input: return [("Enter", "OK"), ("Esc", "cancel")]
            case .promptPicker: return [("type", "filter"), ("↑↓", "select"), ("Enter", state.replayTarget == nil ? "load" : "replay"), ("Esc", "cancel")]
            }
        }
        if state.sideBySide != nil { return SideBySideReducer.hints }
        if let compare = state.compare { return CompareReducer.hints(compare) }
        var h: [(String, String)]
        switch state.focus {
        case .chat:
            if state.generation.isBusy {
                h = [("Esc", "stop"), ("PgUp/PgDn", "scroll"), ("Tab", "pane")]
            } else if state.editingLast {
                h = [("Enter", "resend"), ("Esc", "cancel edit"), ("Alt-Enter", "newline")]
            } else {
                h = [("Enter", "send"), ("Alt-Enter", "newline"), ("^R", "regenerate"), ("^E", "edit last"),
                     ("^F", "fork"), ("^Y", "copy reply"), ("F2", "prompt"), ("PgUp", "scroll"), ("Tab", "pane")]
            }
        case .systemPrompt:
            h = [("^S", "apply"), ("^O", "library"), ("^T", "save as"), ("^G", "revert"), ("F2", "prompt"), ("Tab", "pane")]
        case .options:
            h = [("↑↓", "field"), ("type", "edit"), ("←→", "choose"), ("^R", "defaults"), ("Tab", "pane")]
        case .conversations:
            h = [("type", "search"), ("↑↓", "select"), ("Enter", "open"), ("F4", "beside original"), ("F5", "replay"), ("←→", "fold variants"),
                 ("^R", "rename"), ("Del", "delete"), ("^N", "new"), ("Tab", "pane")]
        }
        return h + [("F1", "help"), ("^Q", "quit")]
    }

    /// Every key, by section, for the help overlay.
    public static let help: [(String, [(String, String)])] = [
        ("Everywhere", [
            ("Tab / Shift-Tab", "next / previous pane"), ("Alt-1 … Alt-4", "chat, system prompt, options, conversations"),
            ("Ctrl-N", "new conversation"), ("Esc", "stop the reply being written"), ("F2 / Ctrl-P", "prompt inspector"),
            ("PgUp / PgDn / wheel", "scroll the conversation"),
            ("F3", "compare system prompts side by side"), ("Ctrl-End", "follow new text"),
            ("F1", "this help"), ("Ctrl-Q", "quit (asks while a reply is written)"),
        ]),
        ("Chat input", [
            ("Enter", "send"), ("Alt-Enter / Ctrl-J", "new line"), ("↑ / ↓", "history of sent messages"),
            ("Ctrl-← / Ctrl-→, Alt-B / Alt-F", "word left / right"), ("Home / End, Ctrl-A / Ctrl-E", "line start / end"),
            ("Ctrl-W / Ctrl-U / Ctrl-K", "delete word / to start / to end"), ("End (empty input)", "follow new text"),
            ("Ctrl-R", "regenerate the last reply"), ("Ctrl-E", "edit the last message and resend"),
            ("Ctrl-F", "fork the conversation here"), ("Ctrl-Y", "copy the last reply (OSC 52)"),
            ("F4", "a variant beside its original, turn by turn"),
        ]),
        ("System prompt", [
            ("Ctrl-S", "apply to this conversation (from the next turn)"), ("Ctrl-O", "pick from the library"),
            ("Ctrl-T", "save as a named prompt"), ("Ctrl-G", "revert to the applied prompt"), ("Enter", "new line"),
        ]),
        ("Options", [
            ("↑ / ↓", "move between fields"), ("type / Backspace", "edit (checked as you type)"),
            ("← / → / Space", "change a choice"), ("Ctrl-R", "reset to defaults"),
        ]),
        ("Conversations", [
            ("type", "search (full text)"), ("↑ / ↓", "select"), ("Enter", "open"), ("Ctrl-R", "rename"),
            ("Delete / Ctrl-D", "delete (asks first)"), ("Esc", "clear the search"),
            ("↳ rows", "variants (replays, compare columns, forks) under their original"),
            ("← / → (empty search)", "hide / show a conversation's variants"),
            ("F4", "the selected variant beside its original, turn by turn"),
            ("F5", "replay every turn under another system prompt (a new ↳ variant; Esc stops)"),
        ]),
        ("Compare (F3)", [
            ("Space / Enter", "choose 2-4 system prompts / type the message"),
            ("h (choosing)", "continue the open conversation (its next reply) or answer the message alone"),
            ("← / →", "column"), ("k / Enter", "keep the column as the conversation's next turn"),
            ("r / d / n", "regenerate the column / word diff of two columns / new message"), ("Esc", "stop / back / close"),
        ]),
        ("Side by side (F4)", [
            ("↑ / ↓, PgUp / PgDn, Home / End", "scroll"), ("d", "word diff on / off (removed left, added right)"),
            ("Enter / o", "open the variant / the original"), ("Esc", "close"),
        ]),
    ]
}
