import Foundation

/// Plain scalar versions of `Ops`, the reference the tests hold the fast versions to.
public enum OpsReference {
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s: Double = 0
        for i in 0..<count { s += Double(a[i]) * Double(b[i]) }
        return Float(s)
    }

    public static func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                               count: Int, epsilon: Float) {
        var s: Double = 0
        for i in 0..<count { s += Double(x[i]) * Double(x[i]) }
        let inv = 1 / (s / Double(count) + Double(epsilon)).squareRoot()
        for i in 0..<count { y[i] = Float(Double(x[i]) * inv) * weight[i] }
    }

    public static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        var m = x[0]
        for i in 0..<count { m = max(m, x[i]) }
        var s: Double = 0
        for i in 0..<count { s += exp(Double(x[i] - m)) }
        for i in 0..<count { x[i] = Float(exp(Double(x[i] - m)) / s) }
    }

    public static func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = Double(gate[i])
            gate[i] = Float(g / (1 + exp(-g)) * Double(up[i]))
        }
    }

    /// RoPE with θ computed directly in Double (not ggml's running product).
    public static func rope(_ x: UnsafeMutablePointer<Float>, headCount: Int, headSize: Int, position: Int,
                            base: Float, ropeDimensions: Int, positionScale: Float) {
        for h in 0..<headCount {
            for i in stride(from: 0, to: min(ropeDimensions, headSize) - 1, by: 2) {
                let theta = Double(position) * Double(positionScale) * pow(Double(base), -Double(i) / Double(ropeDimensions))
                let p = x + h * headSize + i
                let a = Double(p[0]), b = Double(p[1])
                p[0] = Float(a * cos(theta) - b * sin(theta))
                p[1] = Float(a * sin(theta) + b * cos(theta))
            }
        }
    }

    /// Row-major C = op(A)·op(B) (alpha 1, beta 0), accumulated in Double.
    public static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var s: Double = 0
                for l in 0..<k {
                    let av = transposeA ? a[l * lda + i] : a[i * lda + l]
                    let bv = transposeB ? b[j * ldb + l] : b[l * ldb + j]
                    s += Double(av) * Double(bv)
                }
                c[i * ldc + j] = Float(s)
            }
        }
    }
}
