import Foundation
import GGUF
import Testing
@testable import Kernels

/// Each AVX-512 kernel against the scalar Swift reference on random data, with odd block counts
/// (tails) and row ranges that start mid-matrix.
@Suite struct FastKernelTests {
    @Test func fastKernelsAreBuiltOnThisMachine() {
        // This project is built with -march=native on an AVX-512 VNNI machine.
        #expect(FastKernels.available)
        for type in WeightMatrix.supportedTypes { #expect(FastKernels.matvec(type) != nil, "\(type)") }
    }

    @Test(arguments: WeightMatrix.supportedTypes)
    func fastMatchesReference(_ type: GGMLType) throws {
        // 7 blocks of 256 (odd count of 32-blocks is covered by 224 + 32·k shapes below).
        for columns in (type.blockSize == 256 ? [256, 1792] : [32, 96, 1792, 33 * 32]) {
            let rows = 29
            let bytes = TestData.matrixBytes(type, rows: rows, columns: columns, seed: UInt64(columns))
            let x = TestData.vector(columns, seed: 99)
            try bytes.withUnsafeBytes { raw in
                let m = try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                let a = PreparedActivation(maxColumns: 2048)
                a.prepare(x, columns: columns, for: type)
                var fast = [Float](repeating: .nan, count: rows), ref = fast
                m.multiply(a, rows: 3..<rows, into: &fast)
                m.multiplyReference(a, rows: 3..<rows, into: &ref)
                var w = [Float](repeating: 0, count: columns)
                for r in 0..<rows {
                    if r < 3 { #expect(fast[r].isNaN); continue }
                    m.dequantize(rows: r..<(r + 1), into: &w)
                    // Scale of the terms: |w|·|x|; float reassociation errors are far below 1e-5 of it.
                    let scale = (referenceDot(w, w.map { $0 }) * referenceDot(x, x)).squareRoot()
                    #expect(abs(Double(fast[r]) - Double(ref[r])) <= 2e-5 * scale + 1e-6,
                            "\(type) \(columns) row \(r): fast \(fast[r]) reference \(ref[r])")
                }
            }
        }
    }
}
