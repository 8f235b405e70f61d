import GGUF

/// Scalar reference dequantization of every supported block type (the layouts are ggml's).
/// Each `*Block` function expands one block (`type.blockSize` values) at `block` into `y`.
public enum Dequantize {
    /// Expands `count` values (a multiple of `type.blockSize`) stored at `src` into `y`.
    /// Types outside `WeightMatrix.supportedTypes` throw `KernelsError.unsupportedType`.
    public static func row(_ type: GGMLType, _ src: UnsafeRawPointer, count: Int, into y: UnsafeMutablePointer<Float>) throws {
        guard let expand = blockFunction(type) else { throw KernelsError.unsupportedType(type) }
        guard count % type.blockSize == 0 else {
            throw KernelsError.invalidShape(type: type, rows: 1, columns: count)
        }
        let blocks = count / type.blockSize
        for b in 0..<blocks {
            expand(src + b * type.bytesPerBlock, y + b * type.blockSize)
        }
    }

    /// The block expander for `type`, or nil when the type is not supported.
    static func blockFunction(_ type: GGMLType) -> ((UnsafeRawPointer, UnsafeMutablePointer<Float>) -> Void)? {
        switch type {
        case .f32: return { b, y in y[0] = b.loadUnaligned(as: Float.self) }
        case .f16: return { b, y in y[0] = loadHalf(b, 0) }
        case .bf16: return { b, y in y[0] = loadBFloat(b, 0) }
        case .q4_0: return q4_0Block
        case .q4_1: return q4_1Block
        case .q5_0: return q5_0Block
        case .q5_1: return q5_1Block
        case .q8_0: return q8_0Block
        case .q2_K: return q2_KBlock
        case .q3_K: return q3_KBlock
        case .q4_K: return q4_KBlock
        case .q5_K: return q5_KBlock
        case .q6_K: return q6_KBlock
        case .iq4_nl: return iq4_nlBlock
        case .iq4_xs: return iq4_xsBlock
        default: return nil
        }
    }
}
