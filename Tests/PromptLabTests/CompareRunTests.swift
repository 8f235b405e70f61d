import ChatCore
import Testing
@testable import PromptLab

@Suite struct CompareRunTests {
    let prompts = [LabPrompt(name: "concise", text: "Be brief."), LabPrompt(name: nil, text: "Talk like a pirate.")]

    @Test func runsEachPromptInOrderWithOneSeed() async throws {
        let g = ScriptedGenerator()
        let run = try CompareRun(prompts: prompts, messages: [.user("hi")], options: GenerationOptions())
        let seed = try #require(run.options.seed)
        var events: [String] = []
        var streamed: [Int: String] = [:]
        let results = await run.run(using: g) { e in
            switch e {
            case .started(let i): events.append("start \(i)")
            case .text(let i, let t): streamed[i, default: ""] += t
            case .finished(let i, _): events.append("end \(i)")
            }
        }
        #expect(events == ["start 0", "end 0", "start 1", "end 1"])
        #expect(!g.overlapped)
        #expect(g.requests.map(\.system) == ["Be brief.", "Talk like a pirate."])
        #expect(g.requests.allSatisfy { $0.seed == seed && $0.messages == [.user("hi")] })
        #expect(results.map(\.prompt) == prompts)
        #expect(results[0].reply == "[Be brief.] reply 1 to hi seed \(seed)")
        #expect(streamed[0] == results[0].reply && streamed[1] == results[1].reply)
        #expect(results[1].tokens == 10)
        #expect(abs(results[1].tokensPerSecond - 50) < 1e-9)
    }

    @Test func aGivenSeedIsKeptAndDialogsAreSentWhole() async throws {
        var o = GenerationOptions()
        o.seed = 7
        let dialog: [Message] = [.user("a"), .assistant("b"), .user("c")]
        let run = try CompareRun(prompts: prompts, messages: dialog, options: o)
        let g = ScriptedGenerator()
        let results = await run.run(using: g)
        #expect(results.map(\.reply) == ["[Be brief.] reply 3 to c seed 7", "[Talk like a ] reply 3 to c seed 7"])
        #expect(g.requests.allSatisfy { $0.messages == dialog })
    }

    @Test func aFailureIsRecordedAndTheOthersStillRun() async throws {
        let g = ScriptedGenerator()
        g.failWhenSystemContains = "brief"
        let run = try CompareRun(prompts: prompts, messages: [.user("hi")], options: GenerationOptions())
        let results = await run.run(using: g)
        #expect(results.count == 2)
        #expect(results[0].error?.contains("refused") == true)
        #expect(results[1].error == nil && !results[1].reply.isEmpty)
    }

    @Test func regeneratingOneColumnGivesTheSameReply() async throws {
        let g = ScriptedGenerator()
        let run = try CompareRun(prompts: prompts, messages: [.user("hi")], options: GenerationOptions())
        let all = await run.run(using: g)
        let again = await run.runOne(1, using: g)
        #expect(again == all[1])
    }

    @Test func refusesBadInput() {
        #expect(throws: PromptLabError.noSystemPrompts) { try CompareRun(prompts: [], messages: [.user("x")], options: GenerationOptions()) }
        #expect(throws: ChatError.self) { try CompareRun(prompts: prompts, messages: [.user("x"), .assistant("y")], options: GenerationOptions()) }
        #expect(throws: ChatError.self) { try CompareRun(prompts: prompts, messages: [.assistant("y")], options: GenerationOptions()) }
        var o = GenerationOptions()
        o.temperature = 99
        #expect(throws: ChatError.self) { try CompareRun(prompts: prompts, messages: [.user("x")], options: o) }
    }

    @Test func promptsResolveFromTheLibraryAndText() throws {
        let lib = PromptLibrary(userDirectory: nil)
        let ps = try LabPrompt.resolve(names: ["concise", "none"], texts: ["Say yes."], library: lib)
        #expect(ps.map(\.name) == ["concise", "none", nil])
        #expect(ps[2].label == "\"Say yes.\"")
        #expect(ps[1].text.isEmpty || ps[1].name == "none")
        #expect(LabPrompt(name: nil, text: "  ").label == "(no system prompt)")
        #expect(throws: ChatError.self) { try LabPrompt.resolve(names: ["no-such-prompt"], texts: [], library: lib) }
        #expect(throws: PromptLabError.noSystemPrompts) { try LabPrompt.resolve(names: [], texts: [], library: lib) }
        #expect(try LabPrompt.resolve(names: [], texts: [], library: lib, fallbackNames: ["pirate"]).map(\.name) == ["pirate"])
    }
}
