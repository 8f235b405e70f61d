import GGUF

/// Why a kernel refused its input.
public enum KernelsError: Error, CustomStringConvertible, Equatable {
    /// The block type has no dequantization or dot product in this module.
    case unsupportedType(GGMLType)
    /// The matrix shape does not fit the block type (columns must be a multiple of the block size).
    case invalidShape(type: GGMLType, rows: Int, columns: Int)

    public var description: String {
        switch self {
        case .unsupportedType(let type):
            return "unsupported tensor type \(type.name) (supported: \(WeightMatrix.supportedTypes.map(\.name).joined(separator: ", ")))"
        case .invalidShape(let type, let rows, let columns):
            return "invalid \(type.name) matrix shape \(rows)×\(columns): columns must be a positive multiple of \(type.blockSize)"
        }
    }
}
