import ChatCore
import Foundation
import Testing
import TestSupport
@testable import PromptLab

@Suite struct ProbeSuiteLoaderTests {
    @Test func readsATOMLSuite() throws {
        let suite = try ProbeSuiteLoader.parseTOML(#"""
        name = "demo"
        seed = 9
        prompts = ["concise", "pirate"]
        [options]
        max-tokens = 32
        temperature = 0.0
        [[probe]]
        name = "capital"
        message = "Capital of France?"
        contains = "Paris"
        not_contains = ["London", "Berlin"]
        matches = "(?i)paris"
        max_words = 40
        [[probe]]
        messages = ["hi", "hello!", "give json"]
        valid_json = true
        """#, path: "demo.toml")
        #expect(suite.name == "demo")
        #expect(suite.seed == 9)
        #expect(suite.promptNames == ["concise", "pirate"])
        #expect(suite.options == [.maxTokens: "32", .temperature: "0.0"])
        #expect(suite.probes.count == 2)
        #expect(suite.probes[0].checks == [.contains("Paris"), .notContains("London"), .notContains("Berlin"), .matches("(?i)paris"), .maxWords(40)])
        #expect(suite.probes[0].line == 7)
        #expect(suite.probes[1].name == "probe 2")
        #expect(suite.probes[1].messages == [.user("hi"), .assistant("hello!"), .user("give json")])
        #expect(suite.probes[1].checks == [.validJSON])
        let options = try suite.options(over: GenerationOptions())
        #expect(options.maxTokens == 32 && options.temperature == 0 && options.seed == 9)
    }

    @Test func readsTheSameSuiteAsJSON() throws {
        let json = #"""
        {"name": "demo", "seed": 9, "options": {"max-tokens": 32, "temperature": 0.5},
         "probes": [{"name": "capital", "message": "Capital of France?", "contains": ["Paris"], "max_words": 40,
                     "valid_json": false},
                    {"messages": ["a", "b", "c"], "valid_json": true}]}
        """#
        let suite = try ProbeSuiteLoader.parseJSON(Data(json.utf8), path: "demo.json")
        #expect(suite.seed == 9)
        #expect(suite.options == [.maxTokens: "32", .temperature: "0.5"])
        #expect(suite.probes[0].checks == [.contains("Paris"), .maxWords(40)])
        #expect(suite.probes[1].checks == [.validJSON])
        #expect(suite.probes[1].messages.count == 3)
    }

    @Test(arguments: [
        ("colour = 1\n[[probe]]\nmessage = \"x\"", "bad.toml:1: unknown key \"colour\""),
        ("[[probe]]\nmessage = \"x\"\nmax_words = 0", "bad.toml:3: probe: max_words must be a positive integer"),
        ("[[probe]]\nmessage = \"x\"\nmatches = \"(\"", "bad.toml:3: probe: matches: invalid regular expression"),
        ("[[probe]]\nname = \"a\"\n", "bad.toml:1: probe: needs message"),
        ("[[probe]]\nmessages = [\"a\", \"b\"]", "bad.toml:2: probe: messages alternate"),
        ("[[probe]]\nmessage = 3", "bad.toml:2: message must be a string, not an integer"),
        ("[[probe]]\nmessage = \"x\"\nsmell = 1", "bad.toml:3: probe: unknown key \"smell\""),
        ("[options]\ntemperature = 9\n[[probe]]\nmessage = \"x\"", "bad.toml:2: option temperature = 9"),
        ("[options]\nwarmth = 1\n[[probe]]\nmessage = \"x\"", "bad.toml:2: unknown option \"warmth\""),
        ("seed = -1\n[[probe]]\nmessage = \"x\"", "bad.toml:1: seed must be"),
        ("name = \"x\"", "bad.toml: no probes"),
        ("[[probes]]\nmessage = \"x\"", "bad.toml:1: unknown table [[probes]]"),
        ("[[probe]]\nname = \"a\"\nmessage = \"x\"\n[[probe]]\nname = \"a\"\nmessage = \"y\"", "bad.toml:4: two probes are named \"a\""),
    ])
    func badTOMLNamesFileAndLine(text: String, expected: String) {
        do {
            _ = try ProbeSuiteLoader.parseTOML(text, path: "bad.toml")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".hasPrefix("probe file " + expected), "\(error)")
        }
    }

    @Test func badJSONNamesTheProbeOrLine() {
        #expect(throws: PromptLabError.suiteSyntax(path: "b.json", line: 2, message: "not valid JSON")) {
            try ProbeSuiteLoader.parseJSON(Data("{\"probes\": [\n  {\"message\": }]}".utf8), path: "b.json")
        }
        do {
            _ = try ProbeSuiteLoader.parseJSON(Data(#"{"probes": [{"message": "a"}, {"message": "b", "max_words": "ten"}]}"#.utf8), path: "b.json")
            Issue.record("accepted")
        } catch {
            #expect("\(error)" == "probe file b.json: probe 2: max_words must be a positive integer")
        }
    }

    @Test func loadsFromDiskAndReportsMissingFiles() throws {
        let dir = try TestPaths.temporaryDirectory("probes")
        let url = dir.appendingPathComponent("mine.toml")
        try Data("[[probe]]\nmessage = \"hello\"\n".utf8).write(to: url)
        let suite = try ProbeSuiteLoader.load(path: url.path)
        #expect(suite.name == "mine")
        #expect(suite.seed == ProbeSuite.defaultSeed)
        #expect(throws: PromptLabError.self) { try ProbeSuiteLoader.load(path: dir.appendingPathComponent("none.toml").path) }
        try Data([0xFF, 0xFE]).write(to: url)
        #expect(throws: PromptLabError.unreadableSuite(path: url.path, message: "not valid UTF-8")) { try ProbeSuiteLoader.load(path: url.path) }
    }

    @Test func theShippedExampleSuitesParse() throws {
        let dir = TestPaths.repoRoot.appendingPathComponent("prompts/probes")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".toml") || $0.hasSuffix(".json") }
        #expect(!files.isEmpty)
        for f in files {
            let suite = try ProbeSuiteLoader.load(path: dir.appendingPathComponent(f).path)
            #expect(!suite.probes.isEmpty)
        }
    }
}
