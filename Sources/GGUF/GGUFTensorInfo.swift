/// Where one tensor lives in a GGUF file and what shape and type it has.
public struct GGUFTensorInfo: Equatable, Sendable {
    /// The tensor's name, e.g. `blk.0.attn_q.weight`.
    public var name: String
    /// Dimensions, innermost first (ggml's `ne`): a weight matrix is `[columns, rows]`.
    public var dimensions: [Int]
    /// The block type of its elements.
    public var type: GGMLType
    /// Offset of its data from the start of the file's data section.
    public var offset: Int

    public init(name: String, dimensions: [Int], type: GGMLType, offset: Int) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
    }

    /// Total number of elements.
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// Bytes of data.
    public var byteCount: Int { elementCount / type.blockSize * type.bytesPerBlock }

    /// Elements per row (the innermost dimension).
    public var columns: Int { dimensions.first ?? 1 }

    /// Number of rows (the product of the outer dimensions).
    public var rows: Int { dimensions.dropFirst().reduce(1, *) }
}
