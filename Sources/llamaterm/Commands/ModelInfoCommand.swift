import ArgumentParser
import ChatCore
import Foundation
import GGUF

/// `llamaterm model info [PATH] [--json]`: what a GGUF model file holds.
struct ModelInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a model's architecture, size, tokenizer and chat template."
    )

    @Argument(help: "The GGUF file (default: LLAMATERM_MODEL or the default model).")
    var path: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let modelPath = path ?? ModelLocator.defaultModelPath()
        try CLIErrors.report {
            let file = try GGUFFile(path: modelPath)
            let info = ModelSummary(file: file, path: modelPath)
            if json { print(try info.jsonString()) } else { print(info.text()) }
        }
    }
}

/// What `model info` reports about a file.
struct ModelSummary: Encodable {
    var path: String
    var architecture: String
    var name: String?
    var parameter_count: Int
    var block_count: Int?
    var embedding_length: Int?
    var feed_forward_length: Int?
    var head_count: Int?
    var head_count_kv: Int?
    var context_length: Int?
    var vocab_size: Int?
    var tokenizer: String?
    var tokenizer_pre: String?
    var tensor_types: [String: Int]
    var file_size: Int
    var gguf_version: Int
    var chat_format: String?
    var chat_template: String?

    init(file: GGUFFile, path: String) {
        let m = file.metadata
        let arch = m.string("general.architecture") ?? "unknown"
        self.path = path
        architecture = arch
        name = m.string("general.name")
        parameter_count = file.tensors.reduce(0) { $0 + $1.elementCount }
        block_count = m.int("\(arch).block_count")
        embedding_length = m.int("\(arch).embedding_length")
        feed_forward_length = m.int("\(arch).feed_forward_length")
        head_count = m.int("\(arch).attention.head_count")
        head_count_kv = m.int("\(arch).attention.head_count_kv") ?? head_count
        context_length = m.int("\(arch).context_length")
        vocab_size = m.array("tokenizer.ggml.tokens")?.count ?? m.int("\(arch).vocab_size")
        tokenizer = m.string("tokenizer.ggml.model")
        tokenizer_pre = m.string("tokenizer.ggml.pre")
        var types: [String: Int] = [:]
        for t in file.tensors { types[t.type.name, default: 0] += 1 }
        tensor_types = types
        file_size = file.fileSize
        gguf_version = Int(file.version)
        chat_template = m.string("tokenizer.chat_template")
        chat_format = chat_template.flatMap { ChatTemplateDetector.detect($0) }
    }

    func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text() -> String {
        func n(_ v: Int?) -> String { v.map(String.init) ?? "?" }
        let tokenizerKind: String
        switch tokenizer {
        case "llama": tokenizerKind = "SentencePiece BPE (llama)"
        case "gpt2": tokenizerKind = "byte-level BPE (gpt2\(tokenizer_pre.map { ", pre \($0)" } ?? ""))"
        case let other?: tokenizerKind = other
        case nil: tokenizerKind = "none"
        }
        let histogram = tensor_types.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        var lines = [
            "file:           \(path)",
            "name:           \(name ?? "?")",
            "architecture:   \(architecture)",
            "parameters:     \(Self.human(parameter_count)) (\(parameter_count))",
            "layers:         \(n(block_count))",
            "embedding:      \(n(embedding_length)) (feed-forward \(n(feed_forward_length)))",
            "heads:          \(n(head_count)) (KV heads \(n(head_count_kv)))",
            "context:        \(n(context_length)) tokens",
            "vocabulary:     \(n(vocab_size)) tokens, \(tokenizerKind)",
            "tensor types:   \(histogram)",
            "file size:      \(Self.bytes(file_size)) (GGUF v\(gguf_version))",
            "chat format:    \(chat_format ?? (chat_template == nil ? "no template in file" : "unknown template"))",
        ]
        if let chat_template { lines.append("chat template:\n\(chat_template)") }
        return lines.joined(separator: "\n")
    }

    static func human(_ n: Int) -> String {
        let d = Double(n)
        if d >= 1e9 { return String(format: "%.2fB", d / 1e9) }
        if d >= 1e6 { return String(format: "%.1fM", d / 1e6) }
        if d >= 1e3 { return String(format: "%.1fK", d / 1e3) }
        return "\(n)"
    }

    static func bytes(_ n: Int) -> String {
        let d = Double(n)
        if n >= 1 << 30 { return String(format: "%.2f GiB", d / Double(1 << 30)) }
        if n >= 1 << 20 { return String(format: "%.1f MiB", d / Double(1 << 20)) }
        return "\(n) bytes"
    }
}
