import GGUF

extension GGMLType {
    /// Byte offsets of the f16 scale (and min) fields within one block: what random test and
    /// benchmark blocks must fill with sane values (random bits there can be NaN or huge).
    public var halfScaleOffsets: [Int] {
        switch self {
        case .q4_0, .q5_0, .q8_0, .iq4_nl, .iq4_xs: return [0]
        case .q4_1, .q5_1, .q4_K, .q5_K: return [0, 2]
        case .q2_K: return [80, 82]
        case .q3_K: return [108]
        case .q6_K: return [208]
        default: return []
        }
    }
}
