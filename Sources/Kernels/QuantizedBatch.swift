import CKernels

/// A batch of activation vectors quantized once for the batched products (`lt_gemm_act`): to Q8_K
/// (8-bit values, one scale per 256, sums per 16 and per 32) for the K-quants, or to Q8_0 (an
/// f16-rounded scale and a sum per 32) for Q4_0 and Q8_0; columns in groups of 12, four bytes of
/// each column per step. Quantizing a row gives exactly the values and scales `PreparedActivation`
/// gives it for a matrix of the same type.
///
/// Storage is allocated once for `maxRows` vectors of up to `maxColumns` values; `prepare` never
/// allocates. Rows of one batch may be quantized by several threads at once (disjoint ranges).
public final class QuantizedBatch: @unchecked Sendable {
    /// How the vectors are quantized.
    public enum Encoding: Sendable, Equatable {
        /// 8-bit values, a scale per 256 (the K-quants).
        case q8K
        /// 8-bit values, an f16-rounded scale per 32 (Q4_0, Q8_0).
        case q8_0

        /// Values per scale.
        public var blockSize: Int { self == .q8K ? 256 : 32 }
    }

    /// The most vectors and values per vector the storage holds.
    public let maxRows: Int
    public let maxColumns: Int
    /// Vectors and values per vector of the current batch (set by `setShape`).
    public private(set) var rows = 0
    public private(set) var columns = 0
    /// The encoding of the current batch.
    public private(set) var encoding = Encoding.q8K

    let quants: UnsafeMutablePointer<Int8>
    let scales: UnsafeMutablePointer<Float>
    let sums16: UnsafeMutablePointer<Int16>
    let sums32: UnsafeMutablePointer<Int16>

    /// Allocates storage for `maxRows` vectors of up to `maxColumns` values (rounded up to 256).
    public init(maxRows: Int, maxColumns: Int) {
        self.maxRows = max(1, maxRows)
        self.maxColumns = (max(256, maxColumns) + 255) / 256 * 256
        let values = self.maxRows * self.maxColumns
        quants = .allocate(capacity: values)
        quants.initialize(repeating: 0, count: values)
        scales = .allocate(capacity: values / 32)
        scales.initialize(repeating: 0, count: values / 32)
        sums16 = .allocate(capacity: values / 16)
        sums16.initialize(repeating: 0, count: values / 16)
        sums32 = .allocate(capacity: values / 32)
        sums32.initialize(repeating: 0, count: values / 32)
    }

    deinit {
        quants.deallocate(); scales.deallocate(); sums16.deallocate(); sums32.deallocate()
    }

    /// Starts a batch of `rows` vectors of `columns` values (a multiple of the encoding's block
    /// size). Out-of-range shapes are programming errors (precondition).
    public func setShape(rows: Int, columns: Int, encoding: Encoding = .q8K) {
        precondition(rows >= 1 && rows <= maxRows, "QuantizedBatch: \(rows) rows outside 1...\(maxRows)")
        precondition(columns > 0 && columns <= maxColumns && columns % encoding.blockSize == 0,
                     "QuantizedBatch: \(columns) columns (need a multiple of \(encoding.blockSize) up to \(maxColumns))")
        self.rows = rows
        self.columns = columns
        self.encoding = encoding
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
        let j0 = Int64(range.lowerBound), j1 = Int64(range.upperBound)
        withUnsafePointer(to: cView) { view in
            switch encoding {
            case .q8K: if lt_gemm_quantize(x, Int64(ldx), j0, j1, view) == 0 { lt_gemm_quantize_ref(x, Int64(ldx), j0, j1, view) }
            case .q8_0: if lt_gemm_quantize_q8_0(x, Int64(ldx), j0, j1, view) == 0 { lt_gemm_quantize_q8_0_ref(x, Int64(ldx), j0, j1, view) }
            }
        }
    }

    /// `quantize` through the plain C reference only.
    public func quantizeReference(_ x: UnsafePointer<Float>, ldx: Int, range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "QuantizedBatch: rows \(range) outside 0..<\(rows)")
        let j0 = Int64(range.lowerBound), j1 = Int64(range.upperBound)
        withUnsafePointer(to: cView) { view in
            switch encoding {
            case .q8K: lt_gemm_quantize_ref(x, Int64(ldx), j0, j1, view)
            case .q8_0: lt_gemm_quantize_q8_0_ref(x, Int64(ldx), j0, j1, view)
            }
        }
    }

    /// The 8-bit value `index` of vector `row` (for tests).
    public func quant(row: Int, index: Int) -> Int8 {
        let group = row / Int(LT_GEMM_COLS), c = row % Int(LT_GEMM_COLS)
        let width = min(Int(LT_GEMM_COLS), rows - group * Int(LT_GEMM_COLS))
        return quants[group * Int(LT_GEMM_COLS) * columns + ((index / 4) * width + c) * 4 + index % 4]
    }

    /// The scale of block `block` (of the encoding's block size) of vector `row` (for tests).
    public func scale(row: Int, block: Int) -> Float { scales[row * (columns / encoding.blockSize) + block] }

    /// Σq of 32-value block `block` of vector `row` (for tests).
    public func sum32(row: Int, block: Int) -> Int16 { sums32[row * (columns / 32) + block] }
}
