import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// Llama 2's SentencePiece vocabulary against llama.cpp's test strings (checked upstream against
/// Meta's SentencePiece).
@Suite struct SentencePieceFixtureTests {
    @Test func vocabularyLoads() throws {
        let tok = try Fixtures.llamaSPM.get()
        #expect(tok.kind == .sentencePiece)
        #expect(tok.vocabularySize == 32000)
        #expect(tok.bos == 1)
        #expect(tok.eos == 2)
        #expect(tok.addsBOS)
        #expect(tok.piece(29871) == "▁")
        #expect(tok.id(ofPiece: "<0x0A>") == 13)
        #expect(tok.isControl(1) && tok.isControl(2) && !tok.isControl(0) && !tok.isControl(15043))
        #expect(tok.endOfTurnTokens.contains(2))
    }

    @Test func everyFixtureStringGivesTheExpectedIDs() throws {
        let tok = try Fixtures.llamaSPM.get()
        let cases = try Fixtures.vocabTests("ggml-vocab-llama-spm.gguf")
        #expect(cases.count == 46)
        for c in cases {
            let got = tok.encode(c.text)
            #expect(got == c.ids, "text \(c.text.debugDescription)")
        }
    }

    @Test func everyFixtureStringRoundTrips() throws {
        let tok = try Fixtures.llamaSPM.get()
        for c in try Fixtures.vocabTests("ggml-vocab-llama-spm.gguf") {
            #expect(Array(tok.decode(tok.encode(c.text)).utf8) == Array(c.text.utf8), "text \(c.text.debugDescription)")
            // Decoding the reference ids gives the string back too.
            #expect(Array(tok.decode(c.ids).utf8) == Array(c.text.utf8), "text \(c.text.debugDescription)")
        }
    }

    @Test func bosOnlyWhenAsked() throws {
        let tok = try Fixtures.llamaSPM.get()
        #expect(tok.encode("Hello world") == [15043, 3186])
        #expect(tok.encode("Hello world", addBOS: true) == [1, 15043, 3186])
        #expect(tok.encode("", addBOS: true) == [1])
        #expect(tok.encode("") == [])
        #expect(tok.decode([1, 15043, 3186, 2]) == "Hello world")
        #expect(tok.decode([3186], droppingDummyPrefix: false) == " world")
        #expect(tok.decode([3186]) == "world")
    }

    @Test func controlTokensOnlyWhenParsingSpecials() throws {
        let tok = try Fixtures.llamaSPM.get()
        let plain = tok.encode("</s> hi <s>")
        #expect(!plain.contains(1) && !plain.contains(2))
        #expect(tok.decode(plain) == "</s> hi <s>")
        let special = tok.encode("</s> hi <s>", parseSpecial: true)
        #expect(special.first == 2)
        #expect(special.last == 1)
        // A typed byte-token name stays text.
        let typed = tok.encode("<0x0A>")
        #expect(!typed.contains(13))
        #expect(tok.decode(typed) == "<0x0A>")
    }

    @Test func literalLowerBlockDecodesAsSpace() throws {
        // SentencePiece cannot tell a typed `▁` from an escaped space: documented exception.
        let tok = try Fixtures.llamaSPM.get()
        #expect(tok.decode(tok.encode("a▁b")) == "a b")
    }

    /// The encoder cuts text before each `▁` that follows another character and caches the
    /// segments; the vocabulary has no mergeable piece spanning such a cut, so the result must be
    /// the same as merging the whole text at once.
    @Test func segmentationChangesNothing() throws {
        let tok = try Fixtures.llamaSPM.get()
        let spm = try #require(tok.sentencePiece)
        #expect(spm.splitsBeforeSpaces)
        var texts = try Fixtures.vocabTests("ggml-vocab-llama-spm.gguf").map(\.text)
        var rng = SeededRandom(seed: 0x5EED_0006)
        for _ in 0..<1000 { texts.append(RandomText.string(&rng, maxLength: 80)) }
        texts.append(String(repeating: "the cat sat on the mat.  ", count: 50))
        for text in texts {
            let escaped = Tokenizer.escape(Array(text.utf8)[...], dummyPrefix: true)
            var segmented: [TokenID] = [], whole: [TokenID] = []
            spm.encode(escaped, into: &segmented)
            spm.encode(escaped, into: &whole, segmented: false)
            #expect(segmented == whole, "text \(text.debugDescription)")
        }
    }
}
