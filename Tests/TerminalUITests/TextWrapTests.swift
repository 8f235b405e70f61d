import Testing
@testable import TerminalUI

@Suite struct TextWrapTests {
    @Test func wrapsBetweenWords() {
        #expect(TextWrap.wrap("the quick brown fox jumps", width: 10) == ["the quick", "brown fox", "jumps"])
    }

    @Test func keepsNewlinesAndBlankLines() {
        #expect(TextWrap.wrap("a\n\nb", width: 10) == ["a", "", "b"])
    }

    @Test func breaksLongWords() {
        #expect(TextWrap.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func measuresWideCharacters() {
        // 你好 is 4 columns: two fit in 5 columns, the third goes to the next line.
        #expect(TextWrap.wrap("你好你好你好", width: 5) == ["你好", "你好", "你好"])
        #expect(TextWrap.wrap("hi 🦙 there", width: 5) == ["hi 🦙", "there"])
        for line in TextWrap.wrap("日本語のテキストと English words mixed 🦙🦙🦙 together", width: 9) {
            #expect(CharWidth.width(of: line) <= 9)
        }
    }

    @Test func expandsTabs() {
        #expect(TextWrap.wrap("a\tb", width: 20) == ["a    b"])
    }

    @Test func hardWrapKeepsSpaces() {
        #expect(TextWrap.hardWrap("  let x = 1", width: 5) == ["  let", " x = ", "1"])
    }
}
