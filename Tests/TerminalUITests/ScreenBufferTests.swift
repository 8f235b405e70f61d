import Testing
@testable import TerminalUI

@Suite struct ScreenBufferTests {
    @Test func putClipsAndReportsWidth() {
        var b = ScreenBuffer(width: 10, height: 2)
        #expect(b.put("hello world", x: 2, y: 0, style: .plain) == 8)
        #expect(b.row(0) == "  hello wo")
        #expect(b.put("x", x: 0, y: 5, style: .plain) == 0)
    }

    @Test func wideCharactersTakeTwoCells() {
        var b = ScreenBuffer(width: 6, height: 1)
        b.put("a你b", x: 0, y: 0, style: .plain)
        #expect(b.cell(1, 0)?.text == "你")
        #expect(b.cell(1, 0)?.width == 2)
        #expect(b.cell(2, 0)?.isContinuation == true)
        #expect(b.cell(3, 0)?.text == "b")
        #expect(b.row(0) == "a你b")
    }

    @Test func wideCharacterThatDoesNotFitBecomesSpace() {
        var b = ScreenBuffer(width: 3, height: 1)
        b.put("ab你", x: 0, y: 0, style: .plain)
        #expect(b.row(0) == "ab")
        #expect(b.cell(2, 0)?.width == 1)
    }

    @Test func overwritingHalfAWideCharacterRepairsTheOtherHalf() {
        var b = ScreenBuffer(width: 4, height: 1)
        b.put("你好", x: 0, y: 0, style: .plain)
        b.put("x", x: 1, y: 0, style: .plain)
        #expect(b.cell(0, 0)?.text == " ")
        #expect(b.row(0) == " x好")
        b.put("y", x: 2, y: 0, style: .plain)
        #expect(b.cell(3, 0)?.text == " ")
        #expect(b.row(0) == " xy")
    }

    @Test func controlsBecomeSpacesAndCombiningMarksAreSkipped() {
        var b = ScreenBuffer(width: 8, height: 1)
        b.put("a\tb\u{301}c", x: 0, y: 0, style: .plain)
        // The combining accent stays in the cell of its base letter.
        #expect(b.row(0) == "a b\u{301}c")
        #expect(b.cell(3, 0)?.text == "c")
    }

    @Test func boxesDrawWithTitles() {
        var b = ScreenBuffer(width: 12, height: 3)
        b.drawBox(b.bounds, style: .plain, title: [Span("Hi", .plain)])
        #expect(b.text() == "╭ Hi ──────╮\n│          │\n╰──────────╯")
    }

    @Test func osc52EncodesBase64() {
        #expect(OSC52.sequence(for: "hello") == "\u{1B}]52;c;aGVsbG8=\u{07}")
        #expect(OSC52.base64(Array("ab".utf8)) == "YWI=")
        #expect(OSC52.base64(Array("abc".utf8)) == "YWJj")
        #expect(OSC52.base64(Array("你".utf8)) == "5L2g")
    }

    @Test func inMemoryBackendCountsChangedCells() {
        let backend = InMemoryBackend(width: 10, height: 2)
        var b = ScreenBuffer(width: 10, height: 2)
        b.put("abc", x: 0, y: 0, style: .plain)
        backend.present(b)
        #expect(backend.lastChangedCells == 3)
        backend.present(b)
        #expect(backend.lastChangedCells == 0)
        #expect(backend.screenText() == "abc\n")
    }
}
