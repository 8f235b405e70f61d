import CKernels

/// A batch of activation vectors rounded once to bf16 for the AMX product (`lt_gemm_amx`): tiles
/// of 16 vectors × 32 values, as the tile unit loads them (`lt_amx_act_index`). One batch serves
/// every matrix that reads the same input, whatever their block types.
///
/// Storage is allocated once for `maxRows` vectors (rounded up to 32, the kernel's block of
/// vectors) of up to `maxColumns` values; `convert` never allocates. Vectors of one batch may be
/// converted by several threads at once (disjoint ranges).
public final class TileBatch: @unchecked Sendable {
    /// Whether this machine runs the AMX product: a CPU with AMX-BF16, a build with the kernels,
    /// and the tile state granted by Linux (LLAMATERM_NO_AMX=1 turns it off).
    public static let available: Bool = lt_amx_available() != 0

    /// The most vectors and values per vector the storage holds.
    public let maxRows: Int
    public let maxColumns: Int
    /// Vectors and values per vector of the current batch (set by `setShape`).
    public private(set) var rows = 0
    public private(set) var columns = 0

    let values: UnsafeMutablePointer<UInt16>

    /// Allocates storage for `maxRows` vectors of up to `maxColumns` values.
    public init(maxRows: Int, maxColumns: Int) {
        let block = Int(LT_AMX_COLS)
        self.maxRows = max(1, maxRows)
        self.maxColumns = (max(32, maxColumns) + 31) / 32 * 32
        let count = (self.maxRows + block - 1) / block * block * self.maxColumns
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * 2, alignment: 64)
        values = raw.initializeMemory(as: UInt16.self, repeating: 0, count: count)
    }

    deinit { values.deallocate() }

    /// Starts a batch of `rows` vectors of `columns` values (a multiple of 32). Out-of-range
    /// shapes are programming errors (precondition).
    public func setShape(rows: Int, columns: Int) {
        precondition(rows >= 1 && rows <= maxRows, "TileBatch: \(rows) rows outside 1...\(maxRows)")
        precondition(columns > 0 && columns <= maxColumns && columns % 32 == 0,
                     "TileBatch: \(columns) columns (need a multiple of 32 up to \(maxColumns))")
        self.rows = rows
        self.columns = columns
    }

    /// Rounds vectors `range` of the batch to bf16, vector j read at `x + j·ldx` (AVX-512 BF16
    /// when the build has it, else the plain C reference, which gives the same bits).
    public func convert(_ x: UnsafePointer<Float>, ldx: Int, range: Range<Int>) {
        check(range)
        if range.isEmpty { return }
        lt_bf16_rows(x, Int64(ldx), Int64(range.lowerBound), Int64(range.upperBound), Int64(columns), values)
    }

    /// `convert` through the plain C reference only.
    public func convertReference(_ x: UnsafePointer<Float>, ldx: Int, range: Range<Int>) {
        check(range)
        lt_bf16_rows_ref(x, Int64(ldx), Int64(range.lowerBound), Int64(range.upperBound), Int64(columns), values)
    }

    /// The bf16 bits of value `index` of vector `row` (for tests).
    public func value(row: Int, index: Int) -> UInt16 {
        values[Int(lt_amx_act_index(Int64(row), Int64(index), Int64(columns)))]
    }

    private func check(_ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "TileBatch: rows \(range) outside 0..<\(rows)")
    }
}
