extension Ops {
    /// RMS normalization: y[i] = x[i] / sqrt(mean(x²) + ε) · weight[i]. `y` may be `x`.
    public static func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                               count: Int, epsilon: Float) {
        guard count > 0 else { return }
        var acc = V()
        var i = 0
        while i + 16 <= count {
            let v = load(x + i)
            acc = acc.addingProduct(v, v)
            i += 16
        }
        var sum = acc.sum()
        while i < count { sum += x[i] * x[i]; i += 1 }
        let inv = 1 / (sum / Float(count) + epsilon).squareRoot()
        let s = V(repeating: inv)
        i = 0
        while i + 16 <= count {
            store(load(x + i) * s * load(weight + i), y + i)
            i += 16
        }
        while i < count { y[i] = x[i] * inv * weight[i]; i += 1 }
    }
}
