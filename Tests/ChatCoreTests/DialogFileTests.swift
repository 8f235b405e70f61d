import Foundation
import Testing
@testable import ChatCore

@Suite struct DialogFileTests {
    func parse(_ s: String) throws -> Conversation { try DialogFile.parse(Data(s.utf8), path: "d.json") }

    @Test func readsHuggingFaceDialogs() throws {
        let c = try parse(#"[{"role":"system","content":"S"},{"role":"user","content":"u"},{"role":"assistant","content":"a"},{"role":"user","content":"v"}]"#)
        #expect(c.systemPrompt == "S")
        #expect(c.turns == [Turn(user: "u", assistant: "a"), Turn(user: "v")])
        #expect(try parse(#"[{"role":"user","content":"hi"}]"#).turns == [Turn(user: "hi")])
    }

    @Test func malformedDialogsGiveOneLineErrors() {
        func message(_ s: String) -> String {
            do { _ = try parse(s); return "accepted" } catch { return String(describing: error) }
        }
        #expect(message("{") == "dialog d.json: not valid JSON")
        #expect(message(#"{"role":"user"}"#) == #"dialog d.json: expected a JSON array of {"role", "content"} objects"#)
        #expect(message(#"[{"role":"bot","content":"x"}]"#) == #"dialog d.json: message 1 has role "bot" (expected system, user or assistant)"#)
        #expect(message(#"[{"role":"user"}]"#) == #"dialog d.json: message 1 has no "content" string"#)
        #expect(message(#"[{"role":"user","content":"a"},{"role":"system","content":"s"}]"#) == "dialog d.json: message 2: a system message may only come first")
        #expect(message(#"[{"role":"user","content":"a"},{"role":"user","content":"b"}]"#).hasPrefix("dialog d.json: message 2 is from user, expected assistant"))
        #expect(message(#"[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]"#) == "dialog d.json: the dialog must end with a user message")
        #expect(message("[]") == "dialog d.json: the dialog must end with a user message")
    }
}
