import ArgumentParser
import Foundation
import GGUF
import Tokenizers

/// `llamaterm tokenize [--model PATH] [--special] [--bos] [--stdin] [--pieces] [TEXT]`: the token
/// ids of a text as one JSON array on one line (and with `--pieces`, the pieces on a second line).
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text as a JSON array."
    )

    @Option(help: "The GGUF model whose vocabulary to use (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Flag(help: "Parse control tokens written in the text (<|im_start|>, </s>); otherwise they are plain text.")
    var special = false

    @Flag(help: "Start with BOS when the vocabulary asks for it (tokenizer.ggml.add_bos_token).")
    var bos = false

    @Flag(help: "Read the text from standard input instead of the argument.")
    var stdin = false

    @Flag(help: "Also print the vocabulary pieces, as a JSON array on a second line.")
    var pieces = false

    @Argument(help: "The text to tokenize.")
    var text: String?

    func run() async throws {
        try CLIErrors.report {
            let input: String
            switch (stdin, text) {
            case (true, nil):
                input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            case (false, let t?):
                input = t
            case (true, _?):
                throw ValidationError("give either TEXT or --stdin, not both")
            case (false, nil):
                throw ValidationError("nothing to tokenize: give TEXT or --stdin")
            }
            let path = model ?? ModelLocator.defaultModelPath()
            let tokenizer = try Tokenizer(metadata: GGUFFile(path: path).metadata)
            let ids = tokenizer.encode(input, addBOS: bos && tokenizer.addsBOS, parseSpecial: special)
            var out = Self.jsonArray(ids)
            if pieces {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.withoutEscapingSlashes]
                out.append(contentsOf: try encoder.encode(ids.map { tokenizer.piece($0) }))
                out.append(0x0A)
            }
            FileHandle.standardOutput.write(Data(out))
        }
    }

    /// `[1, 2, 3]` and a newline, written digit by digit (a megabyte of text has ~300k ids).
    static func jsonArray(_ ids: [Int32]) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        out.reserveCapacity(ids.count * 8 + 3)
        var digits = [UInt8](repeating: 0, count: 12)
        for (k, id) in ids.enumerated() {
            if k > 0 { out.append(0x2C); out.append(0x20) }
            var v = Int64(id)
            if v < 0 { out.append(0x2D); v = -v }
            var n = 0
            repeat { digits[n] = UInt8(v % 10) + 0x30; v /= 10; n += 1 } while v > 0
            while n > 0 { n -= 1; out.append(digits[n]) }
        }
        out.append(0x5D)
        out.append(0x0A)
        return out
    }
}
