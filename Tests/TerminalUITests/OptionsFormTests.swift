import ChatCore
import Testing
@testable import TerminalUI

@Suite struct OptionsFormTests {
    func select(_ f: inout OptionsForm, _ id: String) {
        _ = f.handle(KeyEvent(.home))
        while f.fields[f.selected].id != id { _ = f.handle(KeyEvent(.down)) }
    }

    @Test func fieldsAreTheChatCoreOptions() {
        let f = OptionsForm()
        #expect(f.fields.map(\.id) == OptionDescriptor.all.map(\.name) + ["theme"])
        #expect(f.values["temperature"] == OptionDescriptor.all.first { $0.key == .temperature }?.defaultText)
    }

    @Test func validatesAsYouTypeAndRefusesBadValues() {
        var f = OptionsForm()
        select(&f, "temperature")
        #expect(f.handle(.char("1")) == .changed)
        #expect(f.values["temperature"] == "1")
        #expect(f.handle(.char("x")) == .handled)
        #expect(f.values["temperature"] == "1")
        #expect(f.error?.contains("not a number") == true)
        _ = f.handle(KeyEvent(.backspace))
        #expect(f.error == nil)
        _ = f.handle(.char("9"))
        #expect(f.error?.contains("out of range (0.0–5.0)") == true)
        #expect(f.values["temperature"] == "1")
        // Every value the form accepts, the chat core accepts too.
        var options = GenerationOptions()
        for (id, value) in f.generationValues {
            #expect(throws: Never.self) { try options.set(OptionKey(name: id), from: value) }
        }
    }

    @Test func rangesAreShownAndChoicesCycle() {
        var f = OptionsForm()
        #expect(f.fields.first { $0.id == "top-k" }?.rangeText == "0–1000000")
        select(&f, "format")
        #expect(f.handle(KeyEvent(.right)) == .changed)
        let choices = PromptFormatName.allCases.map(\.rawValue)
        #expect(f.values["format"] == choices[1])
        #expect(f.handle(KeyEvent(.left)) == .changed)
        #expect(f.handle(KeyEvent(.left)) == .changed)
        #expect(f.values["format"] == choices.last)
    }

    @Test func optionalIntegersAcceptTheirNoneWordAndSetValuesSkipsInvalid() {
        var f = OptionsForm()
        #expect(f.setValues(["seed": "42", "top-k": "-5", "unknown": "1"]) == ["top-k"])
        #expect(f.values["seed"] == "42")
        #expect(f.fields.first { $0.id == "seed" }?.validate("random") == nil)
        #expect(f.fields.first { $0.id == "seed" }?.validate("-3") != nil)
        #expect(f.fields.first { $0.id == "threads" }?.validate("auto") == nil)
        f.reset()
        #expect(f.values["seed"] == "random")
    }
}

@Suite struct ThemeSettingTests {
    @Test func theThemeFieldSwitchesThemesAndIsNotAGenerationOption() {
        var s = AppState()
        _ = reduce(&s, .input(.key(.alt(.char("3")))))
        _ = reduce(&s, .input(.key(KeyEvent(.end))))
        #expect(s.options.selectedField?.id == "theme")
        #expect(reduce(&s, .input(.key(KeyEvent(.right)))) == [.setTheme("light")])
        #expect(s.options.generationValues["theme"] == nil)
        _ = reduce(&s, .input(.key(KeyEvent(.up))))
        #expect(reduce(&s, .input(.key(.ctrl("r")))) == [.saveOptions(s.options.generationValues)])
        #expect(s.options.values["theme"] == "light")
    }
}
