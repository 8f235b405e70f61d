import GGUF
import Kernels
import Testing
import TestSupport
@testable import Inference

/// The matrix-vector products the decode path uses, on the real model's tensors, against float dot
/// products of the dequantized rows.
@Suite struct KernelCheckTests {
    @Test(arguments: ["blk.0.attn_q.weight", "blk.3.ffn_down.weight", "token_embd.weight"])
    func multiplyMatchesDequantizedDot(name: String) throws {
        let model = try LlamaModel(path: TestPaths.defaultModel.path)
        let t = try #require(model.file.tensor(named: name))
        let w = try WeightMatrix(type: t.type, rows: min(t.rows, 2048), columns: t.columns, data: model.file.data(of: t).baseAddress!)
        var rng = RandomSource(seed: 3)
        let x = (0..<w.columns).map { _ in Float(rng.nextUnit() * 2 - 1) }
        let act = PreparedActivation(maxColumns: w.columns)
        x.withUnsafeBufferPointer { act.prepare($0.baseAddress!, columns: w.columns, for: w.type) }
        var y = [Float](repeating: 0, count: w.rows)
        y.withUnsafeMutableBufferPointer { w.multiply(act, rows: 0..<w.rows, into: $0.baseAddress!) }
        var row = [Float](repeating: 0, count: w.columns)
        var num: Double = 0, den: Double = 0, worst: Double = 0
        for r in 0..<w.rows {
            row.withUnsafeMutableBufferPointer { w.dequantize(rows: r..<(r + 1), into: $0.baseAddress!) }
            var ref: Double = 0
            for i in 0..<w.columns { ref += Double(row[i]) * Double(x[i]) }
            num += (Double(y[r]) - ref) * (Double(y[r]) - ref); den += ref * ref
            worst = max(worst, abs(Double(y[r]) - ref))
        }
        let rel = (num / den).squareRoot()
        print("\(name) \(t.type): relative error \(rel), worst \(worst)")
        #expect(rel < 0.01)
    }
}
