import Testing
@testable import TerminalUI

/// The compare view continuing the open conversation (`h`): every column writes its next reply.
@Suite struct CompareHistoryTests {
    typealias S = SampleStates

    @Test func historyIsTheConversationsFinishedTurns() {
        let messages = [
            ChatMessageView(role: .user, content: "Hi"),
            ChatMessageView(role: .assistant, content: "Hello!", status: .complete),
            ChatMessageView(role: .user, content: "Fails"),
            ChatMessageView(role: .assistant, content: "", status: .failed("boom")),
            ChatMessageView(role: .user, content: "Stop me"),
            ChatMessageView(role: .assistant, content: "Partial", status: .stopped),
            ChatMessageView(role: .user, content: "No reply yet"),
        ]
        #expect(CompareReducer.history(of: messages) == [
            CompareHistoryMessage(role: .user, text: "Hi"), CompareHistoryMessage(role: .assistant, text: "Hello!"),
            CompareHistoryMessage(role: .user, text: "Stop me"), CompareHistoryMessage(role: .assistant, text: "Partial"),
        ])
    }

    @Test func hTogglesContinuingTheConversation() {
        var s = S.chat(width: 100, height: 24)
        _ = S.key(&s, KeyEvent(.function(3)))
        #expect(s.compare?.history.count == 4)
        #expect(s.compare?.withHistory == false)
        _ = S.key(&s, KeyEvent(.char("h")))
        #expect(s.compare?.withHistory == true)
        #expect(s.compare?.historyTurns == 2)
        var screen = AppView.render(s, theme: .dark).text()
        #expect(screen.contains("continues the conversation (2 turns)"), "\(screen)")
        // Choose both prompts (the conversation's own, concise, is chosen already).
        _ = S.key(&s, KeyEvent(.down))
        _ = S.key(&s, KeyEvent(.char(" ")))
        _ = S.key(&s, KeyEvent(.enter))
        S.type(&s, "And in German?")
        let effects = S.key(&s, KeyEvent(.enter))
        guard case .compare(.run(let request)) = effects.first else { Issue.record("no run: \(effects)"); return }
        #expect(request.history.map(\.text) == S.messages.map(\.content))
        #expect(request.message == "And in German?")
        screen = AppView.render(s, theme: .dark).text()
        #expect(screen.contains("» (after 2 turns) And in German?"), "\(screen)")
    }

    @Test func withoutTurnsThereIsNothingToContinue() {
        var s = AppState(width: 100, height: 24)
        _ = reduce(&s, .promptLibrary(S.library))
        _ = S.key(&s, KeyEvent(.function(3)))
        _ = S.key(&s, KeyEvent(.char("h")))
        #expect(s.compare?.withHistory == false)
        #expect(s.notice?.isError == true)
        _ = S.key(&s, KeyEvent(.char(" ")))
        _ = S.key(&s, KeyEvent(.down))
        _ = S.key(&s, KeyEvent(.char(" ")))
        _ = S.key(&s, KeyEvent(.enter))
        S.type(&s, "Hi")
        guard case .compare(.run(let request)) = S.key(&s, KeyEvent(.enter)).first else { Issue.record("no run"); return }
        #expect(request.history.isEmpty)
    }
}
