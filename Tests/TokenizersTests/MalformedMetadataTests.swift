import Foundation
import GGUF
import Testing
import TestSupport
@testable import Tokenizers

/// Bad tokenizer metadata gives a `TokenizerError` naming the key, never a crash.
@Suite struct MalformedMetadataTests {
    /// A small valid byte-level vocabulary: the 256 byte pieces, a few merges, two control tokens.
    static func tinyBPE(pre: String? = "gpt2") -> GGUFMetadata {
        var pieces = (0...255).map { ByteLevel.piece(for: UInt8($0)) }
        pieces += ["he", "ll", "llo", "hello", "Ġw", "or", "Ġwor", "ld", "Ġworld", "xyz", "<|im_end|>", "<|user|>"]
        var m = GGUFMetadata()
        m["tokenizer.ggml.model"] = .string("gpt2")
        if let pre { m["tokenizer.ggml.pre"] = .string(pre) }
        m["tokenizer.ggml.tokens"] = .array(.string, pieces.map { .string($0) })
        var types = [GGUFValue](repeating: .int32(1), count: pieces.count)
        types[pieces.count - 2] = .int32(3)
        types[pieces.count - 1] = .int32(4)
        m["tokenizer.ggml.token_type"] = .array(.int32, types)
        m["tokenizer.ggml.merges"] = .array(.string, ["h e", "l l", "ll o", "he llo", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld", "Ġwor l"].map { .string($0) })
        m["tokenizer.ggml.eos_token_id"] = .uint32(UInt32(pieces.count - 2))
        return m
    }

    static func tinySPM() -> GGUFMetadata {
        let pieces = ["<unk>", "<s>", "</s>", "▁", "a", "b", "▁a", "ab"]
        var m = GGUFMetadata()
        m["tokenizer.ggml.model"] = .string("llama")
        m["tokenizer.ggml.tokens"] = .array(.string, pieces.map { .string($0) })
        m["tokenizer.ggml.scores"] = .array(.float32, [0, 0, 0, -1, -2, -2, -3, -4].map { .float32($0) })
        m["tokenizer.ggml.token_type"] = .array(.int32, [2, 3, 3, 1, 1, 1, 1, 1].map { .int32($0) })
        m["tokenizer.ggml.bos_token_id"] = .uint32(1)
        m["tokenizer.ggml.eos_token_id"] = .uint32(2)
        m["tokenizer.ggml.unknown_token_id"] = .uint32(0)
        return m
    }

    static func error(_ m: GGUFMetadata) -> TokenizerError? {
        do { _ = try Tokenizer(metadata: m); return nil } catch let e as TokenizerError { return e } catch { return nil }
    }

    @Test func tinyVocabulariesWork() throws {
        let bpe = try Tokenizer(metadata: Self.tinyBPE())
        let ids = bpe.encode("hello world")
        #expect(ids.map { bpe.piece($0) } == ["hello", "Ġworld"])
        #expect(bpe.decode(ids) == "hello world")
        #expect(bpe.encode("<|im_end|>").count > 1)
        #expect(bpe.encode("<|im_end|>", parseSpecial: true) == [bpe.eos!])
        // User-defined tokens are cut out of any text, as in the reference.
        #expect(bpe.encode("x<|user|>").last == bpe.id(ofPiece: "<|user|>"))

        let spm = try Tokenizer(metadata: Self.tinySPM())
        #expect(spm.encode("ab a") == [6, 5, 6])  // "▁a" "b" "▁a"
        #expect(spm.decode(spm.encode("ab a")) == "ab a")
        #expect(spm.encode("c") == [3, 0])        // no byte tokens: the unknown token
        #expect(spm.decode([3, 0]) == "\u{2585}")
    }

    @Test func llama3TakesWholeWordsThatAreTokens() throws {
        // Llama 3's reference skips merging when the whole pre-token is a vocabulary entry.
        let llama3 = try Tokenizer(metadata: Self.tinyBPE(pre: "llama-bpe"))
        #expect(llama3.encode("xyz") == [llama3.id(ofPiece: "xyz")!])
        let gpt2 = try Tokenizer(metadata: Self.tinyBPE(pre: "gpt2"))
        #expect(gpt2.encode("xyz").map { gpt2.piece($0) } == ["x", "y", "z"])
        #expect(llama3.encode("hello world").map { llama3.piece($0) } == ["hello", "Ġworld"])
    }

    @Test func unknownPreTokenizerFallsBackWithAWarning() throws {
        let tok = try Tokenizer(metadata: Self.tinyBPE(pre: "not-a-real-pre"), printingWarnings: false)
        #expect(tok.preTokenizerName == "default")
        #expect(tok.warnings.count == 1)
        #expect(tok.warnings.first?.contains("not-a-real-pre") == true)
        #expect(tok.decode(tok.encode("hello world")) == "hello world")
    }

    @Test func missingKeys() {
        for key in ["tokenizer.ggml.model", "tokenizer.ggml.tokens", "tokenizer.ggml.merges"] {
            var m = Self.tinyBPE()
            m[key] = nil
            #expect(Self.error(m) == .missingKey(key))
        }
        var spm = Self.tinySPM()
        spm["tokenizer.ggml.scores"] = nil
        #expect(Self.error(spm) == .missingKey("tokenizer.ggml.scores"))
    }

    @Test func wrongTypesAndLengths() {
        var m = Self.tinyBPE()
        m["tokenizer.ggml.tokens"] = .array(.int32, [.int32(1)])
        #expect(Self.error(m) == .typeMismatch(key: "tokenizer.ggml.tokens", expected: "an array of string", found: "array of int32"))

        m = Self.tinyBPE()
        m["tokenizer.ggml.tokens"] = .array(.string, [])
        #expect(Self.error(m) == .emptyVocabulary)

        m = Self.tinyBPE()
        m["tokenizer.ggml.model"] = .string("bert")
        #expect(Self.error(m) == .unsupportedModel("bert"))

        var s = Self.tinySPM()
        s["tokenizer.ggml.scores"] = .array(.float32, [.float32(0)])
        #expect(Self.error(s) == .lengthMismatch(key: "tokenizer.ggml.scores", expected: 8, found: 1))

        s = Self.tinySPM()
        s["tokenizer.ggml.token_type"] = .array(.int32, [.int32(1), .int32(1)])
        #expect(Self.error(s) == .lengthMismatch(key: "tokenizer.ggml.token_type", expected: 8, found: 2))

        s = Self.tinySPM()
        s["tokenizer.ggml.token_type"] = .array(.int32, [2, 3, 3, 1, 9, 1, 1, 1].map { .int32($0) })
        #expect(Self.error(s) == .invalidTokenType(index: 4, value: 9))

        s = Self.tinySPM()
        s["tokenizer.ggml.add_bos_token"] = .string("yes")
        #expect(Self.error(s) == .typeMismatch(key: "tokenizer.ggml.add_bos_token", expected: "a bool", found: "string"))
    }

    @Test func badMergeLines() {
        for (i, line) in ["hello", "h ", "", " "].enumerated() {
            var m = Self.tinyBPE()
            m["tokenizer.ggml.merges"] = .array(.string, [.string("h e"), .string(line)])
            #expect(Self.error(m) == .invalidMerge(index: 1, line: line), "case \(i)")
        }
        // Merges naming pieces that are not in the vocabulary are ignored, not fatal.
        var m = Self.tinyBPE()
        m["tokenizer.ggml.merges"] = .array(.string, [.string("x yz")])
        #expect(Self.error(m) == nil)
    }

    @Test func idsOutOfRange() {
        var m = Self.tinySPM()
        m["tokenizer.ggml.bos_token_id"] = .uint32(8)
        #expect(Self.error(m) == .tokenIDOutOfRange(key: "tokenizer.ggml.bos_token_id", id: 8, vocabularySize: 8))
        m = Self.tinySPM()
        m["tokenizer.ggml.eos_token_id"] = .int32(-5)
        #expect(Self.error(m) == .tokenIDOutOfRange(key: "tokenizer.ggml.eos_token_id", id: -5, vocabularySize: 8))
        m = Self.tinySPM()
        m["tokenizer.ggml.unknown_token_id"] = .string("0")
        #expect(Self.error(m) == .typeMismatch(key: "tokenizer.ggml.unknown_token_id", expected: "an integer", found: "string"))
        // -1 means "none".
        m = Self.tinySPM()
        m["tokenizer.ggml.eos_token_id"] = .int32(-1)
        #expect(Self.error(m) == nil)
    }

    @Test func errorsNameTheKey() {
        #expect(TokenizerError.missingKey("tokenizer.ggml.tokens").description.contains("tokenizer.ggml.tokens"))
        #expect(TokenizerError.invalidMerge(index: 3, line: "ab").description.contains("tokenizer.ggml.merges[3]"))
        #expect(TokenizerError.lengthMismatch(key: "tokenizer.ggml.scores", expected: 2, found: 1).description.contains("tokenizer.ggml.scores"))
    }

    @Test func outOfRangeIDsAreHarmless() throws {
        let tok = try Tokenizer(metadata: Self.tinySPM())
        #expect(tok.decode([-1, 99, 6]) == "a")
        #expect(tok.piece(-3) == "")
        #expect(!tok.isControl(1000))
    }

    @Test func truncatedGGUFFileIsAnErrorNotACrash() throws {
        var writer = GGUFWriter(metadata: Self.tinyBPE())
        writer.metadata["general.architecture"] = .string("llama")
        let bytes = writer.serialized()
        let dir = try TestPaths.temporaryDirectory("tok")
        for cut in [40, bytes.count / 3, bytes.count / 2] {
            let url = dir.appendingPathComponent("t\(cut).gguf")
            try Data(bytes[..<cut]).write(to: url)
            #expect(throws: (any Error).self) { try Tokenizer(metadata: GGUFFile(path: url.path).metadata) }
        }
    }
}
