import Foundation
import Testing
@testable import ChatCore

@Suite struct GenerationOptionsTests {
    @Test func defaultsAreTheLlama2DemoOnes() throws {
        let o = GenerationOptions()
        #expect(o.maxTokens == 1024)
        #expect(o.temperature == 0.6)
        #expect(o.topP == 0.9)
        #expect(o.topK == 50)
        #expect(o.repeatPenalty == 1.2)
        #expect(o.minP == 0)
        #expect(o.seed == nil)
        #expect(o.contextSize == 4096)
        #expect(o.format == .auto)
        #expect(o.threads == nil)
        try o.validate()
    }

    @Test func descriptorsDefaultsMatchTheDefaults() {
        let o = GenerationOptions()
        for d in OptionDescriptor.all {
            #expect(o.text(of: d.key) == d.defaultText, "\(d.name)")
            #expect(d.flag == "--" + d.name)
            #expect(!d.help.isEmpty)
        }
        #expect(OptionDescriptor.all.count == OptionKey.allCases.count)
    }

    @Test func setParsesAndChecksRanges() throws {
        var o = GenerationOptions()
        try o.set(.temperature, from: "0.2")
        #expect(o.temperature == 0.2)
        try o.set(try OptionKey(name: "temp"), from: " 1.5 ")
        #expect(o.temperature == 1.5)
        #expect(throws: ChatError.optionOutOfRange(option: "temperature", value: "9.0", allowed: "0.0 ... 5.0")) {
            try o.set(.temperature, from: "9")
        }
        #expect(o.temperature == 1.5, "a refused value leaves the options unchanged")
        #expect(throws: ChatError.invalidOptionValue(option: "top-k", value: "abc", expected: "an integer")) {
            try o.set(.topK, from: "abc")
        }
        #expect(throws: ChatError.self) { try o.set(.topP, from: "1.01") }
        #expect(throws: ChatError.self) { try o.set(.topP, from: "nan") }
        #expect(throws: ChatError.self) { try o.set(.maxTokens, from: "0") }
        #expect(throws: ChatError.self) { try o.set(.contextSize, from: "10") }
        #expect(throws: ChatError.self) { try o.set(.threads, from: "-3") }
        try o.set(.seed, from: "42")
        #expect(o.seed == 42)
        try o.set(.seed, from: "random")
        #expect(o.seed == nil)
        try o.set(.format, from: "ChatML")
        #expect(o.format == .chatml)
        #expect(throws: ChatError.unknownFormat("jinja")) { try o.set(.format, from: "jinja") }
        try o.set(.threads, from: "2")
        #expect(o.threads == 2)
        try o.set(.threads, from: "auto")
        #expect(o.threads == nil)
        #expect(throws: ChatError.unknownOption("warmth")) { try OptionKey(name: "warmth") }
        #expect(try OptionKey(name: "max_tokens") == .maxTokens)
    }

    @Test func errorMessagesNameTheOption() {
        var o = GenerationOptions()
        do { try o.set(.topP, from: "2"); Issue.record("accepted top-p 2") } catch {
            #expect(String(describing: error) == "option top-p = 2.0 is out of range (allowed: 0.01 ... 1.0)")
        }
    }

    @Test func jsonRoundTripAndMissingKeysTakeDefaults() throws {
        var o = GenerationOptions()
        o.seed = 7
        o.temperature = 0.25
        o.format = .llama2
        o.threads = 2
        let data = try JSONEncoder().encode(o)
        #expect(try JSONDecoder().decode(GenerationOptions.self, from: data) == o)
        let partial = try JSONDecoder().decode(GenerationOptions.self, from: Data(#"{"temperature": 0.1}"#.utf8))
        var expected = GenerationOptions()
        expected.temperature = 0.1
        #expect(partial == expected)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(GenerationOptions.self, from: Data(#"{"topP": 3}"#.utf8))
        }
    }
}

@Suite struct ConversationTests {
    @Test func turnsPairUserAndAssistant() throws {
        var c = Conversation(systemPrompt: "Be brief.")
        try c.appendUser("a")
        try c.appendAssistant("b")
        try c.appendUser("c")
        #expect(c.turns == [Turn(user: "a", assistant: "b"), Turn(user: "c")])
        #expect(c.awaitsReply)
        #expect(throws: ChatError.self) { try c.appendUser("d") }
        try c.validate()
        let json = try JSONEncoder().encode(c)
        #expect(try JSONDecoder().decode(Conversation.self, from: json) == c)
    }

    @Test func huggingFaceShape() throws {
        let c = try Conversation(huggingFace: [.system("S"), .user("u"), .assistant("a"), .user("v")])
        #expect(c.systemPrompt == "S")
        #expect(c.messages.count == 3)
        #expect(throws: ChatError.self) { try Conversation(huggingFace: [.user("u"), .user("v")]) }
        #expect(throws: ChatError.self) { try Conversation(huggingFace: [.assistant("a")]) }
        #expect(!Conversation(systemPrompt: "  \n").hasSystemPrompt)
    }
}
