import COpenBLAS
import GGUF

extension WeightMatrix {
    /// Rows dequantized per tile in `multiplyBatch` when the scratch allows it.
    public static let batchTileRows = 64

    /// Floats of scratch `multiplyBatch` wants for a matrix of `columns` columns.
    public static func batchScratchCount(columns: Int) -> Int { batchTileRows * columns }

    /// Batched product for prefill: for `n` input vectors `x` (n × columns, row-major) computes
    /// y[i·ldy + r] = dot(row r, x_i) for r in `rows`. Tiles of rows are dequantized into `scratch`
    /// (`scratchCount` ≥ `columns` floats; `batchScratchCount(columns:)` is best) and multiplied with
    /// one sgemm each; F32 matrices are multiplied in place. Single-threaded (OpenBLAS is pinned
    /// to one thread, see `BLAS`); the caller splits `rows` across its own threads.
    public func multiplyBatch(_ x: UnsafePointer<Float>, count n: Int, rows: Range<Int>, into y: UnsafeMutablePointer<Float>,
                              ldy: Int, scratch: UnsafeMutablePointer<Float>, scratchCount: Int) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= self.rows, "multiplyBatch: rows \(rows) outside 0..<\(self.rows)")
        precondition(ldy >= rows.upperBound || n <= 1, "multiplyBatch: ldy \(ldy) < \(rows.upperBound)")
        if rows.isEmpty || n <= 0 { return }
        BLAS.ensureSingleThreaded()
        if type == .f32 {
            let w = data.assumingMemoryBound(to: Float.self) + rows.lowerBound * columns
            Ops.sgemm(transposeA: false, transposeB: true, m: n, n: rows.count, k: columns,
                      a: x, lda: columns, b: w, ldb: columns, c: y + rows.lowerBound, ldc: ldy)
            return
        }
        let tile = min(scratchCount / columns, rows.count)
        precondition(tile >= 1, "multiplyBatch: scratch of \(scratchCount) floats holds no row of \(columns)")
        var start = rows.lowerBound
        while start < rows.upperBound {
            let count = min(tile, rows.upperBound - start)
            dequantize(rows: start..<(start + count), into: scratch)
            Ops.sgemm(transposeA: false, transposeB: true, m: n, n: count, k: columns,
                      a: x, lda: columns, b: scratch, ldb: columns, c: y + start, ldc: ldy)
            start += count
        }
    }
}
