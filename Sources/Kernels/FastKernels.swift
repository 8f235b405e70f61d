import CKernels
import GGUF

/// The C matrix-vector kernels, chosen per block type: AVX-512 VNNI when the build has it; else
/// the AVX2 fallbacks (Q4_0, Q4_1, Q8_0, Q4_K, Q6_K) on a CPU with AVX2; else none, and
/// `WeightMatrix` uses the Swift references.
enum FastKernels {
    typealias MatVec = @convention(c) (UnsafePointer<UInt8>?, Int64, Int64, UnsafePointer<lt_activation>?, Int64, Int64, UnsafeMutablePointer<Float>?) -> Void

    static let available: Bool = lt_fast_kernels_available() != 0

    /// The kernel for `type`, or nil if none (then the Swift path is used).
    static let avx2Available: Bool = lt_avx2_available() != 0

    static func matvec(_ type: GGMLType) -> MatVec? {
        guard available else { return avx2Available ? avx2MatVec(type) : nil }
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

    /// The AVX2 fallback kernel for `type`, if there is one.
    static func avx2MatVec(_ type: GGMLType) -> MatVec? {
        switch type {
        case .q4_0: return lt_matvec_q4_0_avx2
        case .q4_1: return lt_matvec_q4_1_avx2
        case .q8_0: return lt_matvec_q8_0_avx2
        case .q4_K: return lt_matvec_q4_K_avx2
        case .q6_K: return lt_matvec_q6_K_avx2
        default: return nil
        }
    }
}

extension PreparedActivation {
    /// The C view of this activation.
    var cView: lt_activation {
        lt_activation(values: values, quants: quants, scales: scales, sums: sums, isums: quantSums, bsums: blockSums,
                     pairs: scaleSumPairs, offsets: quantSumPairs, nquants: nibbleQuants, kquants: kQuants)
    }
}
