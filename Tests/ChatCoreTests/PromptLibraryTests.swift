import Foundation
import Testing
@testable import ChatCore
import TestSupport

@Suite struct PromptLibraryTests {
    @Test func builtinsMatchThePromptsFolder() throws {
        let folder = TestPaths.repoRoot.appendingPathComponent("prompts")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }
        #expect(files.count == PromptLibrary.builtins.count, "rerun scripts/gen-builtin-prompts")
        for file in files {
            let name = String(file.dropLast(4))
            let contents = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let expected = SystemPrompt(name: name, fileContents: contents, source: .builtin)
            let builtin = try #require(PromptLibrary.builtins.first { $0.name == name }, "\(name) not embedded; rerun scripts/gen-builtin-prompts")
            #expect(builtin == expected, "\(name) differs from prompts/\(file); rerun scripts/gen-builtin-prompts")
        }
        let required = ["llama2-default", "none", "concise", "teacher", "code-reviewer", "json-only"]
        for r in required { #expect(PromptLibrary.builtins.contains { $0.name == r }, "\(r)") }
    }

    @Test func llama2DefaultIsMetasPrompt() throws {
        let data = try Data(contentsOf: TestPaths.fixture("reference.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let dialogs = try #require(json["llama2_chat"] as? [[String: Any]])
        let system = try #require(dialogs.first?["system"] as? String)
        let lib = PromptLibrary(userDirectory: nil)
        #expect(try lib.load(PromptLibrary.llama2DefaultName).text == system)
        #expect(try lib.load("none").text == "")
    }

    @Test func userPromptsAddAndOverride() throws {
        let dir = try TestPaths.temporaryDirectory("prompts")
        let lib = PromptLibrary(userDirectory: dir.appendingPathComponent("llamaterm/prompts"))
        try lib.save(name: "concise", title: "My concise", text: "Be very short.")
        try lib.save(name: "haiku", title: "Haiku", text: "Answer in a haiku.\nAlways.")
        #expect(try lib.load("concise") == SystemPrompt(name: "concise", title: "My concise", text: "Be very short.", source: .user))
        #expect(try lib.load("haiku").text == "Answer in a haiku.\nAlways.")
        let listing = lib.list()
        #expect(listing.problems.isEmpty)
        let names = listing.prompts.map(\.name)
        #expect(names.filter { $0 == "concise" }.count == 1)
        #expect(names.last == "haiku")
        #expect(listing.prompts.first { $0.name == "concise" }?.source == .user)
        try lib.delete("concise")
        #expect(try lib.load("concise").source == .builtin)
        #expect(throws: ChatError.self) { try lib.delete("llama2-default") }
    }

    @Test func badNamesAndFilesGiveClearErrors() throws {
        let dir = try TestPaths.temporaryDirectory("prompts")
        let lib = PromptLibrary(userDirectory: dir)
        #expect(throws: ChatError.invalidPromptName("../evil")) { try lib.save(name: "../evil", title: "x", text: "y") }
        #expect(throws: ChatError.invalidPromptName(".hidden")) { try lib.save(name: ".hidden", title: "x", text: "y") }
        try Data([0x54, 0x0A, 0xFF, 0xFE]).write(to: dir.appendingPathComponent("broken.txt"))
        let listing = lib.list()
        #expect(listing.problems.count == 1)
        #expect(String(describing: listing.problems[0]).contains("not valid UTF-8"))
        #expect(!listing.prompts.contains { $0.name == "broken" })
        do { _ = try lib.load("nope"); Issue.record("loaded a missing prompt") } catch let e as ChatError {
            #expect(String(describing: e).hasPrefix("no system prompt named \"nope\" (available: llama2-default, none"))
        }
    }

    @Test func userFolderFollowsXDG() {
        #expect(PromptLibrary.defaultUserDirectory(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/h"]).path == "/x/cfg/llamaterm/prompts")
        #expect(PromptLibrary.defaultUserDirectory(environment: ["HOME": "/h"]).path == "/h/.config/llamaterm/prompts")
    }
}
