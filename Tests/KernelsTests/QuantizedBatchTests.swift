import XCTest
import GGUF
@testable import Kernels

/// The batched product (`WeightMatrix.multiply(QuantizedBatch, ...)`, VNNI register tiles) of the
/// K-quants, Q4_0 and Q8_0 against its plain C reference (bit for bit) and the reference against
/// the independent Swift matrix-vector reference (the same integer sums, so equal within float
/// rounding).
final class QuantizedBatchTests: XCTestCase {
    static let types: [GGMLType] = [.q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q4_0, .q8_0]

    /// `count` activation vectors of `columns` values, with a few outliers so blocks get
    /// different scales.
    func inputs(_ count: Int, columns: Int, seed: UInt64) -> [Float] {
        var x = TestData.vector(count * columns, seed: seed)
        for i in stride(from: 7, to: x.count, by: 301) { x[i] *= 9 }
        return x
    }

    func testQ8_0QuantizationMatchesReferenceAndPreparedActivation() {
        let columns = 544  // 17 blocks of 32: not a multiple of 256
        for n in [1, 12, 13, 25] {
            let x = inputs(n, columns: columns, seed: 70 + UInt64(n))
            let fast = QuantizedBatch(maxRows: 32, maxColumns: columns), ref = QuantizedBatch(maxRows: 32, maxColumns: columns)
            fast.setShape(rows: n, columns: columns, encoding: .q8_0)
            ref.setShape(rows: n, columns: columns, encoding: .q8_0)
            x.withUnsafeBufferPointer { p in
                fast.quantize(p.baseAddress!, ldx: columns, range: 0..<n)
                ref.quantizeReference(p.baseAddress!, ldx: columns, range: 0..<n)
            }
            let prepared = PreparedActivation(maxColumns: columns)
            for j in 0..<n {
                x.withUnsafeBufferPointer { prepared.prepare($0.baseAddress! + j * columns, columns: columns, for: .q4_0) }
                for i in 0..<columns {
                    XCTAssertEqual(fast.quant(row: j, index: i), ref.quant(row: j, index: i), "n \(n) row \(j) value \(i)")
                    XCTAssertEqual(fast.quant(row: j, index: i), prepared.quants[i], "n \(n) row \(j) value \(i) vs PreparedActivation")
                }
                for b in 0..<(columns / 32) {
                    XCTAssertEqual(fast.scale(row: j, block: b).bitPattern, ref.scale(row: j, block: b).bitPattern)
                    XCTAssertEqual(fast.scale(row: j, block: b), prepared.scales[b], "n \(n) row \(j) block \(b)")
                    XCTAssertEqual(Int32(fast.sum32(row: j, block: b)), prepared.quantSums[b])
                    XCTAssertEqual(fast.sum32(row: j, block: b), ref.sum32(row: j, block: b))
                }
            }
        }
    }

    func testQuantizationMatchesReferenceAndPreparedActivation() {
        let columns = 768
        for n in [1, 5, 12, 13, 30] {
            let x = inputs(n, columns: columns, seed: UInt64(n))
            let fast = QuantizedBatch(maxRows: 32, maxColumns: columns), ref = QuantizedBatch(maxRows: 32, maxColumns: columns)
            fast.setShape(rows: n, columns: columns)
            ref.setShape(rows: n, columns: columns)
            x.withUnsafeBufferPointer { p in
                fast.quantize(p.baseAddress!, ldx: columns, range: 0..<n)
                ref.quantizeReference(p.baseAddress!, ldx: columns, range: 0..<n)
            }
            let prepared = PreparedActivation(maxColumns: columns)
            for j in 0..<n {
                x.withUnsafeBufferPointer { prepared.prepare($0.baseAddress! + j * columns, columns: columns, for: .q4_K) }
                for i in 0..<columns {
                    XCTAssertEqual(fast.quant(row: j, index: i), ref.quant(row: j, index: i), "n \(n) row \(j) value \(i)")
                    XCTAssertEqual(fast.quant(row: j, index: i), prepared.quants[i], "n \(n) row \(j) value \(i) vs PreparedActivation")
                }
                for b in 0..<(columns / 256) {
                    XCTAssertEqual(fast.scale(row: j, block: b).bitPattern, ref.scale(row: j, block: b).bitPattern)
                    XCTAssertEqual(fast.scale(row: j, block: b), prepared.scales[b], "n \(n) row \(j) block \(b)")
                    for s in 0..<16 {
                        XCTAssertEqual(fast.sums16[(j * (columns / 256) + b) * 16 + s], prepared.blockSums[b * 16 + s])
                    }
                }
            }
        }
    }

    func testKernelEqualsReferenceBitForBitAndMatchesMatrixVectorReference() throws {
        try XCTSkipUnless(FastKernels.available, "this build has no AVX-512 VNNI kernels")
        let rows = 37
        for type in Self.types {
            let columns = type.blockSize == 32 ? 544 : 512  // Q4_0 / Q8_0: an odd number of blocks
            let bytes = TestData.matrixBytes(type, rows: rows, columns: columns, seed: 40 + UInt64(type.rawValue))
            try bytes.withUnsafeBytes { raw in
                let w = try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                XCTAssertTrue(w.hasQuantizedBatchKernel)
                for n in [1, 3, 12, 13, 29] {
                    let x = inputs(n, columns: columns, seed: 100 + UInt64(n))
                    let batch = QuantizedBatch(maxRows: n, maxColumns: columns)
                    batch.setShape(rows: n, columns: columns, encoding: try XCTUnwrap(w.quantizedBatchEncoding))
                    x.withUnsafeBufferPointer { batch.quantize($0.baseAddress!, ldx: columns, range: 0..<n) }
                    let ldy = rows + 3
                    var fast = [Float](repeating: .nan, count: n * ldy), ref = fast
                    let scratch = UnsafeMutableRawPointer.allocate(byteCount: WeightMatrix.quantizedBatchScratchBytes(columns: columns), alignment: 64)
                    defer { scratch.deallocate() }
                    // Two calls over split row ranges (one not a multiple of 16) cover every row.
                    fast.withUnsafeMutableBufferPointer {
                        w.multiply(batch, rows: 0..<21, into: $0.baseAddress!, ldy: ldy, scratch: scratch)
                        w.multiply(batch, rows: 21..<rows, into: $0.baseAddress!, ldy: ldy, scratch: scratch)
                    }
                    ref.withUnsafeMutableBufferPointer { w.multiplyReference(batch, rows: 0..<rows, into: $0.baseAddress!, ldy: ldy) }
                    let prepared = PreparedActivation(maxColumns: columns)
                    var vector = [Float](repeating: 0, count: rows)
                    for j in 0..<n {
                        x.withUnsafeBufferPointer { prepared.prepare($0.baseAddress! + j * columns, columns: columns, for: type) }
                        vector.withUnsafeMutableBufferPointer { w.multiplyReference(prepared, rows: 0..<rows, into: $0.baseAddress!) }
                        let scale = vector.map { abs($0) }.max() ?? 1
                        for r in 0..<rows {
                            XCTAssertEqual(fast[j * ldy + r].bitPattern, ref[j * ldy + r].bitPattern,
                                           "\(type) n \(n) column \(j) row \(r): \(fast[j * ldy + r]) vs reference \(ref[j * ldy + r])")
                            XCTAssertEqual(ref[j * ldy + r], vector[r], accuracy: 2e-6 * scale + 1e-30,
                                           "\(type) n \(n) column \(j) row \(r) vs the matrix-vector reference")
                        }
                        for r in rows..<ldy { XCTAssertTrue(fast[j * ldy + r].isNaN, "\(type) wrote past its rows") }
                    }
                }
            }
        }
    }
}
