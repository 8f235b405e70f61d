import CKernels
import Testing

/// The half-precision KV cache kernels against a scalar Swift reference (Swift's own `Float16`).
@Suite struct HalfAttentionKernelTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 250_000  // in [-4, 4]
        }
    }

    @Test(arguments: [(64, 1), (64, 37), (128, 300), (16, 5), (40, 23), (256, 17), (272, 9)])
    func scoresAndValuesMatchTheScalarReference(headSize hs: Int, count: Int) {
        var g = Generator(state: UInt64(hs * 1000 + count))
        let q = (0..<hs).map { _ in g.next() }
        let kf = (0..<(count * hs)).map { _ in g.next() }
        let vf = (0..<(count * hs)).map { _ in g.next() }
        var k = [UInt16](repeating: 0, count: count * hs), v = k
        lt_f32_to_f16(kf, &k, Int64(k.count))
        lt_f32_to_f16(vf, &v, Int64(v.count))
        #expect(k == kf.map { Float16($0).bitPattern }, "F32 to F16 rounds to nearest like Swift")
        var back = [Float](repeating: 0, count: k.count)
        lt_f16_to_f32(k, &back, Int64(k.count))
        #expect(back == k.map { Float(Float16(bitPattern: $0)) })

        let scale: Float = 0.125
        var s = [Float](repeating: 0, count: count)
        lt_attn_scores_f16(q, k, Int64(count), Int64(hs), scale, &s)
        for j in 0..<count {
            var ref: Double = 0
            for c in 0..<hs { ref += Double(q[c]) * Double(Float16(bitPattern: k[j * hs + c])) }
            ref *= Double(scale)
            #expect(abs(Double(s[j]) - ref) <= 1e-5 * Double(hs) * 16 * 0.125 + 1e-6, "score \(j): \(s[j]) vs \(ref)")
        }

        let p = (0..<count).map { _ in abs(g.next()) / Float(count) }
        var out = [Float](repeating: .nan, count: hs)
        lt_attn_values_f16(p, v, Int64(count), Int64(hs), &out)
        for d in 0..<hs {
            var ref: Double = 0
            for j in 0..<count { ref += Double(p[j]) * Double(Float16(bitPattern: v[j * hs + d])) }
            #expect(abs(Double(out[d]) - ref) <= 1e-5 * (1 + abs(ref)), "value \(d): \(out[d]) vs \(ref)")
        }
    }

    @Test func conversionKeepsSpecialValues() {
        let x: [Float] = [0, -0, 1, -2.5, 65504, 70000, -70000, 6e-8, .infinity, -.infinity, 1e-10, 0.1, 3.14159, -1e5, 2, 3, 4]
        var h = [UInt16](repeating: 0, count: x.count)
        lt_f32_to_f16(x, &h, Int64(x.count))
        #expect(h == x.map { Float16($0).bitPattern })
    }
}
