import CKernels

/// Scalar quantization of a prepared activation (ggml's Q8_0/Q8_1 and Q8_K schemes).
enum ActivationQuantizer {
    /// Blocks of 32: d = amax/127 (stored rounded to f16, as ggml does), q = round(x·127/amax),
    /// s = d·Σq (rounded to f16).
    static func q8Blocks32(_ a: PreparedActivation, blocks: Int) {
        for b in 0..<blocks {
            let x = a.values + b * 32, q = a.quants + b * 32
            var amax: Float = 0
            for j in 0..<32 { amax = max(amax, abs(x[j])) }
            let d = amax / 127
            let id: Float = amax > 0 ? 127 / amax : 0
            var sum = 0
            for j in 0..<32 {
                let v = Int8((x[j] * id).rounded(.toNearestOrEven))
                q[j] = v
                sum += Int(v)
            }
            a.scales[b] = roundToHalf(d)
            a.sums[b] = roundToHalf(d * Float(sum))
            a.quantSums[b] = Int32(sum)
            a.scaleSumPairs[2 * b] = a.scales[b]
            a.scaleSumPairs[2 * b + 1] = a.sums[b]
            a.quantSumPairs[2 * b] = Float(sum)
        }
        fillNibbleOrder(a, groups: blocks / 4)
    }

    /// Blocks of 256: d = amax/127 (float), q = round(x/d) clamped to ±127, Σq per 16 values.
    static func q8Blocks256(_ a: PreparedActivation, blocks: Int) {
        for b in 0..<blocks {
            let x = a.values + b * 256, q = a.quants + b * 256
            var amax: Float = 0
            for j in 0..<256 { amax = max(amax, abs(x[j])) }
            let id: Float = amax > 0 ? 127 / amax : 0
            for j in 0..<256 {
                q[j] = Int8(max(-127, min(127, (x[j] * id).rounded(.toNearestOrEven))))
            }
            a.scales[b] = amax / 127
            for g in 0..<16 {
                var s = 0
                for j in 0..<16 { s += Int(q[g * 16 + j]) }
                a.blockSums[b * 16 + g] = Int16(s)
            }
            for h in 0..<2 {
                let src = q + 128 * h, dst = a.kQuants + 256 * b + 128 * h
                for j in 0..<32 {
                    dst[j] = src[j]
                    dst[32 + j] = src[64 + j]
                    dst[64 + j] = src[32 + j]
                    dst[96 + j] = src[96 + j]
                }
            }
        }
        fillNibbleOrder(a, groups: blocks * 2)
    }

    /// `nibbleQuants` from `quants`: each group of four 32-blocks as their values 0-15, then 16-31.
    static func fillNibbleOrder(_ a: PreparedActivation, groups: Int) {
        for g in 0..<groups {
            let q = a.quants + g * 128, n = a.nibbleQuants + g * 128
            for i in 0..<4 {
                for k in 0..<16 {
                    n[16 * i + k] = q[32 * i + k]
                    n[64 + 16 * i + k] = q[32 * i + 16 + k]
                }
            }
        }
    }

    /// The AVX-512 version of `q8Blocks32` (bit-identical); false when the build lacks it.
    static func fastQ8Blocks32(_ a: PreparedActivation, blocks: Int) -> Bool {
        lt_quantize_q8_32(a.values, Int64(blocks), a.quants, a.scales, a.sums, a.quantSums,
                          a.scaleSumPairs, a.quantSumPairs, a.nibbleQuants) != 0
    }

    /// The AVX-512 version of `q8Blocks256` (bit-identical); false when the build lacks it.
    static func fastQ8Blocks256(_ a: PreparedActivation, blocks: Int) -> Bool {
        lt_quantize_q8_256(a.values, Int64(blocks), a.quants, a.scales, a.blockSums, a.kQuants, a.nibbleQuants) != 0
    }
}
