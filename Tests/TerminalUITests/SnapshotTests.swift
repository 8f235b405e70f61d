import Foundation
import Testing
import TestSupport
@testable import TerminalUI

/// Screen snapshots: each pane rendered at 80x24 and 120x40 (and a tiny terminal) compared as text
/// with `Snapshots/NAME.txt`. Set `LLAMATERM_RECORD_SNAPSHOTS=1` to write them after a deliberate
/// change to the look, then review the diff.
@Suite struct SnapshotTests {
    static let directory = TestPaths.repoRoot.appendingPathComponent("Tests/TerminalUITests/Snapshots")

    func check(_ name: String, _ state: AppState, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let backend = InMemoryBackend(width: state.width, height: state.height)
        backend.present(AppView.render(state, theme: .dark))
        let text = backend.screenText()
        let url = Self.directory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["LLAMATERM_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text + "\n" == expected, "screen \(name) differs:\n\(text)", sourceLocation: sourceLocation)
        // Every row is exactly as wide as the terminal (wide characters counted twice).
        for y in 0..<state.height {
            var columns = 0
            for x in 0..<state.width { columns += Int(backend.frame.cell(x, y)?.width ?? 0) }
            #expect(columns == state.width, "row \(y) of \(name)", sourceLocation: sourceLocation)
            // A continuation cell always follows a two-column character.
            for x in 0..<state.width where backend.frame.cell(x, y)?.isContinuation == true {
                #expect(x > 0 && backend.frame.cell(x - 1, y)?.width == 2, "row \(y) of \(name)", sourceLocation: sourceLocation)
            }
        }
    }

    static let sizes = [(80, 24), (120, 40)]

    @Test(arguments: sizes) func chatPane(size: (Int, Int)) throws {
        try check("chat-\(size.0)x\(size.1)", SampleStates.chat(width: size.0, height: size.1))
    }

    @Test(arguments: sizes) func chatWhileStreaming(size: (Int, Int)) throws {
        var s = SampleStates.chat(width: size.0, height: size.1)
        SampleStates.type(&s, "And in Rust?")
        _ = SampleStates.key(&s, KeyEvent(.enter))
        _ = reduce(&s, .replyDelta("Sure:\n```rust\nfn main() {\n    println!(\"Hello\");"))
        _ = reduce(&s, .generationProgress(tokens: 14, tokensPerSecond: 30.25))
        SampleStates.type(&s, "next question being typed")
        try check("streaming-\(size.0)x\(size.1)", s)
    }

    @Test(arguments: sizes) func systemPromptPane(size: (Int, Int)) throws {
        var s = SampleStates.chat(width: size.0, height: size.1)
        _ = SampleStates.key(&s, KeyEvent(.tab))
        _ = SampleStates.key(&s, KeyEvent(.enter))
        SampleStates.type(&s, "Use French.")
        try check("system-prompt-\(size.0)x\(size.1)", s)
    }

    @Test(arguments: sizes) func optionsPane(size: (Int, Int)) throws {
        var s = SampleStates.chat(width: size.0, height: size.1)
        _ = SampleStates.key(&s, .alt(.char("3")))
        _ = SampleStates.key(&s, KeyEvent(.down))
        SampleStates.type(&s, "5000")
        try check("options-\(size.0)x\(size.1)", s)
    }

    @Test(arguments: sizes) func conversationsPane(size: (Int, Int)) throws {
        var s = SampleStates.chat(width: size.0, height: size.1)
        _ = SampleStates.key(&s, .alt(.char("4")))
        SampleStates.type(&s, "l")
        try check("conversations-\(size.0)x\(size.1)", s)
    }

    @Test(arguments: sizes) func promptInspector(size: (Int, Int)) throws {
        var s = SampleStates.chat(width: size.0, height: size.1)
        _ = SampleStates.key(&s, KeyEvent(.function(2)))
        _ = reduce(&s, .promptInspection(SampleStates.inspection()))
        try check("inspector-\(size.0)x\(size.1)", s)
    }

    @Test(arguments: sizes) func helpOverlay(size: (Int, Int)) throws {
        var s = SampleStates.chat(width: size.0, height: size.1)
        _ = SampleStates.key(&s, KeyEvent(.function(1)))
        try check("help-\(size.0)x\(size.1)", s)
    }

    @Test func quitConfirmationWhileStreaming() throws {
        var s = SampleStates.chat(width: 80, height: 24)
        SampleStates.type(&s, "more")
        _ = SampleStates.key(&s, KeyEvent(.enter))
        _ = SampleStates.key(&s, .ctrl("q"))
        try check("confirm-quit-80x24", s)
    }

    @Test func narrowTerminalHidesTheSidebar() throws {
        try check("chat-60x20", SampleStates.chat(width: 60, height: 20))
    }

    @Test func tinyTerminalSaysTooSmall() throws {
        let s = SampleStates.chat(width: 20, height: 5)
        try check("too-small-20x5", s)
        let text = AppView.render(s, theme: .dark).text()
        #expect(text.contains("too small"))
    }

    /// Resizing mid-stream re-lays out without leftovers: the frame after a resize equals a fresh
    /// render at the new size.
    @Test func resizeMidStreamLeavesNoGarbage() {
        var s = SampleStates.chat(width: 120, height: 40)
        SampleStates.type(&s, "go")
        _ = SampleStates.key(&s, KeyEvent(.enter))
        _ = reduce(&s, .replyDelta("partial reply"))
        let backend = InMemoryBackend(width: 120, height: 40)
        backend.present(AppView.render(s, theme: .dark))
        for (w, h) in [(80, 24), (30, 8), (100, 30)] {
            _ = reduce(&s, .resize(width: w, height: h))
            _ = reduce(&s, .replyDelta(" more"))
            backend.present(AppView.render(s, theme: .dark))
            #expect(backend.frame.width == w && backend.frame.height == h)
        }
        #expect(backend.screenText().contains("partial reply more more"))
        #expect(backend.screenText() == AppView.render(s, theme: .dark).text())
    }
}
