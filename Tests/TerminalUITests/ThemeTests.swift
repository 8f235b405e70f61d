import Foundation
import Testing
import TestSupport
@testable import TerminalUI

@Suite struct ThemeTests {
    @Test func tomlSubsetParsesSectionsStringsAndComments() throws {
        let doc = try TOMLSubset.parse("""
        name = "x" # comment
        [base]
        fg = "#ff0000"   # red
        count = 3
        label = "a # not a comment \\"q\\""
        """)
        #expect(doc[""]?["name"] == "x")
        #expect(doc["base"]?["fg"] == "#ff0000")
        #expect(doc["base"]?["count"] == "3")
        #expect(doc["base"]?["label"] == "a # not a comment \"q\"")
    }

    @Test func tomlSubsetRejectsBadLinesWithTheirNumber() {
        #expect(throws: ThemeError.syntax(source: "t", line: 2, detail: "expected key = \"value\"")) {
            try TOMLSubset.parse("a = \"1\"\nnonsense", source: "t")
        }
        #expect(throws: ThemeError.self) { try TOMLSubset.parse("a = \"unterminated", source: "t") }
        #expect(throws: ThemeError.self) { try TOMLSubset.parse("[bad", source: "t") }
    }

    @Test func colorsParseAndDegrade() {
        #expect(Color(parsing: "#89b4fa") == .rgb(0x89, 0xb4, 0xfa))
        #expect(Color(parsing: "brightblue") == .ansi(12))
        #expect(Color(parsing: "200") == .indexed(200))
        #expect(Color(parsing: "default") == .terminalDefault)
        #expect(Color(parsing: "#12345") == nil)
        #expect(Color(parsing: "mauve") == nil)
        #expect(Color.rgb(255, 0, 0).reduced(to: .c256) == .indexed(196))
        #expect(Color.rgb(250, 10, 10).reduced(to: .eight) == .ansi(1))
        #expect(Color.rgb(0, 0, 0).reduced(to: .eight) == .ansi(0))
        #expect(Color.ansi(12).reduced(to: .eight) == .ansi(4))
        #expect(Color.rgb(1, 2, 3).reduced(to: .none) == .terminalDefault)
        #expect(Color.rgb(1, 2, 3).reduced(to: .truecolor) == .rgb(1, 2, 3))
    }

    /// The shipped theme files are exactly the built-in copies and all parse.
    @Test func builtinThemesMatchTheFilesAndParse() throws {
        for name in BuiltinThemes.names {
            let url = TestPaths.repoRoot.appendingPathComponent("themes/\(name).toml")
            let file = try String(contentsOf: url, encoding: .utf8)
            #expect(file.trimmingCharacters(in: .newlines) == BuiltinThemes.text(named: name)?.trimmingCharacters(in: .newlines))
            let theme = try ThemeLoader(environment: ["HOME": "/nonexistent"]).load(name)
            #expect(theme.name == name)
            #expect(theme.styles.count == StyleRole.allCases.count, "theme \(name) defines every role")
        }
    }

    @Test func noColorMakesThemesMonochrome() throws {
        let theme = try ThemeLoader(environment: ["HOME": "/nonexistent", "NO_COLOR": "1"]).load("dark")
        for role in StyleRole.allCases {
            #expect(theme[role].fg == .terminalDefault && theme[role].bg == .terminalDefault)
        }
        #expect(theme[.selection].attributes.contains(.reverse))
    }

    @Test func userThemesOverrideAndBadColoursAreReported() throws {
        let dir = try TestPaths.temporaryDirectory("themes")
        let themes = dir.appendingPathComponent("llamaterm/themes")
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        try "name = \"mine\"\n[base]\nfg = \"green\"\n".write(to: themes.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
        try "[accent]\nfg = \"mauve\"\n".write(to: themes.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
        let loader = ThemeLoader(environment: ["XDG_CONFIG_HOME": dir.path])
        let mine = try loader.load("mine")
        #expect(mine[.base].fg == .ansi(2))
        #expect(mine[.accent] == mine[.base])
        #expect(loader.availableNames().contains("mine"))
        #expect(throws: ThemeError.self) { try loader.load("broken") }
        #expect(throws: ThemeError.self) { try loader.load("no-such-theme") }
    }
}
