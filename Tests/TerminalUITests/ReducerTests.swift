import Testing
@testable import TerminalUI

@Suite struct ReducerTests {
    typealias S = SampleStates

    func fresh() -> AppState {
        var s = AppState(width: 100, height: 30)
        _ = reduce(&s, .conversationsListed(S.conversations, query: ""))
        _ = reduce(&s, .promptLibrary(S.library))
        return s
    }

    @Test func enterSendsAndTheReplyStreamsIn() {
        var s = fresh()
        S.type(&s, "Hello there")
        #expect(S.key(&s, KeyEvent(.enter)) == [.send("Hello there")])
        #expect(s.input.isEmpty)
        #expect(s.messages.map(\.role) == [.user, .assistant])
        #expect(s.messages[1].status == .streaming)
        #expect(s.generation.isBusy)
        _ = reduce(&s, .replyDelta("Hi"))
        _ = reduce(&s, .replyDelta(" you"))
        _ = reduce(&s, .generationProgress(tokens: 2, tokensPerSecond: 12.5))
        #expect(s.generation == .generating(tokens: 2, tokensPerSecond: 12.5))
        _ = reduce(&s, .replyFinished(ReplyStats(tokens: 2, tokensPerSecond: 12.5)))
        #expect(s.messages[1].content == "Hi you")
        #expect(s.messages[1].status == .complete)
        #expect(s.messages[1].detail == "2 tok · 12.5 tok/s")
        #expect(s.generation == .idle)
        // Up recalls the sent message.
        _ = S.key(&s, KeyEvent(.up))
        #expect(s.input.text == "Hello there")
    }

    @Test func emptyInputAndBusyModelDoNotSend() {
        var s = fresh()
        #expect(S.key(&s, KeyEvent(.enter)) == [])
        S.type(&s, "one")
        _ = S.key(&s, KeyEvent(.enter))
        S.type(&s, "two")
        #expect(S.key(&s, KeyEvent(.enter)) == [])
        #expect(s.notice?.isError == true)
        #expect(s.input.text == "two")
    }

    @Test func escStopsAndThePartialReplyIsKeptAndMarked() {
        var s = fresh()
        S.type(&s, "Tell me a story")
        _ = S.key(&s, KeyEvent(.enter))
        _ = reduce(&s, .replyDelta("Once upon"))
        #expect(S.key(&s, KeyEvent(.escape)) == [.stopGeneration])
        #expect(s.generation == .stopping)
        _ = reduce(&s, .replyFinished(ReplyStats(tokens: 3, tokensPerSecond: 10)))
        #expect(s.messages.last?.content == "Once upon")
        #expect(s.messages.last?.status == .stopped)
        #expect(S.key(&s, KeyEvent(.escape)) == [])
    }

    @Test func quitAsksOnlyWhileAReplyStreams() {
        var s = fresh()
        #expect(S.key(&s, .ctrl("q")) == [.quit])
        #expect(!s.running)

        var busy = fresh()
        S.type(&busy, "hi")
        _ = S.key(&busy, KeyEvent(.enter))
        #expect(S.key(&busy, .ctrl("q")) == [])
        guard case .confirm = busy.overlay else { Issue.record("no confirm dialog"); return }
        #expect(S.key(&busy, .char("n")) == [])
        #expect(busy.overlay == nil && busy.running)
        _ = S.key(&busy, .ctrl("q"))
        #expect(S.key(&busy, .char("y")) == [.stopGeneration, .quit])
        #expect(!busy.running)
    }

    @Test func tabCyclesPanesBothWays() {
        var s = fresh()
        var seen: [Pane] = []
        for _ in 0..<4 { _ = S.key(&s, KeyEvent(.tab)); seen.append(s.focus) }
        #expect(seen == [.systemPrompt, .options, .conversations, .chat])
        _ = S.key(&s, KeyEvent(.backTab))
        #expect(s.focus == .conversations)
        #expect(s.mainPane == .chat)
        _ = S.key(&s, .alt(.char("3")))
        #expect(s.focus == .options && s.mainPane == .options)
    }

    @Test func helpAndInspectorOverlays() {
        var s = fresh()
        _ = S.key(&s, KeyEvent(.function(1)))
        #expect(s.overlay == .help(scroll: 0))
        _ = S.key(&s, KeyEvent(.down))
        #expect(s.overlay == .help(scroll: 1))
        _ = S.key(&s, .char("x"))
        #expect(s.overlay == nil)
        S.type(&s, "next")
        #expect(S.key(&s, KeyEvent(.function(2))) == [.inspectPrompt(nextMessage: "next")])
        #expect(s.overlay == .inspector(scroll: 0))
        _ = reduce(&s, .promptInspection(S.inspection()))
        #expect(s.inspection?.keptTokens == 35)
        _ = S.key(&s, KeyEvent(.escape))
        #expect(s.overlay == nil)
    }

    @Test func newConversationClearsTheChat() {
        var s = SampleStates.chat(width: 80, height: 24)
        #expect(S.key(&s, .ctrl("n")) == [.newConversation])
        #expect(s.messages.isEmpty && s.conversationID == nil && s.focus == .chat)
    }

    @Test func regenerateEditResendCopyAndFork() {
        var s = SampleStates.chat(width: 80, height: 24)
        #expect(S.key(&s, .ctrl("y")) == [.copyToClipboard(SampleStates.messages[3].content)])
        #expect(S.key(&s, .ctrl("f")) == [.fork(atMessage: 3)])
        #expect(S.key(&s, .ctrl("r")) == [.regenerate])
        #expect(s.messages.count == 4 && s.messages[3].content.isEmpty && s.messages[3].status == .streaming)
        _ = reduce(&s, .replyFinished(ReplyStats(tokens: 0, tokensPerSecond: 0)))
        _ = S.key(&s, .ctrl("e"))
        #expect(s.editingLast && s.input.text == SampleStates.messages[2].content)
        _ = S.key(&s, KeyEvent(.end, .ctrl))
        S.type(&s, "!")
        #expect(S.key(&s, KeyEvent(.enter)) == [.editAndResend(SampleStates.messages[2].content + "!")])
        #expect(s.messages.count == 4)
        #expect(s.messages[2].content.hasSuffix("🦙!"))
    }

    @Test func systemPromptEditApplyAndSaveAs() {
        var s = fresh()
        _ = S.key(&s, KeyEvent(.tab))
        #expect(s.focus == .systemPrompt)
        S.type(&s, "Be brief.")
        _ = S.key(&s, KeyEvent(.enter))
        S.type(&s, "Use French.")
        #expect(s.systemPrompt.isModified)
        #expect(S.key(&s, .ctrl("s")) == [.applySystemPrompt(text: "Be brief.\nUse French.", name: nil)])
        #expect(!s.systemPrompt.isModified)
        _ = S.key(&s, .ctrl("t"))
        S.type(&s, "french")
        #expect(S.key(&s, KeyEvent(.enter)) == [.saveSystemPrompt(name: "french", text: "Be brief.\nUse French.")])
        #expect(s.systemPrompt.library.contains { $0.name == "french" && $0.isUser })
        // The picker loads a library prompt into the editor (not applied until Ctrl-S).
        _ = S.key(&s, .ctrl("o"))
        S.type(&s, "pirate")
        _ = S.key(&s, KeyEvent(.enter))
        #expect(s.systemPrompt.editor.text == "You are a pirate. Answer like one.")
        #expect(s.systemPrompt.isModified)
        #expect(S.key(&s, .ctrl("s")) == [.applySystemPrompt(text: "You are a pirate. Answer like one.", name: "pirate")])
    }

    @Test func saveAsRefusesEmptyNames() {
        var s = fresh()
        _ = S.key(&s, KeyEvent(.tab))
        _ = S.key(&s, .ctrl("t"))
        #expect(S.key(&s, KeyEvent(.enter)) == [])
        guard case .input(_, _, _, let error) = s.overlay else { Issue.record("dialog closed"); return }
        #expect(error == "A name cannot be empty")
    }

    @Test func optionsChangesAreSavedOnlyWhenValid() {
        var s = fresh()
        _ = S.key(&s, .alt(.char("3")))
        _ = S.key(&s, KeyEvent(.down))
        #expect(s.options.fields[s.options.selected].id == "temperature")
        #expect(S.key(&s, .char("9")) == [])
        #expect(s.options.error != nil)
        _ = S.key(&s, KeyEvent(.backspace))
        #expect(S.key(&s, .char("1")).first.map { if case .saveOptions(let v) = $0 { return v["temperature"] == "1" } else { return false } } == true)
        #expect(S.key(&s, .ctrl("r")).count == 1)
        #expect(s.options.values["temperature"] == s.options.fields[1].defaultValue)
    }

    @Test func conversationsSearchOpenRenameDelete() {
        var s = fresh()
        _ = S.key(&s, .alt(.char("4")))
        #expect(S.key(&s, .char("t")) == [.search("t")])
        S.type(&s, "rip")
        #expect(s.conversations.visible.map(\.id) == [6])
        #expect(S.key(&s, KeyEvent(.enter)) == [.loadConversation(6)])
        #expect(s.focus == .chat)
        _ = S.key(&s, .alt(.char("4")))
        #expect(S.key(&s, KeyEvent(.escape)) == [.search("")])
        _ = S.key(&s, KeyEvent(.down))
        _ = S.key(&s, .ctrl("r"))
        _ = S.key(&s, .ctrl("u"))
        S.type(&s, "Lyon trip")
        #expect(S.key(&s, KeyEvent(.enter)) == [.renameConversation(6, "Lyon trip")])
        #expect(s.conversations.items[1].title == "Lyon trip")
        _ = S.key(&s, KeyEvent(.delete))
        #expect(S.key(&s, .char("y")) == [.deleteConversation(6)])
        #expect(s.conversations.items.map(\.id) == [7, 5])
    }

    @Test func scrollingAndFollowing() {
        var s = AppState(width: 80, height: 24)
        let long = (1...60).map { "line \($0)" }.joined(separator: "\n")
        _ = reduce(&s, .conversationLoaded(ConversationSnapshot(id: 1, title: "t", messages: [
            ChatMessageView(role: .user, content: "go"), ChatMessageView(role: .assistant, content: long),
        ], systemPrompt: "")))
        _ = S.key(&s, KeyEvent(.pageUp))
        #expect(s.scrollOffset > 0)
        for _ in 0..<20 { _ = S.key(&s, KeyEvent(.pageUp)) }
        let maxOffset = s.scrollOffset
        #expect(maxOffset == Reducer.lineCount(s) - Layout(s).messagesArea.height)
        _ = reduce(&s, .input(.mouse(.wheelDown(x: 40, y: 5))))
        #expect(s.scrollOffset == maxOffset - 3)
        // New text below does not move a scrolled-back view.
        s.messages.append(ChatMessageView(role: .assistant, content: "", status: .streaming))
        s.generation = .generating(tokens: 0, tokensPerSecond: 0)
        let before = s.scrollOffset
        _ = reduce(&s, .replyDelta("more\ntext"))
        #expect(s.scrollOffset == before + 1)
        _ = S.key(&s, KeyEvent(.end))
        #expect(s.scrollOffset == 0)
    }

    @Test func pasteGoesToTheFocusedEditorAndResizeIsRecorded() {
        var s = fresh()
        _ = reduce(&s, .input(.paste("line one\nline two")))
        #expect(s.input.text == "line one\nline two")
        _ = reduce(&s, .input(.resize(width: 50, height: 15)))
        #expect(s.width == 50 && s.height == 15)
    }

    @Test func contextUsageMarksDroppedMessages() {
        var s = SampleStates.chat(width: 80, height: 24)
        #expect(s.messages.map(\.outsideContext) == [true, true, false, false])
        #expect(s.context?.droppedTurns == 1)
    }
}
