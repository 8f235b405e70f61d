import Testing
@testable import Inference

@Suite struct StopStringMatcherTests {
    func feed(_ pieces: [String], stops: [String]) -> (String, Bool) {
        var m = StopStringMatcher(stops: stops)
        var out = ""
        for p in pieces {
            let (e, stopped) = m.append(p)
            out += e
            if stopped { return (out, true) }
        }
        return (out + m.flush(), false)
    }

    @Test func neverEmitsTheStopString() {
        #expect(feed(["Hello", " Us", "er:", " more"], stops: ["User:"]) == ("Hello ", true))
        #expect(feed(["abc", "###", "x"], stops: ["###"]) == ("abc", true))
        #expect(feed(["a#", "#b"], stops: ["###"]) == ("a##b", false))
        #expect(feed(["x", "yz"], stops: ["zz", "yz"]) == ("x", true))
        #expect(feed(["plain text"], stops: []) == ("plain text", false))
    }

    @Test func holdsBackOnlyPossiblePrefixes() {
        var m = StopStringMatcher(stops: ["</end>"])
        #expect(m.append("text </e") == ("text ", false))
        #expect(m.append("nd") == ("", false))
        #expect(m.append("x") == ("</endx", false))
    }
}
