/// A multi-line text editor's model: lines of characters, a cursor, and (optionally) a history
/// of submitted texts reached with Up/Down.
public struct TextEditor: Hashable, Sendable {
    /// What a key did.
    public enum Outcome: Equatable, Sendable {
        case handled
        /// Enter in an editor that submits: the text to send (the editor is not cleared).
        case submit(String)
        /// The key means nothing to the editor.
        case ignored
    }

    public private(set) var lines: [[Character]] = [[]]
    public private(set) var row = 0
    public private(set) var col = 0
    /// Whether plain Enter submits (else it inserts a newline).
    public var enterSubmits: Bool
    /// Whether Up on the first line / Down on the last line walks the history.
    public var historyEnabled: Bool
    public private(set) var history: [String] = []
    private var historyIndex: Int?
    private var stash = ""

    public init(text: String = "", enterSubmits: Bool = false, historyEnabled: Bool = false) {
        self.enterSubmits = enterSubmits
        self.historyEnabled = historyEnabled
        setText(text)
    }

    /// The whole text, lines joined by newlines.
    public var text: String { lines.map { String($0) }.joined(separator: "\n") }
    public var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }
    /// Total characters including newlines.
    public var characterCount: Int { lines.reduce(lines.count - 1) { $0 + $1.count } }

    /// Replaces the text; the cursor goes to the end.
    public mutating func setText(_ text: String) {
        lines = [[]]
        row = 0
        col = 0
        insert(text)
    }

    /// Empties the editor (the history stays).
    public mutating func clear() {
        lines = [[]]; row = 0; col = 0; historyIndex = nil
    }

    /// Remembers `text` as the newest history entry (skipping an immediate repeat).
    public mutating func remember(_ text: String) {
        guard !text.trimmed.isEmpty else { return }
        if history.last != text { history.append(text) }
        historyIndex = nil
    }

    /// Inserts `text` at the cursor (newlines split lines; tabs and `\r\n` are normalised). The cost
    /// is linear in the inserted text plus the current line, so large pastes are fast.
    public mutating func insert(_ text: String) {
        guard !text.isEmpty else { return }
        var pieces: [[Character]] = [[]]
        var lastWasCR = false
        for c in text {
            switch c {
            case "\r\n", "\n":
                pieces.append([])
                lastWasCR = false
            case "\r":
                pieces.append([]); lastWasCR = true
            case "\t":
                pieces[pieces.count - 1].append(contentsOf: "    "); lastWasCR = false
            default:
                if let f = c.unicodeScalars.first, f.value < 0x20 || f.value == 0x7F { continue }
                _ = lastWasCR
                pieces[pieces.count - 1].append(c)
            }
        }
        let tail = Array(lines[row][col...])
        lines[row].removeSubrange(col...)
        lines[row].append(contentsOf: pieces[0])
        if pieces.count == 1 {
            col = lines[row].count
            lines[row].append(contentsOf: tail)
            return
        }
        var newLines = Array(pieces[1...])
        let lastCount = newLines[newLines.count - 1].count
        newLines[newLines.count - 1].append(contentsOf: tail)
        lines.insert(contentsOf: newLines, at: row + 1)
        row += newLines.count
        col = lastCount
    }

    /// Handles one key press.
    public mutating func handle(_ event: KeyEvent) -> Outcome {
        let ctrl = event.modifiers.contains(.ctrl), alt = event.modifiers.contains(.alt)
        if let c = event.typedCharacter {
            insert(String(c))
            return .handled
        }
        switch (event.key, ctrl, alt) {
        case (.enter, false, false):
            if enterSubmits { return .submit(text) }
            insert("\n")
        case (.enter, _, true), (.char("j"), true, false):
            insert("\n")
        case (.backspace, _, false), (.char("h"), true, false): backspace()
        case (.backspace, _, true), (.char("w"), true, false): deleteWordBackward()
        case (.delete, _, _), (.char("d"), true, false): deleteForward()
        case (.left, false, false), (.char("b"), true, false): moveLeft()
        case (.right, false, false), (.char("f"), true, false): moveRight()
        case (.left, true, _), (.left, _, true), (.char("b"), false, true): wordLeft()
        case (.right, true, _), (.right, _, true), (.char("f"), false, true): wordRight()
        case (.home, false, _), (.char("a"), true, false): col = 0
        case (.end, false, _), (.char("e"), true, false): col = lines[row].count
        case (.home, true, _): row = 0; col = 0
        case (.end, true, _): row = lines.count - 1; col = lines[row].count
        case (.char("u"), true, false): lines[row].removeSubrange(0..<col); col = 0
        case (.char("k"), true, false):
            if col < lines[row].count { lines[row].removeSubrange(col...) } else { deleteForward() }
        case (.up, false, false):
            if row > 0 { row -= 1; col = min(col, lines[row].count) } else if historyEnabled { return historyBack() ? .handled : .ignored } else { col = 0 }
        case (.down, false, false):
            if row < lines.count - 1 { row += 1; col = min(col, lines[row].count) } else if historyEnabled { return historyForward() ? .handled : .ignored } else { col = lines[row].count }
        default:
            return .ignored
        }
        return .handled
    }

    mutating func backspace() {
        if col > 0 {
            lines[row].remove(at: col - 1); col -= 1
        } else if row > 0 {
            let line = lines.remove(at: row)
            row -= 1
            col = lines[row].count
            lines[row].append(contentsOf: line)
        }
    }

    mutating func deleteForward() {
        if col < lines[row].count {
            lines[row].remove(at: col)
        } else if row < lines.count - 1 {
            let next = lines.remove(at: row + 1)
            lines[row].append(contentsOf: next)
        }
    }

    mutating func moveLeft() {
        if col > 0 { col -= 1 } else if row > 0 { row -= 1; col = lines[row].count }
    }

    mutating func moveRight() {
        if col < lines[row].count { col += 1 } else if row < lines.count - 1 { row += 1; col = 0 }
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    mutating func wordLeft() {
        if col == 0 { moveLeft(); return }
        let line = lines[row]
        while col > 0, !TextEditor.isWordChar(line[col - 1]) { col -= 1 }
        while col > 0, TextEditor.isWordChar(line[col - 1]) { col -= 1 }
    }

    mutating func wordRight() {
        let line = lines[row]
        if col == line.count { moveRight(); return }
        while col < line.count, !TextEditor.isWordChar(line[col]) { col += 1 }
        while col < line.count, TextEditor.isWordChar(line[col]) { col += 1 }
    }

    mutating func deleteWordBackward() {
        let end = col
        if end == 0 { backspace(); return }
        wordLeft()
        lines[row].removeSubrange(col..<end)
    }

    mutating func historyBack() -> Bool {
        guard !history.isEmpty else { return false }
        let index: Int
        if let i = historyIndex { guard i > 0 else { return false }; index = i - 1 } else { stash = text; index = history.count - 1 }
        historyIndex = index
        let keep = historyIndex
        setText(history[index])
        historyIndex = keep
        return true
    }

    mutating func historyForward() -> Bool {
        guard let i = historyIndex else { return false }
        if i + 1 < history.count {
            setText(history[i + 1])
            historyIndex = i + 1
        } else {
            setText(stash)
            historyIndex = nil
        }
        return true
    }
}
