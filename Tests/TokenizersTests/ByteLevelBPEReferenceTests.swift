import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// SmolLM2's byte-level BPE (pre-tokenizer `smollm`) against llama.cpp's `/tokenize` output.
@Suite struct ByteLevelBPEReferenceTests {
    @Test func vocabularyLoads() throws {
        let tok = try Fixtures.smolLM2.get()
        #expect(tok.kind == .byteLevelBPE)
        #expect(tok.vocabularySize == 49152)
        #expect(tok.preTokenizerName == "smollm")
        #expect(tok.warnings.isEmpty)
        #expect(!tok.addsBOS)
        #expect(tok.bos == 1 && tok.eos == 2)
        #expect(tok.piece(2) == "<|im_end|>")
        #expect(tok.isControl(2) && !tok.isControl(19556))
        #expect(tok.endOfTurnTokens.isSuperset(of: [0, 2]))
        #expect(!tok.endOfTurnTokens.contains(1))
    }

    @Test func referenceStringsGiveTheExpectedIDs() throws {
        let tok = try Fixtures.smolLM2.get()
        let cases = try Fixtures.smolLM2Cases()
        #expect(cases.count == 10)
        for c in cases {
            #expect(tok.encode(c.text, parseSpecial: true) == c.ids, "text \(c.text.debugDescription)")
        }
    }

    @Test func referenceStringsRoundTrip() throws {
        let tok = try Fixtures.smolLM2.get()
        for c in try Fixtures.smolLM2Cases() {
            #expect(Array(tok.decode(c.ids).utf8) == Array(c.text.utf8), "text \(c.text.debugDescription)")
            #expect(Array(tok.decode(tok.encode(c.text)).utf8) == Array(c.text.utf8), "text \(c.text.debugDescription)")
        }
    }

    @Test func userTextNeverBecomesControlTokens() throws {
        let tok = try Fixtures.smolLM2.get()
        let text = "<|im_start|>user\nHi<|im_end|></s><|endoftext|>"
        let plain = tok.encode(text)
        #expect(plain.allSatisfy { !tok.isControl($0) })
        #expect(tok.decode(plain) == text)
        let special = tok.encode(text, parseSpecial: true)
        #expect(special.first == 1)
        #expect(special.last == 0)
        #expect(tok.decode(special) == text)
    }

    @Test func spmFixtureStringsRoundTripThroughBPE() throws {
        let tok = try Fixtures.smolLM2.get()
        for c in try Fixtures.vocabTests("ggml-vocab-llama-spm.gguf") {
            #expect(Array(tok.decode(tok.encode(c.text)).utf8) == Array(c.text.utf8), "text \(c.text.debugDescription)")
        }
    }
}
