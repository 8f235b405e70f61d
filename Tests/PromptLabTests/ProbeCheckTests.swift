import Testing
@testable import PromptLab

@Suite struct ProbeCheckTests {
    @Test func containsIsCaseInsensitive() {
        #expect(ProbeCheck.contains("paris").evaluate("The capital is Paris.").passed)
        #expect(!ProbeCheck.contains("Rome").evaluate("The capital is Paris.").passed)
        #expect(ProbeCheck.contains("Rome").evaluate("Paris").detail == "not found")
        #expect(ProbeCheck.notContains("rome").evaluate("Paris").passed)
        #expect(!ProbeCheck.notContains("PARIS").evaluate("paris").passed)
    }

    @Test func regexAndWords() {
        #expect(ProbeCheck.matches("^[0-9]+$").evaluate("42").passed)
        #expect(!ProbeCheck.matches("^[0-9]+$").evaluate("forty-two").passed)
        #expect(ProbeCheck.matches("(?i)arr+").evaluate("ARRR matey").passed)
        #expect(!ProbeCheck.matches("(").evaluate("x").passed)
        #expect(ProbeCheck.maxWords(3).evaluate(" one  two\nthree ").passed)
        let four = ProbeCheck.maxWords(3).evaluate("one two three four")
        #expect(!four.passed && four.detail == "4 words")
        #expect(ProbeCheck.wordCount("") == 0)
    }

    @Test func validJSON() {
        #expect(ProbeCheck.validJSON.evaluate(" {\"a\": [1, 2]}\n").passed)
        #expect(ProbeCheck.validJSON.evaluate("```json\n{\"a\": 1}\n```").passed)
        #expect(ProbeCheck.validJSON.evaluate("42").passed)
        #expect(!ProbeCheck.validJSON.evaluate("Sure! {\"a\": 1}").passed)
        #expect(!ProbeCheck.validJSON.evaluate("").passed)
        #expect(!ProbeCheck.validJSON.evaluate("{\"a\": }").passed)
    }

    @Test func labels() {
        #expect(ProbeCheck.contains("x").label == "contains \"x\"")
        #expect(ProbeCheck.maxWords(5).label == "at most 5 words")
        #expect(ProbeCheck.matches("a+").label == "matches /a+/")
    }
}
