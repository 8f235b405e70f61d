import Testing
@testable import TerminalUI

@Suite struct CompareViewTests {
    typealias S = SampleStates

    func fresh(width: Int = 100, height: Int = 24) -> AppState {
        var s = AppState(width: width, height: height)
        _ = reduce(&s, .modelInfo(name: "SmolLM2-135M-Instruct", format: "chatml"))
        _ = reduce(&s, .promptLibrary(S.library))
        return s
    }

    /// Opens the view, chooses both library prompts, types `message` and runs it.
    func started(_ message: String = "Capital of France?") -> (AppState, [Effect]) {
        var s = fresh()
        #expect(S.key(&s, KeyEvent(.function(3))) == [])
        #expect(s.compare?.stage == .pick)
        _ = S.key(&s, KeyEvent(.char(" ")))
        _ = S.key(&s, KeyEvent(.down))
        _ = S.key(&s, KeyEvent(.char(" ")))
        _ = S.key(&s, KeyEvent(.enter))
        #expect(s.compare?.stage == .message)
        S.type(&s, message)
        let effects = S.key(&s, KeyEvent(.enter))
        return (s, effects)
    }

    /// The row with the column titles.
    func header(_ screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains("╭") }.map(String.init) ?? ""
    }

    @Test func choosingPromptsAndAMessageRunsEveryColumn() {
        let (s, effects) = started()
        let prompts = [CompareRequest.Prompt(name: "concise", text: "Answer in one or two sentences."),
                       CompareRequest.Prompt(name: "pirate", text: "You are a pirate. Answer like one.")]
        #expect(effects == [.compare(.run(CompareRequest(prompts: prompts, message: "Capital of France?", columns: [0, 1])))])
        #expect(s.compare?.stage == .columns)
        #expect(s.compare?.columns.map(\.status) == [.waiting, .waiting])
    }

    @Test func needsTwoPromptsAndAMessage() {
        var s = fresh()
        _ = S.key(&s, KeyEvent(.function(3)))
        _ = S.key(&s, KeyEvent(.char(" ")))
        _ = S.key(&s, KeyEvent(.enter))
        #expect(s.compare?.stage == .pick)
        #expect(s.notice?.isError == true)
        _ = S.key(&s, KeyEvent(.char(" ")))  // unchoose
        #expect(s.compare?.chosen == [])
        _ = S.key(&s, KeyEvent(.escape))
        #expect(s.compare == nil)
    }

    @Test func columnsFillOneAfterAnotherAndShowWhichRuns() {
        var (s, _) = started()
        _ = reduce(&s, .compare(.started(column: 0)))
        _ = reduce(&s, .compare(.delta(column: 0, text: "Paris.")))
        var screen = AppView.render(s, theme: .dark).text()
        #expect(header(screen).contains("● running  1 concise"))
        #expect(header(screen).contains("◌ waiting 2 pirate"))
        #expect(screen.contains("Paris."))
        #expect(s.generation.isBusy)
        _ = reduce(&s, .compare(.finished(column: 0, stats: ReplyStats(tokens: 3, tokensPerSecond: 40))))
        _ = reduce(&s, .compare(.started(column: 1)))
        _ = reduce(&s, .compare(.delta(column: 1, text: "Arr, 'tis Paris, matey.")))
        _ = reduce(&s, .compare(.finished(column: 1, stats: ReplyStats(tokens: 9, tokensPerSecond: 35.5))))
        #expect(s.generation == .idle)
        screen = AppView.render(s, theme: .dark).text()
        #expect(header(screen).contains("✓  1 concise"))
        #expect(header(screen).contains("✓ 2 pirate"))
        #expect(screen.contains("3 tok · 40.0 tok/s"))
        #expect(screen.contains("9 tok · 35.5 tok/s"))
        #expect(screen.contains("Arr, 'tis Paris, matey."))
        #expect(screen.contains("» Capital of France?"))
    }

    @Test func regenerateDiffAndKeep() {
        var (s, _) = started()
        for (i, text) in ["The capital is Paris.", "Arr, the capital be Paris."].enumerated() {
            _ = reduce(&s, .compare(.started(column: i)))
            _ = reduce(&s, .compare(.delta(column: i, text: text)))
            _ = reduce(&s, .compare(.finished(column: i, stats: ReplyStats(tokens: 5, tokensPerSecond: 20))))
        }
        // Regenerate column 2.
        _ = S.key(&s, KeyEvent(.right))
        let regen = S.key(&s, KeyEvent(.char("r")))
        guard case .compare(.run(let req)) = regen.first else { Issue.record("no run effect"); return }
        #expect(req.columns == [1])
        #expect(s.compare?.columns[1].reply == "")
        _ = reduce(&s, .compare(.started(column: 1)))
        _ = reduce(&s, .compare(.delta(column: 1, text: "Arr, the capital be Paris.")))
        _ = reduce(&s, .compare(.finished(column: 1, stats: ReplyStats(tokens: 5, tokensPerSecond: 20))))
        // Diff of column 2 against column 1.
        _ = S.key(&s, KeyEvent(.char("d")))
        #expect(s.compare?.stage == .diff(a: 1, b: 0, scroll: 0))
        let diff = AppView.render(s, theme: .dark).text()
        #expect(diff.contains("Word diff: pirate → concise"))
        #expect(diff.contains("[-Arr, the-] {+The+} capital [-be-] {+is+} Paris."))
        _ = S.key(&s, KeyEvent(.escape))
        #expect(s.compare?.stage == .columns)
        // Keep the pirate's reply as the conversation's continuation.
        let keep = S.key(&s, KeyEvent(.char("k")))
        #expect(keep == [.compare(.keep(message: "Capital of France?", reply: "Arr, the capital be Paris.",
                                         systemPrompt: "You are a pirate. Answer like one.", systemPromptName: "pirate"))])
        #expect(s.compare == nil)
        #expect(s.messages.map(\.content) == ["Capital of France?", "Arr, the capital be Paris."])
        #expect(s.systemPrompt.appliedName == "pirate")
    }

    @Test func escapeStopsARunAndAFailureMarksTheRest() {
        var (s, _) = started()
        _ = reduce(&s, .compare(.started(column: 0)))
        #expect(S.key(&s, KeyEvent(.escape)) == [.stopGeneration])
        #expect(s.compare != nil)
        _ = reduce(&s, .compare(.failed(column: 0, message: "cancelled")))
        #expect(s.compare?.columns.map(\.status) == [.failed("cancelled"), .failed("not run")])
        #expect(s.generation == .idle)
        // Nothing finished: nothing to keep; Esc closes.
        _ = S.key(&s, KeyEvent(.char("k")))
        #expect(s.notice?.isError == true)
        _ = S.key(&s, KeyEvent(.escape))
        #expect(s.compare == nil)
    }

    @Test func fitsSmallTerminals() {
        var (s, _) = started("A rather long message that will not fit on one line of a small terminal at all")
        _ = reduce(&s, .resize(width: 44, height: 12))
        _ = reduce(&s, .compare(.started(column: 0)))
        _ = reduce(&s, .compare(.delta(column: 0, text: String(repeating: "word ", count: 200))))
        let buf = AppView.render(s, theme: .dark)
        #expect(buf.width == 44 && buf.height == 12)
        #expect(buf.text().contains("running"))
    }
}
