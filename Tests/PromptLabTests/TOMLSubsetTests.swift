import Testing
@testable import PromptLab

@Suite struct TOMLSubsetTests {
    @Test func readsTablesArraysAndValues() throws {
        let text = #"""
        # a comment
        name = "basics" # trailing comment
        seed = 7
        ratio = 0.5
        flag = true
        list = [
          "a",  # inside
          'lit\n',
        ]

        [options]
        max-tokens = 1_000

        [[probe]]
        message = """
        line one
        line "two"\
           joined"""
        [[probe]]
        message = "esc \"q\" \u00e9 \t"
        """#
        let doc = try TOMLSubset.parse(text, path: "x.toml")
        #expect(doc.root.entry("name")?.value == .string("basics"))
        #expect(doc.root.entry("seed")?.value == .integer(7))
        #expect(doc.root.entry("seed")?.line == 3)
        #expect(doc.root.entry("ratio")?.value == .float(0.5))
        #expect(doc.root.entry("flag")?.value == .bool(true))
        #expect(doc.root.entry("list")?.value == .array([.string("a"), .string("lit\\n")]))
        #expect(doc.tables["options"]?.entry("max-tokens")?.value == .integer(1000))
        let probes = try #require(doc.tableArrays["probe"])
        #expect(probes.count == 2)
        #expect(probes[0].line == 14)
        #expect(probes[0].entry("message")?.value == .string("line one\nline \"two\"joined"))
        #expect(probes[1].entry("message")?.value == .string("esc \"q\" é \t"))
        #expect(probes[1].line == 19)
    }

    @Test(arguments: [
        ("a = \"open\nb = 1", 1, "unterminated string"),
        ("a = 1\nb = [1, 2", 2, "unterminated array"),
        ("a = 1\n\nb = hello", 3, "strings need quotes"),
        ("a = 1\na = 2", 2, "set twice"),
        ("[t]\nx = 1\n[t]", 3, "defined twice"),
        ("a.b = 1", 1, "dotted keys"),
        ("a = {x = 1}", 1, "inline tables"),
        ("a = 1 b = 2", 1, "one key = value per line"),
        ("a = \"\\q\"", 1, "unknown escape"),
        ("x = 1\n[[p]\n", 2, "expected ]]"),
        ("= 3", 1, "where a key should be"),
        ("m = \"\"\"\nnever closed\n", 1, "missing \"\"\""),
    ])
    func refusesWithTheLine(text: String, line: Int, fragment: String) {
        do {
            _ = try TOMLSubset.parse(text, path: "bad.toml")
            Issue.record("parsed \(text)")
        } catch let e as PromptLabError {
            #expect(e.description.hasPrefix("probe file bad.toml:\(line): "), "\(e)")
            #expect(e.description.contains(fragment), "\(e)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
