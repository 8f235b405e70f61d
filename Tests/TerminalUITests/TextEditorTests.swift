import Testing
@testable import TerminalUI

@Suite struct TextEditorTests {
    func type(_ e: inout TextEditor, _ s: String) { for c in s { _ = e.handle(.char(c)) } }

    @Test func typingAndCursorMovement() {
        var e = TextEditor()
        type(&e, "hello world")
        #expect(e.text == "hello world")
        _ = e.handle(KeyEvent(.home))
        #expect(e.col == 0)
        _ = e.handle(KeyEvent(.right))
        _ = e.handle(.char("X"))
        #expect(e.text == "hXello world")
        _ = e.handle(KeyEvent(.end))
        _ = e.handle(KeyEvent(.backspace))
        #expect(e.text == "hXello worl")
    }

    @Test func wordJumpsAndWordDelete() {
        var e = TextEditor(text: "one two  three")
        _ = e.handle(KeyEvent(.left, .ctrl))
        #expect(e.col == 9)
        _ = e.handle(KeyEvent(.left, .ctrl))
        #expect(e.col == 4)
        _ = e.handle(.alt(.char("f")))
        #expect(e.col == 7)
        _ = e.handle(KeyEvent(.end))
        _ = e.handle(.ctrl("w"))
        #expect(e.text == "one two  ")
    }

    @Test func enterSubmitsAndAltEnterOrCtrlJInsertNewlines() {
        var e = TextEditor(enterSubmits: true)
        type(&e, "a")
        _ = e.handle(.alt(.enter))
        type(&e, "b")
        _ = e.handle(.ctrl("j"))
        type(&e, "c")
        #expect(e.text == "a\nb\nc")
        #expect(e.handle(KeyEvent(.enter)) == .submit("a\nb\nc"))
        var plain = TextEditor()
        #expect(plain.handle(KeyEvent(.enter)) == .handled)
        #expect(plain.text == "\n")
    }

    @Test func upDownMoveBetweenLinesThenWalkHistory() {
        var e = TextEditor(enterSubmits: true, historyEnabled: true)
        e.remember("first")
        e.remember("second")
        type(&e, "draft")
        _ = e.handle(KeyEvent(.up))
        #expect(e.text == "second")
        _ = e.handle(KeyEvent(.up))
        #expect(e.text == "first")
        #expect(e.handle(KeyEvent(.up)) == .ignored)
        _ = e.handle(KeyEvent(.down))
        #expect(e.text == "second")
        _ = e.handle(KeyEvent(.down))
        #expect(e.text == "draft")
        e.setText("line1\nline2")
        _ = e.handle(KeyEvent(.up))
        #expect(e.text == "line1\nline2" && e.row == 0)
    }

    @Test func backspaceJoinsLinesAndDeleteJoinsForward() {
        var e = TextEditor(text: "ab\ncd")
        _ = e.handle(KeyEvent(.home))
        _ = e.handle(KeyEvent(.backspace))
        #expect(e.text == "abcd" && e.col == 2)
        _ = e.handle(KeyEvent(.end))
        _ = e.handle(KeyEvent(.delete))
        #expect(e.text == "abcd")
    }

    @Test func largePasteIsInsertedInOnePieceAtTheCursor() {
        var e = TextEditor(text: "[]")
        _ = e.handle(KeyEvent(.left))
        let line = String(repeating: "x", count: 99)
        let big = Array(repeating: line, count: 5000).joined(separator: "\r\n")   // ~500 KB
        e.insert(big)
        #expect(e.lines.count == 5000)
        #expect(e.characterCount == 2 + 5000 * 99 + 4999)
        #expect(e.text.hasPrefix("[x") && e.text.hasSuffix("x]"))
        #expect(e.row == 4999 && e.col == 99)
    }

    @Test func editorViewWrapsAndPlacesTheCursor() {
        var b = ScreenBuffer(width: 10, height: 3)
        var e = TextEditor()
        for c in "abcdefghijkl" { _ = e.handle(.char(c)) }
        EditorView.draw(e, into: &b, rect: b.bounds, style: .plain, focused: true, theme: .dark)
        // 9 columns per row (one kept for the cursor): "abcdefghi" then "jkl".
        #expect(b.row(0) == "abcdefghi")
        #expect(b.row(1) == "jkl")
        #expect(b.cursor?.x == 3 && b.cursor?.y == 1)
    }
}
