import Testing
@testable import Tokenizers

@Suite struct StreamingDetokenizerTests {
    @Test func emojiSplitOverByteTokensComesOutWhole() throws {
        let tok = try Fixtures.llamaSPM.get()
        let ids = tok.encode("🦙")
        #expect(ids == [29871, 243, 162, 169, 156])
        var stream = StreamingDetokenizer(tokenizer: tok)
        let outputs = ids.map { stream.append($0) }
        #expect(outputs == ["", "", "", "", "🦙"])
        #expect(stream.finish() == "")
    }

    @Test func leadingSpaceOfTheReplyIsDroppedOnlyOnce() throws {
        let tok = try Fixtures.llamaSPM.get()
        var stream = StreamingDetokenizer(tokenizer: tok)
        // "▁Hello" "▁world"
        #expect(stream.append(15043) == "Hello")
        #expect(stream.append(3186) == " world")
        var keep = StreamingDetokenizer(tokenizer: tok, stripLeadingSpace: false)
        #expect(keep.append(15043) == " Hello")
        // BOS renders nothing and does not count as the first piece.
        var afterBOS = StreamingDetokenizer(tokenizer: tok)
        #expect(afterBOS.append(1) == "")
        #expect(afterBOS.append(15043) == "Hello")
    }

    @Test func byteLevelSpacesAreKept() throws {
        let tok = try Fixtures.smolLM2.get()
        var stream = StreamingDetokenizer(tokenizer: tok)
        let ids = tok.encode(" Hello 🦙!")
        var text = ""
        for id in ids { text += stream.append(id) }
        text += stream.finish()
        #expect(text == " Hello 🦙!")
    }

    @Test func unfinishedCharacterAtTheEndBecomesReplacement() throws {
        let tok = try Fixtures.llamaSPM.get()
        var stream = StreamingDetokenizer(tokenizer: tok)
        #expect(stream.append(243) == "")   // <0xF0>
        #expect(stream.append(162) == "")   // <0x9F>
        #expect(stream.finish() == "\u{FFFD}")
        #expect(tok.decode([243, 162]) == "\u{FFFD}")
    }

    @Test func streamEqualsDecodeForRandomText() throws {
        var rng = SeededRandom(seed: 0x5EED_0005)
        for tok in [try Fixtures.llamaSPM.get(), try Fixtures.smolLM2.get()] {
            for _ in 0..<1000 {
                let ids = tok.encode(RandomText.string(&rng))
                var stream = StreamingDetokenizer(tokenizer: tok)
                var pieces: [String] = []
                for id in ids { pieces.append(stream.append(id)) }
                pieces.append(stream.finish())
                #expect(Array(pieces.joined().utf8) == Array(tok.decode(ids).utf8))
                // Valid input never yields a replacement character mid-stream.
                #expect(pieces.allSatisfy { !$0.unicodeScalars.contains("\u{FFFD}") } || tok.decode(ids).contains("\u{FFFD}"))
            }
        }
    }

    @Test func completePrefixHoldsOnlyPossiblyValidTails() {
        #expect(StreamingDetokenizer.completePrefix([0x41, 0xF0, 0x9F]) == 1)
        #expect(StreamingDetokenizer.completePrefix([0x41, 0xF0, 0x9F, 0xA6, 0x99]) == 5)
        #expect(StreamingDetokenizer.completePrefix([0x41, 0xE0, 0x80]) == 3)  // E0 80 can never be valid
        #expect(StreamingDetokenizer.completePrefix([0x80, 0x80]) == 2)
        #expect(StreamingDetokenizer.completePrefix([0xC3]) == 0)
        #expect(StreamingDetokenizer.completePrefix([0xFF]) == 1)
    }
}
