import GGUF

extension ReferenceDot {
    /// Any supported quantized type × its quantized activation, the plain way: each weight block
    /// dequantized to floats (scalar reference), multiplied by the activation's integer quants and
    /// scaled by the activation block scale. The reference for the K types and IQ4_XS kernels.
    public static func quantized(_ type: GGMLType, _ row: UnsafeRawPointer, _ a: PreparedActivation, columns: Int) -> Float {
        guard let expand = Dequantize.blockFunction(type) else { return .nan }
        let bs = type.blockSize
        let actBlock = a.encoding == .q8Blocks256 ? 256 : 32
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: bs) { buf in
            let w = buf.baseAddress!
            var total: Double = 0
            for b in 0..<(columns / bs) {
                expand(row + b * type.bytesPerBlock, w)
                for i in 0..<bs {
                    let c = b * bs + i
                    total += Double(w[i]) * Double(a.quants[c]) * Double(a.scales[c / actBlock])
                }
            }
            return Float(total)
        }
    }
}
