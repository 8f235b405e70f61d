import Foundation
import GGUF
import Kernels

/// A Llama-family model's weights as views into the memory-mapped GGUF file: nothing is copied
/// (except small norm vectors stored in a type other than F32), so loading is instant and the
/// weights cost only the page cache.
public final class LlamaModel: @unchecked Sendable {
    /// The weights of one transformer block.
    struct Layer {
        var attentionNorm: UnsafePointer<Float>
        var query: WeightMatrix
        var key: WeightMatrix
        var value: WeightMatrix
        var attentionOutput: WeightMatrix
        var ffnNorm: UnsafePointer<Float>
        var gate: WeightMatrix
        var up: WeightMatrix
        var down: WeightMatrix
    }

    /// The parsed file (keeps the mapping alive).
    public let file: GGUFFile
    /// Hyperparameters.
    public let config: LlamaConfig
    /// The file's path.
    public let path: String

    let tokenEmbedding: WeightMatrix
    let output: WeightMatrix
    let outputNorm: UnsafePointer<Float>
    let layers: [Layer]
    /// Norm vectors converted to F32 (freed with the model).
    private let ownedVectors: [UnsafeMutablePointer<Float>]

    /// Opens the model at `path`. `ropeScale` overrides the file's linear RoPE scaling.
    public convenience init(path: String, ropeScale: Float? = nil) throws {
        try self.init(file: GGUFFile(path: path), path: path, ropeScale: ropeScale)
    }

    public init(file: GGUFFile, path: String, ropeScale: Float? = nil) throws {
        self.file = file
        self.path = path
        let c = try LlamaConfig(file: file, ropeScale: ropeScale)
        config = c
        var owned: [UnsafeMutablePointer<Float>] = []

        func matrix(_ name: String, rows: Int, columns: Int) throws -> WeightMatrix {
            guard let t = file.tensor(named: name) else { throw InferenceError.invalidTensor(name: name, message: "missing") }
            guard t.columns == columns, t.rows == rows else {
                throw InferenceError.invalidTensor(name: name, message: "shape \(t.dimensions) where [\(columns), \(rows)] was expected")
            }
            guard let base = file.data(of: t).baseAddress else { throw InferenceError.invalidTensor(name: name, message: "no data") }
            do { return try WeightMatrix(type: t.type, rows: rows, columns: columns, data: base) }
            catch { throw InferenceError.invalidTensor(name: name, message: "\(error)") }
        }
        func vector(_ name: String, count: Int) throws -> UnsafePointer<Float> {
            let m = try matrix(name, rows: 1, columns: count)
            if m.type == .f32 && Int(bitPattern: m.data) % MemoryLayout<Float>.alignment == 0 {
                return m.data.assumingMemoryBound(to: Float.self)
            }
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            m.dequantize(rows: 0..<1, into: p)
            owned.append(p)
            return UnsafePointer(p)
        }

        do {
            let d = c.embeddingLength, kv = c.kvDimension, f = c.feedForwardLength
            tokenEmbedding = try matrix("token_embd.weight", rows: c.vocabularySize, columns: d)
            output = c.tiedOutput ? tokenEmbedding : try matrix("output.weight", rows: c.vocabularySize, columns: d)
            outputNorm = try vector("output_norm.weight", count: d)
            var ls: [Layer] = []
            for i in 0..<c.layerCount {
                let p = "blk.\(i)."
                ls.append(Layer(
                    attentionNorm: try vector(p + "attn_norm.weight", count: d),
                    query: try matrix(p + "attn_q.weight", rows: d, columns: d),
                    key: try matrix(p + "attn_k.weight", rows: kv, columns: d),
                    value: try matrix(p + "attn_v.weight", rows: kv, columns: d),
                    attentionOutput: try matrix(p + "attn_output.weight", rows: d, columns: d),
                    ffnNorm: try vector(p + "ffn_norm.weight", count: d),
                    gate: try matrix(p + "ffn_gate.weight", rows: f, columns: d),
                    up: try matrix(p + "ffn_up.weight", rows: f, columns: d),
                    down: try matrix(p + "ffn_down.weight", rows: d, columns: f)))
            }
            layers = ls
        } catch {
            for p in owned { p.deallocate() }
            throw error
        }
        ownedVectors = owned
    }

    deinit { for p in ownedVectors { p.deallocate() } }

    /// The file's name without its folder.
    public var fileName: String { (path as NSString).lastPathComponent }
    /// The file's size in bytes.
    public var fileSize: Int { file.fileSize }
}
