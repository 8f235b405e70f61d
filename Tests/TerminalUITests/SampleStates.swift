@testable import TerminalUI

/// States used by the snapshot tests: a realistic conversation in each pane.
enum SampleStates {
    static let messages: [ChatMessageView] = [
        ChatMessageView(id: 1, role: .user, content: "What is the capital of France?", outsideContext: true),
        ChatMessageView(id: 2, role: .assistant, content: "The capital of France is Paris.", outsideContext: true,
                        systemPromptLabel: "concise", detail: "8 tok · 31.2 tok/s"),
        ChatMessageView(id: 3, role: .user, content: "Show me hello world in Swift, and say 你好 🦙"),
        ChatMessageView(id: 4, role: .assistant,
                        content: "Here it is:\n```swift\nprint(\"Hello, world!\")\n```\n你好！ A llama 🦙 says hi. This sentence is long enough that it has to wrap onto the next line of the pane.",
                        systemPromptLabel: "concise", detail: "41 tok · 28.7 tok/s"),
    ]

    static let conversations: [ConversationListItem] = [
        ConversationListItem(id: 7, title: "Hello world in Swift", subtitle: "today 10:02 · 4 messages"),
        ConversationListItem(id: 6, title: "Trip to Lyon", subtitle: "yesterday · 12 messages"),
        ConversationListItem(id: 5, title: "Recipe: crêpes", subtitle: "Mon · 6 messages"),
    ]

    static let library: [PromptLibraryItem] = [
        PromptLibraryItem(name: "concise", text: "Answer in one or two sentences."),
        PromptLibraryItem(name: "pirate", text: "You are a pirate. Answer like one.", isUser: true),
    ]

    /// A frozen copy of the options form's fields, so that screen snapshots do not change when the
    /// chat core adjusts a range or default (the form's mapping is tested in OptionsFormTests).
    static let fields: [OptionField] = [
        OptionField(id: "max-tokens", label: "Max new tokens", kind: .integer(1...131_072), defaultValue: "1024", help: "Most tokens in one reply."),
        OptionField(id: "temperature", label: "Temperature", kind: .decimal(0...5), defaultValue: "0.6",
                    help: "Randomness of sampling; 0 always picks the most likely token."),
        OptionField(id: "top-k", label: "Top-k", kind: .integer(0...1_000_000), defaultValue: "50", help: "Sample only among the k most likely tokens; 0 = off."),
        OptionField(id: "top-p", label: "Top-p", kind: .decimal(0.01...1), defaultValue: "0.9", help: "Nucleus sampling; 1 = off."),
        OptionField(id: "seed", label: "Seed", kind: .optionalInteger(0...UInt64.max, none: "random"), defaultValue: "random", help: "Random seed."),
        OptionField(id: "format", label: "Prompt format", kind: .choice(["auto", "llama2", "chatml"]), defaultValue: "auto", help: "Prompt layout."),
        OptionField.theme(["dark", "light", "high-contrast"]),
    ]

    static func chat(width: Int, height: Int) -> AppState {
        var s = AppState(width: width, height: height)
        s.options = OptionsForm(fields: fields)
        _ = reduce(&s, .modelInfo(name: "SmolLM2-135M-Instruct", format: "chatml"))
        _ = reduce(&s, .conversationsListed(conversations, query: ""))
        _ = reduce(&s, .promptLibrary(library))
        _ = reduce(&s, .conversationLoaded(ConversationSnapshot(id: 7, title: "Hello world in Swift", messages: messages,
                                                                 systemPrompt: "Answer in one or two sentences.",
                                                                 systemPromptName: "concise")))
        _ = reduce(&s, .contextUsage(ContextUsage(usedTokens: 96, windowTokens: 256, droppedTurns: 1), outsideContext: [0, 1]))
        _ = reduce(&s, .replyFinished(ReplyStats(tokens: 41, tokensPerSecond: 28.7)))
        return s
    }

    static func type(_ s: inout AppState, _ text: String) {
        for c in text { _ = reduce(&s, .input(.key(.char(c)))) }
    }

    static func key(_ s: inout AppState, _ k: KeyEvent) -> [Effect] { reduce(&s, .input(.key(k))) }

    static func inspection() -> PromptInspection {
        PromptInspection(formatName: "llama2", parts: [
            PromptPart(kind: .specialToken, text: "<s>", tokens: 1, dropped: true),
            PromptPart(kind: .structure, text: "[INST] ", tokens: 4, dropped: true),
            PromptPart(kind: .user, text: "What is the capital of France?", tokens: 8, dropped: true),
            PromptPart(kind: .structure, text: " [/INST]", tokens: 4, dropped: true),
            PromptPart(kind: .assistant, text: " The capital of France is Paris. ", tokens: 8, dropped: true),
            PromptPart(kind: .specialToken, text: "</s>", tokens: 1, dropped: true),
            PromptPart(kind: .specialToken, text: "<s>", tokens: 1),
            PromptPart(kind: .structure, text: "[INST] <<SYS>>\n", tokens: 8),
            PromptPart(kind: .system, text: "Answer in one or two sentences.", tokens: 8),
            PromptPart(kind: .structure, text: "\n<</SYS>>\n\n", tokens: 7),
            PromptPart(kind: .user, text: "Show me hello world in Swift", tokens: 7),
            PromptPart(kind: .structure, text: " [/INST]", tokens: 4),
        ], windowTokens: 256)
    }
}
