import CKernels

// softmax and SiLU: the two operations built on exp (vectorized in CKernels).

extension Ops {
    /// In-place softmax: x[i] = exp(x[i] − max) / Σ exp(x[j] − max). Empty input is left alone.
    public static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        let m = lt_max(x, Int64(count))
        let sum = lt_exp_sub_sum(x, Int64(count), m)
        scale(x, by: 1 / sum, count: count)
    }

    /// gate[i] = silu(gate[i])·up[i], silu(g) = g / (1 + exp(−g)).
    public static func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        lt_silu_mul(gate, up, Int64(count))
    }
}
