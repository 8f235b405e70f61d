import Foundation
import Testing
@testable import TerminalUI

/// The side-by-side view of an original and its variant: layout (pure), keys and drawing.
@Suite struct SideBySideViewTests {
    typealias S = SampleStates

    static func side(_ id: Int64, _ title: String, _ prompt: String, _ turns: [(String, String?)]) -> SideBySideConversation {
        var messages: [ChatMessageView] = []
        for (u, r) in turns {
            messages.append(ChatMessageView(role: .user, content: u))
            if let r { messages.append(ChatMessageView(role: .assistant, content: r)) }
        }
        return SideBySideConversation(id: id, title: title, promptLabel: prompt, messages: messages)
    }

    static let sample = SideBySideState(
        original: side(1, "Capital", "concise", [
            ("What is the capital of France?", "The capital of France is Paris."),
            ("And of Japan? 🗾", "Tokyo 東京 is the capital of Japan."),
            ("Thanks", "You are welcome."),
        ]),
        variant: side(2, "Capital (replay: pirate)", "pirate", [
            ("What is the capital of France?", "Arr, the capital of France be Paris, matey!"),
            ("And of Japan? 🗾", "Tokyo 東京 be the capital, ye landlubber 🏴‍☠️."),
            ("Thanks", nil),
        ]))

    /// The display column of the separator in a line of spans (nil when it has none).
    func separatorColumn(_ spans: [Span]) -> Int? {
        var col = 0
        for s in spans {
            if s.text == SideBySideLayout.separator { return col }
            col += s.width
        }
        return nil
    }

    func text(_ spans: [Span]) -> String { spans.map(\.text).joined() }

    @Test func turnsPairUserMessagesAndReplies() {
        let turns = SideBySideLayout.turns(Self.sample)
        #expect(turns.count == 3)
        #expect(turns[0].user == "What is the capital of France?")
        #expect(turns[0].variantUser == nil)
        #expect(turns[1].variant == "Tokyo 東京 be the capital, ye landlubber 🏴‍☠️.")
        #expect(turns[2].original == "You are welcome." && turns[2].variant == nil)
        // A variant whose user message differs shows both.
        var forked = Self.sample
        forked.variant.messages[2] = ChatMessageView(role: .user, content: "And of Italy?")
        #expect(SideBySideLayout.turns(forked)[1].variantUser == "And of Italy?")
    }

    @Test func eachUserTurnOnceAndRepliesBesideEachOther() {
        let lines = SideBySideLayout.lines(Self.sample, width: 100, theme: .dark).map(text)
        #expect(lines.filter { $0.contains("» What is the capital of France?") }.count == 1)
        #expect(lines.filter { $0.hasPrefix("── Turn ") }.count == 3)
        let row = lines.first { $0.contains("Paris") } ?? ""
        #expect(row.contains("The capital of France is Paris.") && row.contains("│ Arr, the capital of France be Paris, matey!"), "\(row)")
        let last = lines.first { $0.contains("You are welcome.") } ?? ""
        #expect(last.contains("│ (no reply)"), "\(last)")
    }

    @Test func wordDiffMarksRemovedLeftAndAddedRight() {
        let theme = Theme.dark
        let lines = SideBySideLayout.lines(Self.sample, width: 100, theme: theme)
        let row = lines.first { text($0).contains("Paris") } ?? []
        let words = row.filter { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }
        let removed = words.filter { $0.style == theme[.error].with(.underline) }.map(\.text)
        let added = words.filter { $0.style == theme[.success].with(.underline) }.map(\.text)
        #expect(removed == ["The", "is", "Paris."], "\(removed)")
        #expect(added.contains("Arr,") && added.contains("be") && added.contains("matey!"), "\(added)")
        #expect(SideBySideLayout.diffCounts(Self.sample).removed > 0)
        // Diff off: replies as written, nothing marked.
        var plain = Self.sample
        plain.showDiff = false
        let plainRow = SideBySideLayout.lines(plain, width: 100, theme: theme).first { text($0).contains("Paris") } ?? []
        #expect(!plainRow.contains { $0.style == theme[.error].with(.underline) })
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5, 7, 9, 12, 20, 33, 44, 61, 120])
    func everyWidthFitsAndKeepsTheSeparatorAligned(width: Int) {
        for diff in [true, false] {
            var state = Self.sample
            state.showDiff = diff
            state.variant.messages.append(ChatMessageView(role: .assistant, content: "超长的中文句子没有空格一直写下去直到超过一列的宽度为止🦙🦙🦙"))
            let lines = SideBySideLayout.lines(state, width: width, theme: .dark)
            if width == 0 { #expect(lines.isEmpty); continue }
            let (left, _) = SideBySideLayout.columnWidths(width)
            for line in lines {
                let w = line.reduce(0) { $0 + $1.width }
                #expect(w <= width, "width \(width): \(text(line))")
                if let col = separatorColumn(line) {
                    #expect(col == left, "width \(width), diff \(diff): separator at \(col) in \(text(line))")
                    if width >= 9 { #expect(w == width, "reply rows are padded to the full width") }
                }
            }
            #expect(SideBySideLayout.header(state, width: width, theme: .dark).reduce(0) { $0 + $1.width } <= width)
        }
    }

    @Test func wideCharactersWrapWithoutBreakingColumns() {
        let words: [(String, Style)] = [("東京東京東京", .plain), ("🦙🦙", .plain), ("ab", .plain)]
        let lines = SideBySideLayout.wrapWords(words, width: 5)
        for line in lines { #expect(line.reduce(0) { $0 + $1.width } <= 5, "\(line.map(\.text))") }
        #expect(lines.map { $0.map(\.text).joined() }.joined().filter { !$0.isWhitespace } == "東京東京東京🦙🦙ab")
        // A character wider than the column is dropped, never overflows.
        #expect(SideBySideLayout.wrapWords([("東", .plain)], width: 1).allSatisfy { $0.reduce(0) { $0 + $1.width } <= 1 })
    }

    func opened(width: Int = 100, height: Int = 20) -> AppState {
        var s = S.chat(width: width, height: height)
        _ = reduce(&s, .sideBySideLoaded(original: Self.sample.original, variant: Self.sample.variant))
        return s
    }

    @Test func keysScrollToggleOpenAndClose() {
        var s = opened(height: 12)
        var screen = AppView.render(s, theme: .dark).text()
        #expect(screen.contains("Side by side"))
        #expect(screen.contains("Original · concise · Capital"))
        #expect(screen.contains("Variant · pirate · Capital (replay: pirate)"))
        #expect(screen.contains("Esc") && screen.contains("word diff on/off"), "keys in the hint bar")
        _ = S.key(&s, KeyEvent(.end))
        let bottom = s.sideBySide?.scroll ?? 0
        #expect(bottom > 0)
        screen = AppView.render(s, theme: .dark).text()
        #expect(screen.contains("You are welcome."), "\(screen)")
        _ = S.key(&s, KeyEvent(.down))
        #expect(s.sideBySide?.scroll == bottom, "scrolling stops at the end")
        _ = S.key(&s, KeyEvent(.home))
        #expect(s.sideBySide?.scroll == 0)
        _ = S.key(&s, KeyEvent(.char("d")))
        #expect(s.sideBySide?.showDiff == false)
        #expect(S.key(&s, KeyEvent(.enter)) == [.loadConversation(2)])
        #expect(s.sideBySide == nil)
        s = opened()
        #expect(S.key(&s, KeyEvent(.char("o"))) == [.loadConversation(1)])
        s = opened()
        _ = S.key(&s, KeyEvent(.escape))
        #expect(s.sideBySide == nil)
    }

    @Test func smallAndResizedTerminalsDoNotBreakIt() {
        var s = opened()
        for (w, h) in [(44, 12), (45, 13), (30, 8), (0, 0), (200, 60), (80, 24)] {
            _ = reduce(&s, .resize(width: w, height: h))
            let buf = AppView.render(s, theme: .dark)
            #expect(buf.width == w && buf.height == h)
            _ = S.key(&s, KeyEvent(.pageDown))
            _ = S.key(&s, KeyEvent(.end))
            _ = AppView.render(s, theme: .dark)
        }
    }
}
