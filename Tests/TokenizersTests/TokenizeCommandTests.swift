import Foundation
import GGUF
import Testing
import TestSupport

/// `llamaterm tokenize` through the real binary.
@Suite struct TokenizeCommandTests {
    let spm = TestPaths.fixture("ggml-vocab-llama-spm.gguf").path

    @Test func printsIDsAsOneJSONLine() throws {
        let r = try runLlamaterm(["tokenize", "--model", TestPaths.defaultModel.path, "Hello, world!"])
        #expect(r.status == 0)
        #expect(r.stdout == "[19556, 28, 905, 17]\n")
    }

    @Test func specialsOnlyWithTheFlag() throws {
        let text = "<|im_start|>user\nHi<|im_end|>\n"
        let plain = try runLlamaterm(["tokenize", "--model", TestPaths.defaultModel.path, text])
        let ids = try JSONDecoder().decode([Int32].self, from: Data(plain.stdout.utf8))
        #expect(!ids.contains(1) && !ids.contains(2))
        let special = try runLlamaterm(["tokenize", "--model", TestPaths.defaultModel.path, "--special", text])
        #expect(special.stdout == "[1, 4093, 198, 26843, 2, 198]\n")
    }

    @Test func bosAndPiecesAndStdin() throws {
        let r = try runLlamaterm(["tokenize", "--model", spm, "--bos", "--pieces", "--stdin"], stdin: "Hello world")
        #expect(r.status == 0)
        #expect(r.stdout == "[1, 15043, 3186]\n[\"<s>\",\"▁Hello\",\"▁world\"]\n")
        // SmolLM2 does not ask for BOS, so --bos adds none.
        let smol = try runLlamaterm(["tokenize", "--model", TestPaths.defaultModel.path, "--bos", "Hello world"])
        #expect(smol.stdout == "[19556, 905]\n")
    }

    @Test func errorsAreOneLine() throws {
        let missing = try runLlamaterm(["tokenize", "--model", "/nonexistent/model.gguf", "x"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("llamaterm: "))
        #expect(missing.stderr.contains("/nonexistent/model.gguf"))
        let nothing = try runLlamaterm(["tokenize", "--model", spm])
        #expect(nothing.status == 1)
        #expect(nothing.stderr == "llamaterm: nothing to tokenize: give TEXT or --stdin\n")
        let notTokenizer = try runLlamaterm(["tokenize", "--model", TestPaths.fixture("quants.json").path, "x"])
        #expect(notTokenizer.status == 1)
        #expect(notTokenizer.stderr.contains("not a GGUF file"))
    }

    @Test func unknownPreTokenizerWarnsOnStderr() throws {
        var writer = GGUFWriter(metadata: MalformedMetadataTests.tinyBPE(pre: "mystery-pre"))
        writer.metadata["general.architecture"] = .string("llama")
        let url = try TestPaths.temporaryDirectory("tok").appendingPathComponent("vocab.gguf")
        try writer.write(to: url)
        let r = try runLlamaterm(["tokenize", "--model", url.path, "--pieces", "hello world"])
        #expect(r.status == 0)
        #expect(r.stderr == "llamaterm: warning: unknown tokenizer.ggml.pre \"mystery-pre\"; falling back to the \"default\" pre-tokenizer\n")
        #expect(r.stdout.hasSuffix("[\"hello\",\"Ġworld\"]\n"))
    }
}
