import CKernels
import GGUF

extension WeightMatrix {
    /// Whether `multiply(_: QuantizedBatch, ...)` has a VNNI kernel for this matrix: a K-quant
    /// (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K) on a build with AVX-512 VNNI.
    public var hasQuantizedBatchKernel: Bool {
        FastKernels.available && lt_gemm_supports(type.rawValue) != 0
    }

    /// Bytes of scratch one caller of `multiply(_: QuantizedBatch, ...)` needs (one unpacked
    /// panel of 16 rows), 64-byte aligned by the callee.
    public static func quantizedBatchScratchBytes(columns: Int) -> Int {
        Int(lt_gemm_scratch_bytes(Int64(columns)))
    }

    /// The batched product for prefill: y[j·ldy + r] = dot(row r, vector j of `batch`) for every
    /// r in `rows` and every vector of the batch. Sixteen rows at a time are unpacked into
    /// `scratch` once and multiplied with every vector by VNNI register tiles; per 256-block the
    /// integer sums are exact (the matrix-vector kernels' sums), so results differ from them only
    /// by float rounding. Requires `hasQuantizedBatchKernel` (else precondition failure) and a
    /// batch prepared with `columns` values.
    public func multiply(_ batch: QuantizedBatch, rows: Range<Int>, into y: UnsafeMutablePointer<Float>, ldy: Int,
                         scratch: UnsafeMutableRawPointer) {
        precondition(hasQuantizedBatchKernel, "multiply(QuantizedBatch): no batched kernel for \(type)")
        checkBatch(batch, rows: rows, ldy: ldy)
        if rows.isEmpty { return }
        withUnsafePointer(to: batch.cView) { view in
            lt_gemm_q8K(type.rawValue, data.assumingMemoryBound(to: UInt8.self), Int64(rowBytes), Int64(rows.lowerBound),
                        Int64(rows.upperBound), view, y, Int64(ldy), scratch.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The same product in plain C straight from the block format (the scalar reference: the same
    /// integer sums and float operations, so bit-identical to `multiply(_: QuantizedBatch, ...)`).
    public func multiplyReference(_ batch: QuantizedBatch, rows: Range<Int>, into y: UnsafeMutablePointer<Float>, ldy: Int) {
        precondition(lt_gemm_supports(type.rawValue) != 0, "multiplyReference(QuantizedBatch): no batched kernel for \(type)")
        checkBatch(batch, rows: rows, ldy: ldy)
        withUnsafePointer(to: batch.cView) { view in
            lt_gemm_q8K_ref(type.rawValue, data.assumingMemoryBound(to: UInt8.self), Int64(rowBytes), Int64(rows.lowerBound),
                            Int64(rows.upperBound), view, y, Int64(ldy))
        }
    }

    private func checkBatch(_ batch: QuantizedBatch, rows: Range<Int>, ldy: Int) {
        precondition(batch.columns == columns, "multiply(QuantizedBatch): batch has \(batch.columns) columns, matrix \(columns)")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= self.rows, "multiply(QuantizedBatch): rows \(rows) outside 0..<\(self.rows)")
        precondition(ldy >= rows.upperBound, "multiply(QuantizedBatch): ldy \(ldy) < \(rows.upperBound)")
    }
}
