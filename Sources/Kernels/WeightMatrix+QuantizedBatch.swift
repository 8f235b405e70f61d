import CKernels
import GGUF

extension WeightMatrix {
    /// The activation encoding of the batched product for this type: Q8_K for the K-quants
    /// (Q2_K ... Q6_K), Q8_0 for Q4_0 and Q8_0; nil for the others.
    public var quantizedBatchEncoding: QuantizedBatch.Encoding? {
        if lt_gemm_supports(type.rawValue) != 0 { return .q8K }
        if lt_gemm_supports_q8_0(type.rawValue) != 0 { return .q8_0 }
        return nil
    }

    /// Whether `multiply(_: QuantizedBatch, ...)` has a VNNI kernel for this matrix: Q2_K ... Q6_K,
    /// Q4_0 or Q8_0 on a build with AVX-512 VNNI.
    public var hasQuantizedBatchKernel: Bool { FastKernels.available && quantizedBatchEncoding != nil }

    /// Bytes of scratch one caller of `multiply(_: QuantizedBatch, ...)` needs (one unpacked
    /// panel of 16 rows), 64-byte aligned by the callee.
    public static func quantizedBatchScratchBytes(columns: Int) -> Int {
        Int(lt_gemm_scratch_bytes(Int64(columns)))
    }

    /// The batched product for prefill: y[j·ldy + r] = dot(row r, vector j of `batch`) for every
    /// r in `rows` and every vector of the batch (quantized with `quantizedBatchEncoding`). Sixteen rows at a time are unpacked into
    /// `scratch` once and multiplied with every vector by VNNI register tiles; per block the
    /// integer sums are exact (the matrix-vector kernels' sums), so results differ from them only
    /// by float rounding. Requires `hasQuantizedBatchKernel` (else precondition failure) and a
    /// batch prepared with `columns` values.
    public func multiply(_ batch: QuantizedBatch, rows: Range<Int>, into y: UnsafeMutablePointer<Float>, ldy: Int,
                         scratch: UnsafeMutableRawPointer) {
        precondition(hasQuantizedBatchKernel, "multiply(QuantizedBatch): no batched kernel for \(type)")
        checkBatch(batch, rows: rows, ldy: ldy)
        if rows.isEmpty { return }
        let w = data.assumingMemoryBound(to: UInt8.self), s = scratch.assumingMemoryBound(to: UInt8.self)
        let r0 = Int64(rows.lowerBound), r1 = Int64(rows.upperBound)
        withUnsafePointer(to: batch.cView) { view in
            if batch.encoding == .q8K {
                lt_gemm_q8K(type.rawValue, w, Int64(rowBytes), r0, r1, view, y, Int64(ldy), s)
            } else {
                lt_gemm_q8_0(type.rawValue, w, Int64(rowBytes), r0, r1, view, y, Int64(ldy), s)
            }
        }
    }

    /// The same product in plain C straight from the block format (the scalar reference: the same
    /// integer sums and float operations, so bit-identical to `multiply(_: QuantizedBatch, ...)`).
    public func multiplyReference(_ batch: QuantizedBatch, rows: Range<Int>, into y: UnsafeMutablePointer<Float>, ldy: Int) {
        precondition(quantizedBatchEncoding != nil, "multiplyReference(QuantizedBatch): no batched kernel for \(type)")
        checkBatch(batch, rows: rows, ldy: ldy)
        let w = data.assumingMemoryBound(to: UInt8.self), r0 = Int64(rows.lowerBound), r1 = Int64(rows.upperBound)
        withUnsafePointer(to: batch.cView) { view in
            if batch.encoding == .q8K {
                lt_gemm_q8K_ref(type.rawValue, w, Int64(rowBytes), r0, r1, view, y, Int64(ldy))
            } else {
                lt_gemm_q8_0_ref(type.rawValue, w, Int64(rowBytes), r0, r1, view, y, Int64(ldy))
            }
        }
    }

    private func checkBatch(_ batch: QuantizedBatch, rows: Range<Int>, ldy: Int) {
        precondition(batch.columns == columns, "multiply(QuantizedBatch): batch has \(batch.columns) columns, matrix \(columns)")
        precondition(batch.encoding == quantizedBatchEncoding, "multiply(QuantizedBatch): batch is \(batch.encoding), \(type) needs \(String(describing: quantizedBatchEncoding))")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= self.rows, "multiply(QuantizedBatch): rows \(rows) outside 0..<\(self.rows)")
        precondition(ldy >= rows.upperBound, "multiply(QuantizedBatch): ldy \(ldy) < \(rows.upperBound)")
    }
}
