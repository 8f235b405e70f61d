import Foundation
import GGUF
import Kernels
import TestSupport
@testable import Inference

/// Builds tiny random Llama-2-shaped models (the real Llama SentencePiece vocabulary of 32000
/// tokens, 2 layers, width 256, 4 heads over 2 KV heads) in any block type. Quantized matrices are
/// random valid blocks whose scale fields are set so the weights have a fixed RMS; the matching
/// F32 model holds exactly their dequantized values, so both models compute the same function up
/// to the rounding of the activations.
enum TinyModel {
    static let dim = 256, ffn = 512, heads = 4, kvHeads = 2, layers = 2
    static let vocabulary: GGUFMetadata = {
        let file = try? GGUFFile(path: TestPaths.fixture("ggml-vocab-llama-spm.gguf").path)
        return GGUFMetadata(file?.metadata.entries.filter { $0.key.hasPrefix("tokenizer.") } ?? [])
    }()
    static var vocabSize: Int { vocabulary.array("tokenizer.ggml.tokens")?.count ?? 32000 }


    struct Matrix { var name: String; var rows: Int; var columns: Int; var bytes: [UInt8]; var floats: [Float] }

    /// A random `rows × columns` matrix in `type` and its exact dequantization.
    static func matrix(_ name: String, rows: Int, columns: Int, type: GGMLType, rms: Float, rng: inout RandomSource) throws -> Matrix {
        let count = rows * columns
        var bytes: [UInt8]
        switch type {
        case .f32, .f16, .bf16:
            let values = (0..<count).map { _ in Float(rng.nextUnit() * 2 - 1) * rms * 1.732 }
            bytes = []
            bytes.reserveCapacity(count * (type == .f32 ? 4 : 2))
            for v in values {
                switch type {
                case .f32: withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 }
                case .f16: withUnsafeBytes(of: Float16(v).bitPattern.littleEndian) { bytes += $0 }
                default: withUnsafeBytes(of: UInt16(v.bitPattern >> 16).littleEndian) { bytes += $0 }
                }
            }
        default:
            let blocks = count / type.blockSize
            bytes = (0..<(blocks * type.bytesPerBlock)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let fields = type.halfScaleOffsets
            func setHalves(_ scale: Float) {
                for b in 0..<blocks {
                    for (k, offset) in fields.enumerated() {
                        // the second field (a min) gets a random sign where the type stores one
                        let sign: Float = k == 1 && (type == .q4_1 || type == .q5_1) ? -1 : 1
                        let bits = Float16(scale * sign * Float(0.5 + rng.nextUnit())).bitPattern
                        bytes[b * type.bytesPerBlock + offset] = UInt8(bits & 0xFF)
                        bytes[b * type.bytesPerBlock + offset + 1] = UInt8(bits >> 8)
                    }
                }
            }
            setHalves(1)
            let probe = try dequantize(bytes, type: type, rows: rows, columns: columns)
            let measured = (probe.reduce(0) { $0 + $1 * $1 } / Float(count)).squareRoot()
            setHalves(rms / max(measured, 1e-12))
        }
        return Matrix(name: name, rows: rows, columns: columns, bytes: bytes,
                      floats: try dequantize(bytes, type: type, rows: rows, columns: columns))
    }

    static func dequantize(_ bytes: [UInt8], type: GGMLType, rows: Int, columns: Int) throws -> [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        try bytes.withUnsafeBytes { raw in
            let w = try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!)
            out.withUnsafeMutableBufferPointer { w.dequantize(rows: 0..<rows, into: $0.baseAddress!) }
        }
        return out
    }

    /// Writes the model in `type` and its F32 twin; returns their paths.
    static func write(type: GGMLType, seed: UInt64 = 1, directory: URL, contextLength: Int = 512) throws -> (quantized: URL, f32: URL) {
        var rng = RandomSource(seed: seed &+ UInt64(type.rawValue) &* 7919)
        var meta = GGUFMetadata([
            ("general.architecture", .string("llama")),
            ("general.name", .string("tiny-\(type.name)")),
            ("llama.block_count", .uint32(UInt32(layers))),
            ("llama.context_length", .uint32(UInt32(contextLength))),
            ("llama.embedding_length", .uint32(UInt32(dim))),
            ("llama.feed_forward_length", .uint32(UInt32(ffn))),
            ("llama.attention.head_count", .uint32(UInt32(heads))),
            ("llama.attention.head_count_kv", .uint32(UInt32(kvHeads))),
            ("llama.attention.layer_norm_rms_epsilon", .float32(1e-5)),
            ("llama.rope.freq_base", .float32(10000)),
        ])
        for e in vocabulary.entries { meta[e.key] = e.value }
        var q = GGUFWriter(metadata: meta), f = GGUFWriter(metadata: meta)
        func add(_ m: Matrix, _ t: GGMLType) throws {
            try q.addTensor(name: m.name, type: t, dimensions: [m.columns, m.rows], data: m.bytes)
            try f.addTensor(name: m.name, dimensions: [m.columns, m.rows], floats: m.floats)
        }
        func norm(_ name: String) throws {
            let v = (0..<dim).map { _ in Float(0.8 + 0.4 * rng.nextUnit()) }
            try q.addTensor(name: name, dimensions: [dim], floats: v)
            try f.addTensor(name: name, dimensions: [dim], floats: v)
        }
        try add(matrix("token_embd.weight", rows: vocabSize, columns: dim, type: type, rms: 1, rng: &rng), type)
        for l in 0..<layers {
            let p = "blk.\(l)."
            try norm(p + "attn_norm.weight")
            try add(matrix(p + "attn_q.weight", rows: dim, columns: dim, type: type, rms: 0.08, rng: &rng), type)
            try add(matrix(p + "attn_k.weight", rows: dim / heads * kvHeads, columns: dim, type: type, rms: 0.08, rng: &rng), type)
            try add(matrix(p + "attn_v.weight", rows: dim / heads * kvHeads, columns: dim, type: type, rms: 0.08, rng: &rng), type)
            try add(matrix(p + "attn_output.weight", rows: dim, columns: dim, type: type, rms: 0.05, rng: &rng), type)
            try norm(p + "ffn_norm.weight")
            try add(matrix(p + "ffn_gate.weight", rows: ffn, columns: dim, type: type, rms: 0.08, rng: &rng), type)
            try add(matrix(p + "ffn_up.weight", rows: ffn, columns: dim, type: type, rms: 0.08, rng: &rng), type)
            try add(matrix(p + "ffn_down.weight", rows: dim, columns: ffn, type: type, rms: 0.05, rng: &rng), type)
        }
        try norm("output_norm.weight")
        try add(matrix("output.weight", rows: vocabSize, columns: dim, type: type, rms: 0.1, rng: &rng), type)
        let qURL = directory.appendingPathComponent("tiny-\(type.name).gguf")
        let fURL = directory.appendingPathComponent("tiny-\(type.name)-f32.gguf")
        try q.write(to: qURL)
        try f.write(to: fURL)
        return (qURL, fURL)
    }
}
