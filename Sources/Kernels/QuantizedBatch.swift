import CKernels

/// A batch of activation vectors quantized once to Q8_K (8-bit values, one scale per 256, sums
/// per 16 and per 32) in the layout of the batched K-quant product (`lt_gemm_act`): columns in
/// groups of 12, four bytes of each column per step. Quantizing a row gives exactly the values and
/// scales `PreparedActivation` gives it for a K-quant matrix.
///
/// Storage is allocated once for `maxRows` vectors of up to `maxColumns` values; `prepare` never
/// allocates. Rows of one batch may be quantized by several threads at once (disjoint ranges).
public final class QuantizedBatch: @unchecked Sendable {
    /// The most vectors and values per vector the storage holds.
    public let maxRows: Int
    public let maxColumns: Int
    /// Vectors and values per vector of the current batch (set by `setShape`).
    public private(set) var rows = 0
    public private(set) var columns = 0

    let quants: UnsafeMutablePointer<Int8>
    let scales: UnsafeMutablePointer<Float>
    let sums16: UnsafeMutablePointer<Int16>
    let sums32: UnsafeMutablePointer<Int16>

    /// Allocates storage for `maxRows` vectors of up to `maxColumns` values (rounded up to 256).
    public init(maxRows: Int, maxColumns: Int) {
        self.maxRows = max(1, maxRows)
        self.maxColumns = (max(256, maxColumns) + 255) / 256 * 256
        let values = self.maxRows * self.maxColumns, blocks = values / 256
        quants = .allocate(capacity: values)
        quants.initialize(repeating: 0, count: values)
        scales = .allocate(capacity: blocks)
        scales.initialize(repeating: 0, count: blocks)
        sums16 = .allocate(capacity: blocks * 16)
        sums16.initialize(repeating: 0, count: blocks * 16)
        sums32 = .allocate(capacity: blocks * 8)
        sums32.initialize(repeating: 0, count: blocks * 8)
    }

    deinit {
        quants.deallocate(); scales.deallocate(); sums16.deallocate(); sums32.deallocate()
    }

    /// Starts a batch of `rows` vectors of `columns` values (a multiple of 256). Out-of-range
    /// shapes are programming errors (precondition).
    public func setShape(rows: Int, columns: Int) {
        precondition(rows >= 1 && rows <= maxRows, "QuantizedBatch: \(rows) rows outside 1...\(maxRows)")
        precondition(columns > 0 && columns <= maxColumns && columns % 256 == 0,
                     "QuantizedBatch: \(columns) columns (need a multiple of 256 up to \(maxColumns))")
        self.rows = rows
        self.columns = columns
    }

    /// The C view of the current batch.
    var cView: lt_gemm_act {
        lt_gemm_act(q: quants, d: scales, bs16: sums16, bs32: sums32, n: Int64(rows), k: Int64(columns))
    }

    /// Quantizes vectors `range` of the batch, vector j read at `x + j·ldx` (AVX-512 when the
    /// build has it, else the plain C reference, which gives the same bytes).
    public func quantize(_ x: UnsafePointer<Float>, ldx: Int, range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "QuantizedBatch: rows \(range) outside 0..<\(rows)")
        if range.isEmpty { return }
        withUnsafePointer(to: cView) { view in
            if lt_gemm_quantize(x, Int64(ldx), Int64(range.lowerBound), Int64(range.upperBound), view) == 0 {
                lt_gemm_quantize_ref(x, Int64(ldx), Int64(range.lowerBound), Int64(range.upperBound), view)
            }
        }
    }

    /// `quantize` through the plain C reference only.
    public func quantizeReference(_ x: UnsafePointer<Float>, ldx: Int, range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "QuantizedBatch: rows \(range) outside 0..<\(rows)")
        withUnsafePointer(to: cView) { view in
            lt_gemm_quantize_ref(x, Int64(ldx), Int64(range.lowerBound), Int64(range.upperBound), view)
        }
    }

    /// The 8-bit value `index` of vector `row` (for tests).
    public func quant(row: Int, index: Int) -> Int8 {
        let group = row / Int(LT_GEMM_COLS), c = row % Int(LT_GEMM_COLS)
        let width = min(Int(LT_GEMM_COLS), rows - group * Int(LT_GEMM_COLS))
        return quants[group * Int(LT_GEMM_COLS) * columns + ((index / 4) * width + c) * 4 + index % 4]
    }

    /// The scale of 256-block `block` of vector `row` (for tests).
    public func scale(row: Int, block: Int) -> Float { scales[row * (columns / 256) + block] }
}
