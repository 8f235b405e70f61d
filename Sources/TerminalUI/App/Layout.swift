/// Where each part of the screen goes for a state: a pure function of the size and the panes.
public struct Layout: Equatable, Sendable {
    /// The smallest terminal the UI draws into; below it shows "terminal too small".
    public static let minWidth = 44
    public static let minHeight = 12

    public var tooSmall: Bool
    public var titleBar: Rect
    public var hintBar: Rect
    /// The conversations list box, when there is room beside the main area.
    public var sidebar: Rect?
    /// The main area's box (chat messages, system prompt editor, options form or, on narrow
    /// terminals, the conversations list).
    public var mainBox: Rect
    /// The input editor's box (only when the main area shows the chat).
    public var inputBox: Rect?
    /// What the main area shows.
    public var mainContent: Pane

    public init(_ state: AppState) {
        let w = state.width, h = state.height
        tooSmall = w < Layout.minWidth || h < Layout.minHeight
        titleBar = Rect(x: 0, y: 0, width: w, height: 1)
        hintBar = Rect(x: 0, y: max(0, h - 1), width: w, height: 1)
        let body = Rect(x: 0, y: 1, width: w, height: max(0, h - 2))
        var main = body
        if w >= 72 {
            let side = min(36, max(24, w / 4))
            let (s, m) = body.splitLeft(side)
            sidebar = s
            main = m
            mainContent = state.mainPane
        } else {
            sidebar = nil
            mainContent = state.focus == .conversations ? .conversations : state.mainPane
        }
        if mainContent == .chat {
            let innerWidth = max(1, main.width - 2 - 1)
            let wanted = EditorView.height(of: state.input, width: innerWidth) + 2
            let inputHeight = min(max(3, wanted), max(3, main.height / 3))
            let (rest, bottom) = main.splitBottom(inputHeight)
            mainBox = rest
            inputBox = bottom
        } else {
            mainBox = main
            inputBox = nil
        }
    }

    /// The inside of the messages box: where conversation lines are drawn.
    public var messagesArea: Rect {
        let inner = mainBox.inset(1)
        return Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height)
    }
}
