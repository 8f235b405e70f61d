import Foundation
import Testing
import TestSupport

/// `llamaterm chat` through the real binary and the real model, in pipe mode.
@Suite struct ChatCommandTests {
    let model = TestPaths.defaultModel.path

    @Test func pipedMessageIsAnsweredOnceAndExitsZero() throws {
        let dir = try TestPaths.temporaryDirectory("chat-piped")
        let r = try runLlamaterm(["chat", "--model", model, "--max-tokens", "24", "--temperature", "0", "--stats"],
                                 stdin: "What is the capital of France?\n",
                                 environment: ["LLAMATERM_DB": dir.appendingPathComponent("c.sqlite").path,
                                               "XDG_CACHE_HOME": dir.appendingPathComponent("cache").path])
        #expect(r.status == 0, "\(r.stderr)")
        let reply = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!reply.isEmpty)
        #expect(r.stdout.hasSuffix("\n"))
        #expect(!r.stdout.contains("<|im_end|>"), "no control tokens in the reply")
        #expect(r.stderr.contains("\nstats: {\"prompt_tokens\": ") || r.stderr.hasPrefix("stats: {\"prompt_tokens\": "), "\(r.stderr)")
        #expect(r.stderr.contains("\"reused_from\": \"none\""), "\(r.stderr)")
    }

    @Test func slashCommandsWorkInPipeMode() throws {
        let dir = try TestPaths.temporaryDirectory("chat")
        let input = """
            /set temperature 0.2
            /set top-p 2
            /prompt concise
            /show prompt
            /prompts
            /system You are a pirate.
            /show prompt
            /stats
            /reset
            /help

            """
        let r = try runLlamaterm(["chat", "--model", model, "--no-save"], stdin: input, environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(r.status == 1, "a bad /set makes the exit status 1")
        #expect(r.stdout.contains("temperature = 0.2\n"))
        #expect(r.stderr.contains("llamaterm: option top-p = 2.0 is out of range (allowed: 0.01 ... 1.0)"))
        #expect(r.stdout.contains("system prompt: concise (Concise)"))
        #expect(r.stdout.contains("<|im_start|>system\nYou are a concise assistant."))
        #expect(r.stdout.contains("<|im_start|>system\nYou are a pirate.<|im_end|>"))
        #expect(r.stdout.contains("* concise "))
        #expect(r.stdout.contains("  llama2-default "))
        #expect(r.stdout.contains("no reply yet"))
        #expect(r.stdout.contains("conversation cleared"))
        #expect(r.stdout.contains("/show prompt"))
        let promptLines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("prompt: ") && $0.hasSuffix(" tokens") }
        #expect(promptLines.count == 2)
    }

    @Test func conflictingSystemFlagsAndBadOptionsAreRefused() throws {
        let r = try runLlamaterm(["chat", "--model", model, "--system", "a", "--prompt-name", "concise"], stdin: "")
        #expect(r.status != 0)
        #expect(r.stderr.contains("use only one of --system, --system-file, --prompt-name"))
        let t = try runLlamaterm(["chat", "--model", model, "--temperature", "hot"], stdin: "")
        #expect(t.status == 1)
        #expect(t.stderr == "llamaterm: option temperature: cannot read \"hot\" (expected a number)\n")
        let p = try runLlamaterm(["chat", "--model", model, "--prompt-name", "nope"], stdin: "")
        #expect(p.status == 1)
        #expect(p.stderr.hasPrefix("llamaterm: no system prompt named \"nope\""))
    }
}
