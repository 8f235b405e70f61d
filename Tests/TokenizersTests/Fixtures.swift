import Foundation
import GGUF
import TestSupport
import Tokenizers

/// Shared loaders for the tokenizer tests (each loads once per process).
enum Fixtures {
    static let llamaSPM: Result<Tokenizer, Error> = Result {
        try Tokenizer(metadata: GGUFFile(path: TestPaths.fixture("ggml-vocab-llama-spm.gguf").path).metadata)
    }

    static let smolLM2: Result<Tokenizer, Error> = Result {
        try Tokenizer(metadata: GGUFFile(path: TestPaths.defaultModel.path).metadata)
    }

    /// The `.inp` strings (separated by `\n__ggml_vocab_test__\n`; the file ends with a separator)
    /// and the `.out` lines of expected ids.
    static func vocabTests(_ name: String) throws -> [(text: String, ids: [TokenID])] {
        let inp = try String(contentsOf: TestPaths.fixture(name + ".inp"), encoding: .utf8)
        let out = try String(contentsOf: TestPaths.fixture(name + ".out"), encoding: .utf8)
        var texts = inp.components(separatedBy: "\n__ggml_vocab_test__\n")
        if texts.last == "" { texts.removeLast() }
        var lines = out.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard texts.count == lines.count else {
            throw FixtureError(message: "\(name): \(texts.count) strings but \(lines.count) expected lines")
        }
        return zip(texts, lines).map { text, line in
            (text, line.split(separator: " ").compactMap { TokenID($0) })
        }
    }

    /// `reference.json` → `smollm2_tokenize`.
    static func smolLM2Cases() throws -> [(text: String, ids: [TokenID])] {
        let data = try Data(contentsOf: TestPaths.fixture("reference.json"))
        struct Case: Decodable { var text: String; var ids: [TokenID] }
        struct Reference: Decodable { var smollm2_tokenize: [Case] }
        return try JSONDecoder().decode(Reference.self, from: data).smollm2_tokenize.map { ($0.text, $0.ids) }
    }

    struct FixtureError: Error, CustomStringConvertible { var message: String; var description: String { message } }
}
