/// What the app loop must do in the world after a state change. The reducer never does I/O; it
/// returns these, and the loop runs them against the engine, the store and the terminal.
public enum Effect: Hashable, Sendable {
    /// Save the user's message and generate a reply to it.
    case send(String)
    /// Replace the last user message (and the reply after it) with this text, then generate.
    case editAndResend(String)
    /// Drop the last reply and generate a new one for the same prompt.
    case regenerate
    /// Cancel the reply being generated (its partial text is kept).
    case stopGeneration
    /// Use this system prompt for the current conversation from its next turn on.
    case applySystemPrompt(text: String, name: String?)
    /// Save `text` in the user's prompt library as `name`.
    case saveSystemPrompt(name: String, text: String)
    /// The advanced options changed (values by field id, as validated text).
    case saveOptions([String: String])
    /// Start a new, empty conversation.
    case newConversation
    case loadConversation(Int64)
    /// Full-text search of saved conversations (empty: list them all, most recent first).
    case search(String)
    case deleteConversation(Int64)
    case renameConversation(Int64, String)
    /// Copy the conversation up to and including message `atMessage` into a new conversation.
    case fork(atMessage: Int)
    /// Put text on the terminal's clipboard (OSC 52).
    case copyToClipboard(String)
    /// Compute the prompt of the next turn (with `nextMessage`, the text in the input) and deliver
    /// it as `Action.promptInspection`.
    case inspectPrompt(nextMessage: String)
    /// Switch to the theme with this name.
    case setTheme(String)
    case quit
    /// Re-run every user turn of saved conversation `conversation` under this system prompt (its
    /// other options kept) into a new conversation linked to it; report progress as
    /// `generationProgress`, the end as `replyFinished` / `replyFailed`.
    case replay(conversation: Int64, promptName: String?, promptText: String)
    /// Load conversation `variant` and its original, for the side-by-side view
    /// (delivered as `Action.sideBySideLoaded`).
    case openSideBySide(variant: Int64)
    /// Work for the compare view (run columns, keep one as the conversation's next turn).
    case compare(CompareEffect)
}
