import Foundation
import ChatCore
import Testing
@testable import PromptLab

@Suite struct ProbeRunTests {
    @Test func everyProbeUnderEveryPromptWithTheSuiteSeed() async throws {
        let suite = try ProbeSuiteLoader.parseTOML(#"""
        seed = 5
        [options]
        max-tokens = 16
        [[probe]]
        name = "greet"
        message = "hello"
        contains = "reply"
        [[probe]]
        name = "short"
        messages = ["one", "two", "three"]
        max_words = 6
        not_contains = "pirate"
        """#, path: "t.toml")
        let prompts = [LabPrompt(name: "plain", text: "Plain."), LabPrompt(name: "pirate", text: "pirate")]
        let run = try ProbeRun(suite: suite, prompts: prompts)
        #expect(run.options.seed == 5 && run.options.maxTokens == 16)
        let g = ScriptedGenerator()
        let report = await run.run(using: g)
        #expect(g.requests.count == 4)
        #expect(g.requests.allSatisfy { $0.seed == 5 })
        #expect(g.requests.map(\.system) == ["Plain.", "Plain.", "pirate", "pirate"])
        // "[Plain.] reply 3 to three seed 5" has 7 words; the pirate's reply also contains "pirate".
        #expect(report.sections.map(\.passedCount) == [1, 1])
        #expect(!report.allPassed)
        #expect(report.failureCount == 2)
        #expect(report.table == """
            suite suite, seed 5

            == plain: 1/2 passed
            PROBE  RESULT  DETAILS
            greet  pass
            short  FAIL    at most 6 words: 7 words

            == pirate: 1/2 passed
            PROBE  RESULT  DETAILS
            greet  pass
            short  FAIL    at most 6 words: 7 words; not contains "pirate": found

            2 probe runs failed
            """)
    }

    @Test func generationErrorsFailTheProbe() async throws {
        let suite = try ProbeSuiteLoader.parseTOML("[[probe]]\nmessage = \"x\"", path: "t.toml")
        let g = ScriptedGenerator()
        g.failWhenSystemContains = "bad"
        let report = try await ProbeRun(suite: suite, prompts: [LabPrompt(name: "bad", text: "bad")]).run(using: g)
        #expect(!report.allPassed)
        #expect(report.table.contains("probe 1  FAIL    error: generation under system prompt scripted failed: refused"))
    }
}

@Suite struct ReplayTests {
    @Test func replaysEveryUserTurnOnTheNewConversation() async throws {
        let original = Conversation(systemPrompt: "old", messages: [
            .user("u1"), .assistant("a1"), .user("u2"), .assistant("a2"), .user("u3"), .assistant("a3"),
        ])
        var o = GenerationOptions()
        o.seed = 3
        let replay = try Replay(original: original, prompt: LabPrompt(name: "new", text: "NEW"), options: o)
        let g = ScriptedGenerator()
        var turns: [Int] = []
        let result = try await replay.run(using: g, onTurn: { i, c, _ in
            turns.append(i)
            #expect(c.messages.count == 2 * (i + 1))
        })
        #expect(turns == [0, 1, 2])
        #expect(result.replies.count == 3)
        #expect(result.conversation.systemPrompt == "NEW" && result.conversation.systemPromptName == "new")
        #expect(result.conversation.messages.filter { $0.role == .user }.map(\.content) == ["u1", "u2", "u3"])
        // Each request carries the new replies, not the original ones.
        #expect(g.requests[2].messages == [.user("u1"), .assistant(result.replies[0].text), .user("u2"),
                                           .assistant(result.replies[1].text), .user("u3")])
        #expect(!result.conversation.messages.contains(.assistant("a1")))
    }

    @Test func refusesAnEmptyConversationAndReportsTheFailingTurn() async throws {
        #expect(throws: PromptLabError.cannotReplay(conversationId: 4, message: "it has no user messages")) {
            try Replay(original: Conversation(), prompt: LabPrompt(name: nil, text: ""), options: GenerationOptions(), conversationId: 4)
        }
        let g = ScriptedGenerator()
        g.failWhenSystemContains = "X"
        let r = try Replay(original: Conversation(messages: [.user("a")]), prompt: LabPrompt(name: nil, text: "X"), options: GenerationOptions())
        await #expect(throws: PromptLabError.self) { try await r.run(using: g) }
    }
}

@Suite struct FormatterTests {
    let results = [
        CompareResult(prompt: LabPrompt(name: "concise", text: "Be brief."), reply: "Paris is the capital of France.",
                      stats: TurnStats(promptTokens: 5, reusedTokens: 0, generatedTokens: 8, timeToFirstToken: 0, prefillSeconds: 0,
                                       decodeSeconds: 0.5, stopReason: "end of turn", droppedTurns: 0, window: 4096), error: nil),
        CompareResult(prompt: LabPrompt(name: nil, text: "Pirate | talk"), reply: "Arr, 'tis Paris,\nmatey.", stats: nil, error: nil),
    ]

    @Test func sideBySideFitsTheWidth() {
        let text = CompareFormatter.sideBySide(results, seed: 1, width: 43)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.allSatisfy { TextColumns.width(of: $0) <= 43 })
        #expect(lines[0] == "concise              │ \"Pirate | talk\"")
        #expect(lines.contains("Paris is the capital │ Arr, 'tis Paris,"))
        #expect(lines.contains("of France.           │ matey."))
        #expect(lines.contains("8 tokens, 16.0 tok/s │ 0 tokens, 0.0 tok/s"))
        #expect(lines.last == "seed 1")
        // Too narrow for columns: stacked.
        let stacked = CompareFormatter.sideBySide(results, seed: nil, width: 20)
        #expect(!stacked.contains("│"))
    }

    @Test func jsonKeepsTheOrderAndFields() throws {
        let json = CompareFormatter.json(results, seed: 9)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let rows = try #require(object["results"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows[0]["system"] as? String == "Be brief.")
        #expect(rows[0]["prompt_name"] as? String == "concise")
        #expect(rows[0]["tokens"] as? Int == 8)
        #expect(rows[0]["tokens_per_second"] as? Double == 16)
        #expect(rows[1]["prompt_name"] is NSNull)
        #expect(rows[1]["reply"] as? String == "Arr, 'tis Paris,\nmatey.")
        #expect(object["seed"] as? Int == 9)
    }

    @Test func markdownEscapesCells() {
        let md = CompareFormatter.markdown(results, seed: nil)
        #expect(md.split(separator: "\n").map(String.init) == [
            "| system prompt | reply | tokens | tok/s |",
            "| --- | --- | ---: | ---: |",
            "| concise | Paris is the capital of France. | 8 | 16.0 |",
            "| \"Pirate \\| talk\" | Arr, 'tis Paris,<br>matey. | 0 | 0.0 |",
        ])
    }

    @Test func wrapping() {
        #expect(TextColumns.wrap("aaaa bbbb cc", width: 9) == ["aaaa bbbb", "cc"])
        #expect(TextColumns.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextColumns.wrap("a\n\nb", width: 4) == ["a", "", "b"])
        #expect(TextColumns.wrap("日本語です", width: 4) == ["日本", "語で", "す"])
        #expect(TextColumns.pad("日本", to: 5) == "日本 ")
    }
}
