import GGUF

/// An activation vector prepared once for the dot products of one weight type and reused for
/// every row: kept as floats (F32/F16/BF16 weights and the generic path), quantized to 8-bit
/// blocks of 32 (Q8_0 / Q8_1: for Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL), or to 8-bit blocks of 256
/// with 16-value sums (Q8_K: for the K types and IQ4_XS).
///
/// Storage is allocated once for `maxColumns`; `prepare` never allocates. One instance may be read
/// by many threads at once (`WeightMatrix.multiply`), but not while `prepare` runs.
public final class PreparedActivation: @unchecked Sendable {
    /// How the vector is currently encoded.
    public enum Encoding: Sendable, Equatable {
        /// Only `values` are meaningful.
        case float
        /// 32-value blocks: `quants`, `scales` (d per block), `sums` (d·Σq), `quantSums` (Σq). Also `values`.
        case q8Blocks32
        /// 256-value blocks: `quants`, `scales` (d per block), `blockSums` (Σq per 16). Also `values`.
        case q8Blocks256
    }

    /// The largest vector `prepare` accepts.
    public let maxColumns: Int
    /// Columns of the current vector.
    public private(set) var columns: Int = 0
    /// Encoding of the current vector.
    public private(set) var encoding: Encoding = .float

    /// Capacity rounded up to whole 256-value blocks; padding is kept at zero.
    let capacity: Int
    /// The float vector (always filled by `prepare`), zero-padded to `capacity`.
    public let values: UnsafeMutablePointer<Float>
    /// 8-bit quantized values, zero-padded to `capacity`.
    public let quants: UnsafeMutablePointer<Int8>
    /// Per-block scale d (per 32 values for `.q8Blocks32`, per 256 for `.q8Blocks256`).
    public let scales: UnsafeMutablePointer<Float>
    /// Per 32-block d·Σq (Q8_1's `s`).
    public let sums: UnsafeMutablePointer<Float>
    /// Per 32-block Σq (to remove the offsets of Q4_0, Q5_0, IQ4_NL).
    public let quantSums: UnsafeMutablePointer<Int32>
    /// Per 16 values Σq (Q8_K's `bsums`).
    public let blockSums: UnsafeMutablePointer<Int16>
    /// `quants` with each group of four 32-blocks reordered as the nibble kernels (and IQ4_XS)
    /// read them (values 0-15 of the four blocks, then values 16-31).
    let nibbleQuants: UnsafeMutablePointer<Int8>
    /// `quants` with every 128 values of each 256-block reordered [0-31, 64-95, 32-63, 96-127], as
    /// the Q4_K / Q5_K kernels read them.
    let kQuants: UnsafeMutablePointer<Int8>
    /// Per 32-block [d, d·Σq] interleaved (what the C kernels gather eight blocks at a time).
    let scaleSumPairs: UnsafeMutablePointer<Float>
    /// Per 32-block [Σq, 0] interleaved, as floats.
    let quantSumPairs: UnsafeMutablePointer<Float>

    /// Allocates storage for vectors of up to `maxColumns` values.
    public init(maxColumns: Int) {
        self.maxColumns = max(0, maxColumns)
        capacity = (self.maxColumns + 255) / 256 * 256
        let alignment = 64
        func alloc<T>(_ count: Int, _: T.Type) -> UnsafeMutablePointer<T> {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<T>.stride, alignment: alignment)
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1) * MemoryLayout<T>.stride)
            return raw.bindMemory(to: T.self, capacity: max(count, 1))
        }
        values = alloc(capacity, Float.self)
        quants = alloc(capacity, Int8.self)
        nibbleQuants = alloc(capacity, Int8.self)
        kQuants = alloc(capacity, Int8.self)
        scales = alloc(capacity / 32, Float.self)
        sums = alloc(capacity / 32, Float.self)
        quantSums = alloc(capacity / 32, Int32.self)
        blockSums = alloc(capacity / 16, Int16.self)
        scaleSumPairs = alloc(capacity / 16, Float.self)
        quantSumPairs = alloc(capacity / 16, Float.self)
    }

    deinit {
        values.deallocate(); quants.deallocate(); nibbleQuants.deallocate(); kQuants.deallocate(); scales.deallocate(); sums.deallocate(); quantSums.deallocate(); blockSums.deallocate(); scaleSumPairs.deallocate(); quantSumPairs.deallocate()
    }

    /// The encoding the dot product of weights of `type` wants.
    public static func encoding(for type: GGMLType) -> Encoding {
        switch type {
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .iq4_nl: return .q8Blocks32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .iq4_xs: return .q8Blocks256
        default: return .float
        }
    }

    /// Copies `x` (`columns` ≤ `maxColumns` values) and quantizes it as weights of `type` need.
    /// A `columns` above `maxColumns` is a programming error (precondition).
    public func prepare(_ x: UnsafePointer<Float>, columns: Int, for type: GGMLType) {
        precondition(columns >= 0 && columns <= maxColumns, "PreparedActivation: \(columns) columns exceed maxColumns \(maxColumns)")
        let old = self.columns
        values.update(from: x, count: columns)
        if old > columns { (values + columns).update(repeating: 0, count: old - columns) }
        self.columns = columns
        encoding = Self.encoding(for: type)
        let padded = (columns + 255) / 256 * 256
        switch encoding {
        case .float: break
        case .q8Blocks32:
            if !ActivationQuantizer.fastQ8Blocks32(self, blocks: padded / 32) {
                ActivationQuantizer.q8Blocks32(self, blocks: padded / 32)
            }
        case .q8Blocks256:
            if !ActivationQuantizer.fastQ8Blocks256(self, blocks: padded / 256) {
                ActivationQuantizer.q8Blocks256(self, blocks: padded / 256)
            }
        }
    }

    /// `prepare` through the scalar Swift quantizer only (the reference for the C one).
    public func prepareReference(_ x: UnsafePointer<Float>, columns: Int, for type: GGMLType) {
        precondition(columns >= 0 && columns <= maxColumns, "PreparedActivation: \(columns) columns exceed maxColumns \(maxColumns)")
        let old = self.columns
        values.update(from: x, count: columns)
        if old > columns { (values + columns).update(repeating: 0, count: old - columns) }
        self.columns = columns
        encoding = Self.encoding(for: type)
        let padded = (columns + 255) / 256 * 256
        switch encoding {
        case .float: break
        case .q8Blocks32: ActivationQuantizer.q8Blocks32(self, blocks: padded / 32)
        case .q8Blocks256: ActivationQuantizer.q8Blocks256(self, blocks: padded / 256)
        }
    }
}
