import GGUF

/// A row-major weight matrix (rows × columns) stored in a GGUF block type, viewed in place
/// (typically inside the model's mmap; the owner keeps the memory alive).
public struct WeightMatrix: @unchecked Sendable {
    /// The block types this module can dequantize and multiply.
    public static let supportedTypes: [GGMLType] = [
        .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0,
        .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .iq4_nl, .iq4_xs,
    ]

    public let type: GGMLType
    public let rows: Int
    public let columns: Int
    public let data: UnsafeRawPointer

    /// Throws `KernelsError.unsupportedType` for a type outside `supportedTypes` and
    /// `KernelsError.invalidShape` when `columns` is not a positive multiple of the block size.
    /// `data` must hold `rows · type.rowBytes(columns)` bytes (the caller checks the tensor's extent
    /// in the file); nothing past them is ever read.
    public init(type: GGMLType, rows: Int, columns: Int, data: UnsafeRawPointer) throws {
        guard Self.supportedTypes.contains(type) else { throw KernelsError.unsupportedType(type) }
        guard rows >= 0, columns > 0, columns % type.blockSize == 0 else {
            throw KernelsError.invalidShape(type: type, rows: rows, columns: columns)
        }
        self.type = type
        self.rows = rows
        self.columns = columns
        self.data = data
    }

    /// Bytes of one stored row.
    public var rowBytes: Int { type.rowBytes(columns) }

    /// Total bytes of the matrix.
    public var byteCount: Int { rowBytes * rows }

    /// The start of row `r`.
    @inline(__always)
    public func row(_ r: Int) -> UnsafeRawPointer { data + r * rowBytes }
}
