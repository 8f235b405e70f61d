import Testing
@testable import Tokenizers

/// The hand-written scanners against the regexes they replace (expected values from Python's
/// `regex` module, see `PreTokenizerCases.swift`).
@Suite struct PreTokenizerTests {
    @Test(arguments: ["default", "gpt2", "llama-bpe", "qwen2", "smollm"])
    func scannersMatchTheRegexes(style: String) throws {
        let pre = try #require(PreTokenizer(rawValue: style))
        #expect(preTokenizerCases.count > 70)
        for (text, expected) in preTokenizerCases {
            let want = try #require(expected[style])
            let got = pre.pieces(text)
            #expect(got.map { Array($0.unicodeScalars) } == want.map { Array($0.unicodeScalars) }, "\(style) \(text.debugDescription)")
        }
    }

    @Test func namesMapToStylesWithWarningsForUnknownOrMissing() {
        #expect(PreTokenizer.named("smollm").0 == .smollm)
        #expect(PreTokenizer.named("llama-bpe").0 == .llama3)
        #expect(PreTokenizer.named("qwen2").0 == .qwen2)
        #expect(PreTokenizer.named("gpt-2").0 == .gpt2)
        #expect(PreTokenizer.named("default").1 == nil)
        let unknown = PreTokenizer.named("brand-new")
        #expect(unknown.0 == .llamaCppDefault)
        #expect(unknown.1?.contains("brand-new") == true)
        #expect(PreTokenizer.named(nil).1 != nil)
    }

    @Test func splitsCoverTheTextExactly() {
        let text = "It's 2024!\n\n  Ünïcödé — 日本語 🦙🦙 x\u{00A0}y\t\tz"
        for style in [PreTokenizer.llamaCppDefault, .gpt2, .llama3, .qwen2, .smollm] {
            let parts = style.pieces(text)
            #expect(parts.joined() == text)
            #expect(parts.allSatisfy { !$0.isEmpty })
        }
    }
}
