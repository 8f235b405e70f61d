/// The 256-value "K" block types: Q2_K, Q3_K, Q4_K, Q5_K, Q6_K.
extension Dequantize {
    /// Q2_K (84 bytes): 16 scale bytes (low nibble scale, high nibble min), 64 bytes of 2-bit
    /// values, f16 d, f16 dmin. Sixteen groups of 16; value = d·sc·q − dmin·m.
    public static func q2_KBlock(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let scales = b, qs = b + 16
        let d = loadHalf(b, 80), dmin = loadHalf(b, 82)
        var out = 0, group = 0
        for half in 0..<2 {
            let q = qs + half * 32
            for shift in stride(from: 0, to: 8, by: 2) {
                for part in 0..<2 {
                    let sc = scales.load(fromByteOffset: group, as: UInt8.self)
                    group += 1
                    let dl = d * Float(sc & 0xF), ml = dmin * Float(sc >> 4)
                    for l in 0..<16 {
                        let v = (q.load(fromByteOffset: part * 16 + l, as: UInt8.self) >> UInt8(shift)) & 3
                        y[out] = dl * Float(v) - ml
                        out += 1
                    }
                }
            }
        }
    }

    /// The sixteen 6-bit scales of a Q3_K block (12 bytes), as signed values (stored − 32).
    @inline(__always)
    static func q3_KScale(_ s: UnsafeRawPointer, _ j: Int) -> Int {
        let low = j < 8 ? Int(s.load(fromByteOffset: j, as: UInt8.self) & 0xF)
                        : Int(s.load(fromByteOffset: j - 8, as: UInt8.self) >> 4)
        let high = Int((s.load(fromByteOffset: 8 + j % 4, as: UInt8.self) >> UInt8(2 * (j / 4))) & 3)
        return (low | high << 4) - 32
    }

    /// Q3_K (110 bytes): 32 bytes high-bit mask, 64 bytes of 2-bit values, 12 bytes of 6-bit
    /// scales, f16 d. Value = d·scale·(q − (high bit clear ? 4 : 0)).
    public static func q3_KBlock(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let hmask = b, qs = b + 32, scales = b + 96
        let d = loadHalf(b, 108)
        var out = 0, group = 0
        var mask: UInt8 = 1
        for half in 0..<2 {
            let q = qs + half * 32
            for shift in stride(from: 0, to: 8, by: 2) {
                for part in 0..<2 {
                    let dl = d * Float(q3_KScale(scales, group))
                    group += 1
                    for l in 0..<16 {
                        let i = part * 16 + l
                        let low = Int((q.load(fromByteOffset: i, as: UInt8.self) >> UInt8(shift)) & 3)
                        let high = hmask.load(fromByteOffset: i, as: UInt8.self) & mask != 0 ? 0 : 4
                        y[out] = dl * Float(low - high)
                        out += 1
                    }
                }
                mask <<= 1
            }
        }
    }

    /// Scale and min `j` (0..<8) of the 12-byte 6-bit packing Q4_K and Q5_K share.
    @inline(__always)
    static func kScaleMin(_ s: UnsafeRawPointer, _ j: Int) -> (Float, Float) {
        func byte(_ i: Int) -> UInt8 { s.load(fromByteOffset: i, as: UInt8.self) }
        if j < 4 {
            return (Float(byte(j) & 63), Float(byte(j + 4) & 63))
        }
        let sc = (byte(j + 4) & 0xF) | ((byte(j - 4) >> 6) << 4)
        let m = (byte(j + 4) >> 4) | ((byte(j) >> 6) << 4)
        return (Float(sc), Float(m))
    }

    /// Q4_K (144 bytes): f16 d, f16 dmin, 12 bytes of scales/mins, 128 bytes of nibbles. Eight
    /// groups of 32; each 32-byte run holds a group in its low nibbles and the next in its high.
    public static func q4_KBlock(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = loadHalf(b, 0), dmin = loadHalf(b, 2)
        let scales = b + 4, qs = b + 16
        for pair in 0..<4 {
            let (s1, m1) = kScaleMin(scales, 2 * pair)
            let (s2, m2) = kScaleMin(scales, 2 * pair + 1)
            let q = qs + pair * 32, o = y + pair * 64
            for l in 0..<32 {
                let v = q.load(fromByteOffset: l, as: UInt8.self)
                o[l] = d * s1 * Float(v & 0xF) - dmin * m1
                o[l + 32] = d * s2 * Float(v >> 4) - dmin * m2
            }
        }
    }

    /// Q5_K (176 bytes): as Q4_K plus 32 bytes of high bits (bit 2·pair for the low group,
    /// 2·pair+1 for the high group) before the nibbles.
    public static func q5_KBlock(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = loadHalf(b, 0), dmin = loadHalf(b, 2)
        let scales = b + 4, qh = b + 16, qs = b + 48
        for pair in 0..<4 {
            let (s1, m1) = kScaleMin(scales, 2 * pair)
            let (s2, m2) = kScaleMin(scales, 2 * pair + 1)
            let q = qs + pair * 32, o = y + pair * 64
            let u1 = UInt8(1) << UInt8(2 * pair), u2 = UInt8(2) << UInt8(2 * pair)
            for l in 0..<32 {
                let v = q.load(fromByteOffset: l, as: UInt8.self)
                let h = qh.load(fromByteOffset: l, as: UInt8.self)
                o[l] = d * s1 * Float(Int(v & 0xF) + (h & u1 != 0 ? 16 : 0)) - dmin * m1
                o[l + 32] = d * s2 * Float(Int(v >> 4) + (h & u2 != 0 ? 16 : 0)) - dmin * m2
            }
        }
    }

    /// Q6_K (210 bytes): 128 bytes low nibbles, 64 bytes of 2-bit highs, 16 signed scales, f16 d.
    /// Value = d·scale·(q − 32), scales per 16 values.
    public static func q6_KBlock(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = loadHalf(b, 208)
        for half in 0..<2 {
            let ql = b + half * 64, qh = b + 128 + half * 32, sc = b + 192 + half * 8
            let o = y + half * 128
            for l in 0..<32 {
                let s = l / 16
                let lo0 = ql.load(fromByteOffset: l, as: UInt8.self)
                let lo1 = ql.load(fromByteOffset: l + 32, as: UInt8.self)
                let h = qh.load(fromByteOffset: l, as: UInt8.self)
                let q1 = Int((lo0 & 0xF) | ((h >> 0) & 3) << 4) - 32
                let q2 = Int((lo1 & 0xF) | ((h >> 2) & 3) << 4) - 32
                let q3 = Int((lo0 >> 4) | ((h >> 4) & 3) << 4) - 32
                let q4 = Int((lo1 >> 4) | ((h >> 6) & 3) << 4) - 32
                func scale(_ i: Int) -> Float { d * Float(sc.load(fromByteOffset: i, as: Int8.self)) }
                o[l] = scale(s) * Float(q1)
                o[l + 32] = scale(s + 2) * Float(q2)
                o[l + 64] = scale(s + 4) * Float(q3)
                o[l + 96] = scale(s + 6) * Float(q4)
            }
        }
    }
}
