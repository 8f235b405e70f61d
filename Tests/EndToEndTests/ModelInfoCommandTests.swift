import Foundation
import Testing
import GGUF
import TestSupport

/// `llamaterm model info` through the real binary.
@Suite struct ModelInfoCommandTests {
    @Test func defaultModelJSON() throws {
        let r = try runLlamaterm(["model", "info", "--json", TestPaths.defaultModel.path])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["architecture"] as? String == "llama")
        #expect(obj["block_count"] as? Int == 30)
        #expect(obj["embedding_length"] as? Int == 576)
        #expect(obj["head_count"] as? Int == 9)
        #expect(obj["head_count_kv"] as? Int == 3)
        #expect(obj["context_length"] as? Int == 8192)
        #expect(obj["vocab_size"] as? Int == 49152)
        #expect(obj["tokenizer"] as? String == "gpt2")
        #expect(obj["tensor_types"] as? [String: Int] == ["Q4_1": 210, "F32": 61, "Q8_0": 1])
    }

    @Test func textOutputNamesTheEssentials() throws {
        let r = try runLlamaterm(["model", "info", TestPaths.defaultModel.path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("architecture:   llama"))
        #expect(r.stdout.contains("210 Q4_1, 61 F32, 1 Q8_0"))
        #expect(r.stdout.contains("chatml"))
    }

    /// Each corruption: exit status 1 and exactly one line on stderr, never a trap.
    @Test(arguments: ["magic", "truncated", "hugeCount", "pastEnd", "alignment", "missing", "directory"])
    func corruptFilesGiveOneLine(fault: String) throws {
        let dir = try TestPaths.temporaryDirectory("info")
        var meta = GGUFMetadata()
        meta["general.architecture"] = .string("llama")
        var w = GGUFWriter(metadata: meta)
        try w.addTensor(name: "blk.0.attn_q.weight", dimensions: [8, 8], floats: Array(repeating: 0.5, count: 64))
        var b = w.serialized()
        var path = dir.appendingPathComponent("bad.gguf").path
        switch fault {
        case "magic": b[0] = 0x50; b[1] = 0x4B
        case "truncated": b = Array(b[..<40])
        case "hugeCount": for i in 16..<24 { b[i] = 0xFF }
        case "pastEnd": b = Array(b[..<(b.count - 8)])
        case "alignment":
            meta["general.alignment"] = .uint32(48)
            b = GGUFWriter(metadata: meta).serialized()
        case "missing": path = dir.appendingPathComponent("nope.gguf").path
        default: path = dir.path
        }
        if fault != "missing" && fault != "directory" { try Data(b).write(to: URL(fileURLWithPath: path)) }
        let r = try runLlamaterm(["model", "info", path])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.hasPrefix("llamaterm: "))
    }
}
