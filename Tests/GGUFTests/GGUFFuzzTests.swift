import Foundation
import Testing
@testable import GGUF
import TestSupport

/// Thousands of seeded mutations and truncations of a written file and of the real model's header:
/// the reader must throw a `GGUFError` or parse, never crash, hang or allocate absurdly.
@Suite struct GGUFFuzzTests {
    /// SplitMix64: small, seeded, repeatable.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static func mutate(_ bytes: inout [UInt8], limit: Int, rng: inout Rng) {
        let edits = 1 + rng.below(4)
        for _ in 0..<edits {
            let at = rng.below(limit)
            switch rng.below(4) {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1: bytes[at] ^= UInt8(1 << rng.below(8))
            case 2: bytes[at] = [0x00, 0xFF, 0x7F, 0x80][rng.below(4)]
            default:   // an extreme 64-bit value
                let v: UInt64 = [0, .max, 1 << 62, UInt64(bytes.count), UInt64(Int32.max)][rng.below(5)]
                withUnsafeBytes(of: v) { for i in 0..<8 where at + i < bytes.count { bytes[at + i] = $0[i] } }
            }
        }
    }

    /// Parses; a thrown error must be a GGUFError with a non-empty one-line message.
    static func check(_ bytes: [UInt8]) {
        do { _ = try GGUFFile(bytes: bytes) } catch let e as GGUFError {
            #expect(!e.description.isEmpty && !e.description.contains("\n"))
        } catch { Issue.record("non-GGUF error \(error)") }
    }

    @Test func mutatedWrittenFiles() throws {
        var meta = GGUFMetadata()
        meta["general.architecture"] = .string("llama")
        meta["tokenizer.ggml.tokens"] = .array(.string, (0..<50).map { .string("tok\($0)") })
        meta["tokenizer.ggml.scores"] = .array(.float32, (0..<50).map { .float32(Float($0)) })
        meta["nested"] = .array(.array, [.array(.uint8, [.uint8(1), .uint8(2)])])
        var w = GGUFWriter(metadata: meta)
        try w.addTensor(name: "token_embd.weight", type: .q4_1, dimensions: [64, 2], data: [UInt8](repeating: 3, count: 80))
        try w.addTensor(name: "output_norm.weight", dimensions: [16], floats: Array(repeating: 1, count: 16))
        let original = w.serialized()
        var rng = Rng(state: 42)
        for _ in 0..<4000 {
            var b = original
            Self.mutate(&b, limit: b.count, rng: &rng)
            if rng.below(3) == 0 { b = Array(b[..<rng.below(b.count)]) }
            Self.check(b)
        }
    }

    @Test func mutatedRealModelHeaders() throws {
        let model = try GGUFFile(path: TestPaths.defaultModel.path)
        // The header (metadata with 49k tokens and merges, tensor infos) plus the first tensor bytes.
        let prefix = Array(model.file.bytes[..<min(model.file.size, model.dataOffset + 4096)])
        var rng = Rng(state: 7)
        for i in 0..<1500 {
            var b = prefix
            // Aim most edits at the small fixed fields and tensor infos, some anywhere.
            let limit = i % 2 == 0 ? min(64, b.count) : b.count
            Self.mutate(&b, limit: limit, rng: &rng)
            if rng.below(4) == 0 { b = Array(b[..<rng.below(b.count)]) }
            Self.check(b)
        }
    }

    @Test func truncatedRealModelViews() throws {
        let model = try GGUFFile(path: TestPaths.defaultModel.path)
        var rng = Rng(state: 9)
        for _ in 0..<300 {
            let n = rng.below(model.file.size)
            let view = MappedFile(borrowing: model.file.base, size: n, label: "view")
            do { _ = try GGUFFile(mapped: view); Issue.record("a \(n)-byte prefix parsed") } catch let e as GGUFError {
                #expect(!e.description.contains("\n"))
            }
        }
    }
}
