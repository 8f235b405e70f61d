import Testing
@testable import Tokenizers

/// SplitMix64: a small seeded generator so every run tests the same strings.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random text of the kinds a chat sees: several scripts, emoji (with modifiers and joiners),
/// combining marks, whitespace runs, digits, punctuation, control characters, and strings made
/// from random bytes (invalid UTF-8 becomes U+FFFD through `String(decoding:as:)`).
enum RandomText {
    static let ranges: [ClosedRange<UInt32>] = [
        0x20...0x7E, 0x20...0x7E, 0x20...0x7E,      // ASCII, most common
        0x00...0x1F,                                  // C0 controls incl. \t \n \r
        0xA0...0xFF, 0x100...0x17F,                   // Latin-1, Latin Extended-A
        0x300...0x36F,                                // combining marks
        0x391...0x3C9, 0x410...0x44F,                 // Greek, Cyrillic
        0x5D0...0x5EA, 0x620...0x64A,                 // Hebrew, Arabic
        0x900...0x97F, 0xE00...0xE5B,                 // Devanagari, Thai
        0x2000...0x206F,                              // general punctuation, odd spaces, ZWJ
        0x3040...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7A3,  // kana, CJK, Hangul
        0xFF00...0xFFEF,                              // full-width forms
        0x1F300...0x1FAFF, 0x1F3FB...0x1F3FF,         // emoji, skin tones
        0x20000...0x2A6DF,                            // CJK extension B
    ]

    static func string(_ rng: inout SeededRandom, maxLength: Int = 40, excluding: Set<UInt32> = []) -> String {
        switch rng.next() % 8 {
        case 0:
            // Random bytes: invalid sequences become U+FFFD.
            let n = Int(rng.next() % UInt64(maxLength + 1))
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            return String(decoding: bytes, as: UTF8.self)
        case 1:
            // Whitespace runs between words.
            var s = ""
            for _ in 0..<Int(rng.next() % 8) {
                s += ["word", "Ünï", "日本", "🦙", "3.14", "'s", "</s>", "<|im_end|>"][Int(rng.next() % 8)]
                s += String(repeating: [" ", "\t", "\n", "\r\n", "\u{00A0}", "\u{3000}"][Int(rng.next() % 6)], count: Int(rng.next() % 5))
            }
            return s
        default:
            let n = Int(rng.next() % UInt64(maxLength + 1))
            var view = String.UnicodeScalarView()
            while view.count < n {
                let r = ranges[Int(rng.next() % UInt64(ranges.count))]
                let v = r.lowerBound + UInt32(rng.next() % UInt64(r.upperBound - r.lowerBound + 1))
                guard let u = Unicode.Scalar(v), !excluding.contains(v) else { continue }
                view.append(u)
            }
            return String(view)
        }
    }
}

@Suite struct RoundTripPropertyTests {
    @Test func sentencePieceRoundTripsRandomText() throws {
        let tok = try Fixtures.llamaSPM.get()
        var rng = SeededRandom(seed: 0x5EED_0001)
        var failures = 0
        for _ in 0..<3000 {
            // U+2581 is SentencePiece's space marker: it decodes as a space (documented exception).
            let s = RandomText.string(&rng, excluding: [0x2581])
            let ids = tok.encode(s)
            #expect(ids.allSatisfy { $0 >= 0 && Int($0) < tok.vocabularySize })
            if Array(tok.decode(ids).utf8) != Array(s.utf8) {
                failures += 1
                if failures <= 5 { Issue.record("round trip failed for \(s.debugDescription): \(ids)") }
            }
        }
        #expect(failures == 0)
    }

    /// Bytes the byte-level vocabulary cannot spell (SmolLM2 lacks six C0 controls such as U+0004,
    /// and bytes that never occur in UTF-8): the reference drops them, so text with them cannot
    /// round-trip. Random text is cleaned of them; `unspellableBytesAreDropped` pins the behaviour.
    static func spellable(_ s: String, _ tok: Tokenizer) -> String {
        var missing = Set<UInt8>()
        for b in 0...255 where tok.id(ofPiece: ByteLevel.piece(for: UInt8(b))) == nil { missing.insert(UInt8(b)) }
        var view = String.UnicodeScalarView()
        for u in s.unicodeScalars where !String(u).utf8.contains(where: missing.contains) { view.append(u) }
        return String(view)
    }

    @Test func unspellableBytesAreDropped() throws {
        let tok = try Fixtures.smolLM2.get()
        #expect(tok.id(ofPiece: ByteLevel.piece(for: 0x04)) == nil)
        #expect(tok.decode(tok.encode("a\u{04}b")) == "ab")
        #expect(Self.spellable("a\u{04}b\u{13}", tok) == "ab")
    }

    @Test func byteLevelBPERoundTripsRandomText() throws {
        let tok = try Fixtures.smolLM2.get()
        var rng = SeededRandom(seed: 0x5EED_0002)
        var failures = 0
        for _ in 0..<3000 {
            let s = Self.spellable(RandomText.string(&rng), tok)
            let ids = tok.encode(s)
            #expect(ids.allSatisfy { $0 >= 0 && Int($0) < tok.vocabularySize && !tok.isControl($0) })
            if Array(tok.decode(ids).utf8) != Array(s.utf8) {
                failures += 1
                if failures <= 5 { Issue.record("round trip failed for \(s.debugDescription): \(ids)") }
            }
        }
        #expect(failures == 0)
    }

    @Test func parsingSpecialsNeverCrashesAndStillRoundTrips() throws {
        // Control tokens render as their text in BPE, so even with specials parsed the text comes back.
        let tok = try Fixtures.smolLM2.get()
        var rng = SeededRandom(seed: 0x5EED_0003)
        for _ in 0..<500 {
            let s = Self.spellable(RandomText.string(&rng), tok)
            #expect(Array(tok.decode(tok.encode(s, parseSpecial: true)).utf8) == Array(s.utf8))
        }
        let spm = try Fixtures.llamaSPM.get()
        for _ in 0..<500 {
            _ = spm.encode(RandomText.string(&rng), addBOS: true, parseSpecial: true)
        }
    }

    @Test func decodingRandomIDsNeverCrashes() throws {
        var rng = SeededRandom(seed: 0x5EED_0004)
        for tok in [try Fixtures.llamaSPM.get(), try Fixtures.smolLM2.get()] {
            for _ in 0..<300 {
                let ids = (0..<Int(rng.next() % 30)).map { _ in TokenID(truncatingIfNeeded: Int64(rng.next() % UInt64(tok.vocabularySize + 20)) - 10) }
                let text = tok.decode(ids)
                var stream = StreamingDetokenizer(tokenizer: tok)
                var streamed = ""
                for id in ids { streamed += stream.append(id) }
                streamed += stream.finish()
                #expect(Array(streamed.utf8) == Array(text.utf8))
            }
        }
    }
}
