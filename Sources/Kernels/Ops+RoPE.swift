import Foundation

extension Ops {
    /// Rotary position embedding in place on `headCount` heads of `headSize` floats, ggml's NORMAL
    /// mode (the GGUF llama layout): pair (2i, 2i+1) of each head, for 2i < `ropeDimensions`, is
    /// rotated by θ_i = (position·positionScale)·base^(−2i/ropeDimensions); the rest is unchanged.
    /// θ is computed as ggml does (a running product in Float) so results match llama.cpp closely.
    public static func rope(_ x: UnsafeMutablePointer<Float>, headCount: Int, headSize: Int, position: Int,
                            base: Float, ropeDimensions: Int, positionScale: Float) {
        let dims = min(ropeDimensions, headSize)
        guard dims >= 2 else { return }
        let thetaScale = powf(base, -2 / Float(ropeDimensions))
        var theta = Float(position)
        for i in stride(from: 0, to: dims - 1, by: 2) {
            let angle = positionScale * theta
            let c = cosf(angle), s = sinf(angle)
            for h in 0..<headCount {
                let p = x + h * headSize + i
                let a = p[0], b = p[1]
                p[0] = a * c - b * s
                p[1] = a * s + b * c
            }
            theta *= thetaScale
        }
    }
}
