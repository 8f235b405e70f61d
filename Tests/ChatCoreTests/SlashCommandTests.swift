import Testing
@testable import ChatCore

@Suite struct SlashCommandTests {
    @Test func parsesEveryCommand() throws {
        #expect(try SlashCommand.parse("hello") == nil)
        #expect(try SlashCommand.parse("//not a command") == nil)
        #expect(try SlashCommand.parse("/system You are terse.  ") == .system("You are terse.  "))
        #expect(try SlashCommand.parse("/system") == .system(""))
        #expect(try SlashCommand.parse("/prompts") == .prompts)
        #expect(try SlashCommand.parse("/prompt concise") == .prompt("concise"))
        #expect(try SlashCommand.parse("/set temperature 0.2") == .set(.temperature, "0.2"))
        #expect(try SlashCommand.parse("/set top_p=0.5") == .set(.topP, "0.5"))
        #expect(try SlashCommand.parse("/set") == .showOptions)
        #expect(try SlashCommand.parse("/show prompt") == .showPrompt)
        #expect(try SlashCommand.parse("  /RESET ") == .reset)
        #expect(try SlashCommand.parse("/stats") == .stats)
        #expect(try SlashCommand.parse("/help") == .help)
        #expect(try SlashCommand.parse("/quit") == .quit)
    }

    @Test func errorsAreClear() {
        #expect(throws: ChatError.invalidCommand("unknown command /frobnicate (type /help)")) { try SlashCommand.parse("/frobnicate") }
        #expect(throws: ChatError.unknownOption("warmth")) { try SlashCommand.parse("/set warmth 3") }
        #expect(throws: ChatError.self) { try SlashCommand.parse("/set temperature") }
        #expect(throws: ChatError.self) { try SlashCommand.parse("/prompt") }
        #expect(throws: ChatError.self) { try SlashCommand.parse("/show stats") }
    }
}
