import Testing
@testable import TerminalUI

/// F5 in the conversations pane: replay the selected conversation under a library prompt.
@Suite struct ConversationsReplayTests {
    typealias S = SampleStates

    func pane() -> AppState {
        var s = S.chat(width: 100, height: 30)
        _ = S.key(&s, KeyEvent(.char("4"), .alt))
        return s
    }

    @Test func f5AsksForAPromptThenReplays() {
        var s = pane()
        _ = S.key(&s, KeyEvent(.down))  // "Trip to Lyon", id 6
        #expect(S.key(&s, KeyEvent(.function(5))) == [])
        #expect(s.replayTarget == 6)
        let screen = AppView.render(s, theme: .dark).text()
        #expect(screen.contains("Replay the conversation under which system prompt?"), "\(screen)")
        #expect(screen.contains("Enter") && screen.contains("replay"))
        S.type(&s, "pirate")
        let effects = S.key(&s, KeyEvent(.enter))
        #expect(effects == [.replay(conversation: 6, promptName: "pirate", promptText: "You are a pirate. Answer like one.")])
        #expect(s.replayTarget == nil && s.overlay == nil)
        #expect(s.generation.isBusy, "nothing else runs on the engine meanwhile")
        // Esc stops it; the end comes back as replyFinished / replyFailed.
        #expect(S.key(&s, KeyEvent(.escape)) == [.stopGeneration])
        _ = reduce(&s, .replyFailed("Replay stopped"))
        #expect(s.generation == .idle)
        #expect(s.notice?.text == "Replay stopped")
        #expect(s.messages.count == S.messages.count, "the open conversation is untouched")
    }

    @Test func escapeCancelsAndThePickerLoadsPromptsAgain() {
        var s = pane()
        _ = S.key(&s, KeyEvent(.function(5)))
        _ = S.key(&s, KeyEvent(.escape))
        #expect(s.replayTarget == nil && s.overlay == nil)
        // The system prompt pane's picker (Ctrl-O) still loads into the editor.
        _ = S.key(&s, KeyEvent(.char("2"), .alt))
        _ = S.key(&s, .ctrl("o"))
        #expect(S.key(&s, KeyEvent(.enter)) == [])
        #expect(s.systemPrompt.editor.text == S.library[0].text)
    }

    @Test func noReplayWhileAReplyIsWritten() {
        var s = pane()
        _ = reduce(&s, .generationProgress(tokens: 1, tokensPerSecond: 1))
        _ = S.key(&s, KeyEvent(.function(5)))
        #expect(s.overlay == nil && s.notice?.isError == true)
    }

    @Test func f4InTheChatOfAVariant() {
        var s = S.chat(width: 100, height: 30)
        #expect(S.key(&s, KeyEvent(.function(4))) == [])
        #expect(s.notice?.isError == true)
        _ = reduce(&s, .conversationsListed(S.conversations + [ConversationListItem(id: 8, title: "Hello (replay: pirate)", parentId: 7)], query: ""))
        _ = reduce(&s, .conversationInfo(id: 8, title: "Hello (replay: pirate)"))
        #expect(S.key(&s, KeyEvent(.function(4))) == [.openSideBySide(variant: 8)])
    }
}
