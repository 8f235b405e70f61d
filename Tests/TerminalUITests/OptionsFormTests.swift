import Testing
@testable import TerminalUI

@Suite struct OptionsFormTests {
    @Test func validatesAsYouTypeAndRefusesBadValues() {
        var f = OptionsForm()
        #expect(f.values["temperature"] == "0.7")
        #expect(f.handle(.char("1")) == .changed)
        #expect(f.values["temperature"] == "1")
        #expect(f.handle(.char("x")) == .handled)
        #expect(f.values["temperature"] == "1")
        #expect(f.error?.contains("not a number") == true)
        _ = f.handle(KeyEvent(.backspace))
        #expect(f.error == nil)
        _ = f.handle(.char("9"))
        #expect(f.error?.contains("out of range (0.0–2.0)") == true)
        #expect(f.values["temperature"] == "1")
    }

    @Test func rangesAreShownAndChoicesCycle() {
        var f = OptionsForm()
        #expect(f.fields[1].rangeText == "0–1000")
        while f.fields[f.selected].id != "prompt_format" { _ = f.handle(KeyEvent(.down)) }
        #expect(f.handle(KeyEvent(.right)) == .changed)
        #expect(f.values["prompt_format"] == "llama2")
        #expect(f.handle(KeyEvent(.left)) == .changed)
        #expect(f.handle(KeyEvent(.left)) == .changed)
        #expect(f.values["prompt_format"] == "mistral")
    }

    @Test func seedAcceptsBlankAndSetValuesSkipsInvalid() {
        var f = OptionsForm()
        #expect(f.setValues(["seed": "42", "top_k": "-5", "unknown": "1"]) == ["top_k"])
        #expect(f.values["seed"] == "42")
        #expect(f.values["top_k"] == "40")
        #expect(f.fields.first { $0.id == "seed" }?.validate("") == nil)
        f.reset()
        #expect(f.values["seed"] == "")
    }
}
