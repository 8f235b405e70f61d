import CKernels
import GGUF

/// The C (AVX-512 VNNI) matrix-vector kernels, chosen per block type. When the build has no
/// AVX-512 VNNI, `available` is false and `WeightMatrix` uses the Swift references instead.
enum FastKernels {
    typealias MatVec = @convention(c) (UnsafePointer<UInt8>?, Int64, Int64, UnsafePointer<lt_activation>?, Int64, Int64, UnsafeMutablePointer<Float>?) -> Void

    static let available: Bool = lt_fast_kernels_available() != 0

    /// The kernel for `type`, or nil if none (then the Swift path is used).
    static func matvec(_ type: GGMLType) -> MatVec? {
        guard available else { return nil }
        switch type {
        case .f32: return lt_matvec_f32
        case .f16: return lt_matvec_f16
        case .bf16: return lt_matvec_bf16
        case .q4_0: return lt_matvec_q4_0
        case .q4_1: return lt_matvec_q4_1
        case .q5_0: return lt_matvec_q5_0
        case .q5_1: return lt_matvec_q5_1
        case .q8_0: return lt_matvec_q8_0
        case .iq4_nl: return lt_matvec_iq4_nl
        case .q2_K: return lt_matvec_q2_K
        case .q3_K: return lt_matvec_q3_K
        case .q4_K: return lt_matvec_q4_K
        case .q5_K: return lt_matvec_q5_K
        case .q6_K: return lt_matvec_q6_K
        case .iq4_xs: return lt_matvec_iq4_xs
        default: return nil
        }
    }
}

extension PreparedActivation {
    /// The C view of this activation.
    var cView: lt_activation {
        lt_activation(values: values, quants: quants, scales: scales, sums: sums, isums: quantSums, bsums: blockSums,
                     pairs: scaleSumPairs, offsets: quantSumPairs, nquants: nibbleQuants)
    }
}
