import Foundation
import GGUF
import Testing
@testable import Kernels

/// `multiply`, `multiplyBatch` and `dequantize` of every supported type on random data, held to
/// double-precision dot products of the dequantized rows.
@Suite struct WeightMatrixTests {
    static let types = WeightMatrix.supportedTypes

    /// Runs `body` with a random rows × columns matrix of `type`.
    func withMatrix<R>(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64, _ body: (WeightMatrix) throws -> R) throws -> R {
        let bytes = TestData.matrixBytes(type, rows: rows, columns: columns, seed: seed)
        return try bytes.withUnsafeBytes { raw in
            try body(try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!))
        }
    }

    @Test(arguments: types)
    func multiplyMatchesDequantizedDot(_ type: GGMLType) throws {
        let rows = 37, columns = 512
        let x = TestData.vector(columns, seed: 7)
        try withMatrix(type, rows: rows, columns: columns, seed: 11) { m in
            #expect(m.rowBytes == type.rowBytes(columns))
            var w = [Float](repeating: 0, count: rows * columns)
            m.dequantize(rows: 0..<rows, into: &w)
            let act = PreparedActivation(maxColumns: 1000)
            act.prepare(x, columns: columns, for: type)
            var y = [Float](repeating: .nan, count: rows + 2)
            m.multiply(act, rows: 0..<20, into: &y)
            m.multiply(act, rows: 20..<rows, into: &y)
            #expect(y[rows].isNaN && y[rows + 1].isNaN)  // nothing written past the range
            // Quantizing x to 8 bits costs about 0.4% of |w|·|x| per dot; floats are near exact.
            let quantized = PreparedActivation.encoding(for: type) != .float
            for r in 0..<rows {
                let row = w.withUnsafeBufferPointer { $0.baseAddress! + r * columns }
                let exact = referenceDot(row, x)
                let norm = (referenceDot(row, (0..<columns).map { row[$0] }) * referenceDot(x, x)).squareRoot()
                let tol = quantized ? 0.01 * norm : 1e-5 * norm
                #expect(abs(Double(y[r]) - exact) <= tol, "\(type) row \(r): \(y[r]) vs \(exact)")
            }
        }
    }

    @Test(arguments: types)
    func multiplyFallsBackWhenPreparedForAnotherType(_ type: GGMLType) throws {
        let columns = 256
        let x = TestData.vector(columns, seed: 3)
        try withMatrix(type, rows: 4, columns: columns, seed: 5) { m in
            let floatAct = PreparedActivation(maxColumns: columns)
            floatAct.prepare(x, columns: columns, for: .f32)
            var y = [Float](repeating: 0, count: 4)
            m.multiply(floatAct, rows: 0..<4, into: &y)
            var w = [Float](repeating: 0, count: columns)
            for r in 0..<4 {
                m.dequantize(rows: r..<(r + 1), into: &w)
                let exact = referenceDot(w, x)
                #expect(abs(Double(y[r]) - exact) <= 1e-4 * max(1, abs(exact)))
            }
        }
    }

    @Test(arguments: [GGMLType.f32, .f16, .q4_1, .q8_0, .q4_K, .q6_K])
    func multiplyBatchMatchesDequantizedProduct(_ type: GGMLType) throws {
        let rows = 150, columns = 256, n = 5, ldy = rows + 3
        let x = TestData.vector(n * columns, seed: 19)
        try withMatrix(type, rows: rows, columns: columns, seed: 23) { m in
            var w = [Float](repeating: 0, count: rows * columns)
            m.dequantize(rows: 0..<rows, into: &w)
            var y = [Float](repeating: .nan, count: n * ldy)
            var scratch = [Float](repeating: 0, count: 40 * columns)  // tiles of 40 rows
            m.multiplyBatch(x, count: n, rows: 10..<rows, into: &y, ldy: ldy, scratch: &scratch, scratchCount: scratch.count)
            for i in 0..<n {
                for r in 0..<rows {
                    let v = y[i * ldy + r]
                    if r < 10 { #expect(v.isNaN); continue }
                    let exact = w.withUnsafeBufferPointer { referenceDot($0.baseAddress! + r * columns, Array(x[(i * columns)..<((i + 1) * columns)])) }
                    #expect(abs(Double(v) - exact) <= 1e-4 * max(1, abs(exact)), "\(type) y[\(i)][\(r)]")
                }
            }
        }
    }

    @Test func preparedActivationQuantizesLikeGGML() {
        let x = TestData.vector(512, seed: 1)
        let a = PreparedActivation(maxColumns: 512)
        a.prepare(x, columns: 512, for: .q4_1)
        #expect(a.encoding == .q8Blocks32)
        for b in 0..<16 {
            let amax = x[(b * 32)..<(b * 32 + 32)].map(abs).max()!
            #expect(a.scales[b] == Float(Float16(amax / 127)))
            var sum = 0
            for j in 0..<32 {
                let q = a.quants[b * 32 + j]
                sum += Int(q)
                #expect(abs(Float(q) * amax / 127 - x[b * 32 + j]) <= amax / 127 * 0.5001)
            }
            #expect(a.sums[b] == Float(Float16(amax / 127 * Float(sum))))
        }
        a.prepare(x, columns: 512, for: .q4_K)
        #expect(a.encoding == .q8Blocks256)
        for g in 0..<32 {
            let s = (0..<16).reduce(0) { $0 + Int(a.quants[g * 16 + $1]) }
            #expect(Int(a.blockSums[g]) == s)
        }
        // A shorter vector leaves zeros behind it.
        a.prepare(x, columns: 256, for: .f32)
        #expect(a.columns == 256 && a.values[256] == 0 && a.values[255] == x[255])
    }
}
