import GGUF

/// Scalar reference dot products of one weight row with a prepared activation, in the integer
/// form the fast kernels use (so the fast paths can be checked against these exactly, up to float
/// reassociation). `blocks` is the number of weight blocks in the row.
public enum ReferenceDot {
    /// Q8_0 weights × Q8_0 activation: Σ_b d_w·d_x·Σ q_w·q_x.
    public static func q8_0(_ row: UnsafeRawPointer, _ a: PreparedActivation, blocks: Int) -> Float {
        var total: Float = 0
        for b in 0..<blocks {
            let w = row + b * 34, q = a.quants + b * 32
            var sum: Int32 = 0
            for j in 0..<32 { sum += Int32(w.load(fromByteOffset: 2 + j, as: Int8.self)) * Int32(q[j]) }
            total += loadHalf(w, 0) * a.scales[b] * Float(sum)
        }
        return total
    }

    /// Q4_0 weights × Q8_0 activation: Σ_b d_w·d_x·Σ (q_w − 8)·q_x.
    public static func q4_0(_ row: UnsafeRawPointer, _ a: PreparedActivation, blocks: Int) -> Float {
        var total: Float = 0
        for b in 0..<blocks {
            let w = row + b * 18, q = a.quants + b * 32
            var sum: Int32 = 0
            for j in 0..<16 {
                let v = w.load(fromByteOffset: 2 + j, as: UInt8.self)
                sum += (Int32(v & 0xF) - 8) * Int32(q[j]) + (Int32(v >> 4) - 8) * Int32(q[j + 16])
            }
            total += loadHalf(w, 0) * a.scales[b] * Float(sum)
        }
        return total
    }

    /// Q4_1 weights × Q8_1 activation: Σ_b (d_w·d_x·Σ q_w·q_x + m_w·s_x).
    public static func q4_1(_ row: UnsafeRawPointer, _ a: PreparedActivation, blocks: Int) -> Float {
        var total: Float = 0
        for b in 0..<blocks {
            let w = row + b * 20, q = a.quants + b * 32
            var sum: Int32 = 0
            for j in 0..<16 {
                let v = w.load(fromByteOffset: 4 + j, as: UInt8.self)
                sum += Int32(v & 0xF) * Int32(q[j]) + Int32(v >> 4) * Int32(q[j + 16])
            }
            total += loadHalf(w, 0) * a.scales[b] * Float(sum) + loadHalf(w, 2) * a.sums[b]
        }
        return total
    }

    /// Q5_0 weights × Q8_0 activation.
    public static func q5_0(_ row: UnsafeRawPointer, _ a: PreparedActivation, blocks: Int) -> Float {
        var total: Float = 0
        for b in 0..<blocks {
            let w = row + b * 22, q = a.quants + b * 32
            let qh = UInt32(littleEndian: w.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            var sum: Int32 = 0
            for j in 0..<16 {
                let v = w.load(fromByteOffset: 6 + j, as: UInt8.self)
                let lo = Int32(v & 0xF) | Int32((qh >> UInt32(j)) & 1) << 4
                let hi = Int32(v >> 4) | Int32((qh >> UInt32(j + 16)) & 1) << 4
                sum += (lo - 16) * Int32(q[j]) + (hi - 16) * Int32(q[j + 16])
            }
            total += loadHalf(w, 0) * a.scales[b] * Float(sum)
        }
        return total
    }

    /// Q5_1 weights × Q8_1 activation.
    public static func q5_1(_ row: UnsafeRawPointer, _ a: PreparedActivation, blocks: Int) -> Float {
        var total: Float = 0
        for b in 0..<blocks {
            let w = row + b * 24, q = a.quants + b * 32
            let qh = UInt32(littleEndian: w.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            var sum: Int32 = 0
            for j in 0..<16 {
                let v = w.load(fromByteOffset: 8 + j, as: UInt8.self)
                let lo = Int32(v & 0xF) | Int32((qh >> UInt32(j)) & 1) << 4
                let hi = Int32(v >> 4) | Int32((qh >> UInt32(j + 16)) & 1) << 4
                sum += lo * Int32(q[j]) + hi * Int32(q[j + 16])
            }
            total += loadHalf(w, 0) * a.scales[b] * Float(sum) + loadHalf(w, 2) * a.sums[b]
        }
        return total
    }

    /// IQ4_NL weights × Q8_0 activation.
    public static func iq4_nl(_ row: UnsafeRawPointer, _ a: PreparedActivation, blocks: Int) -> Float {
        var total: Float = 0
        Dequantize.iq4Values.withUnsafeBufferPointer { kv in
            for b in 0..<blocks {
                let w = row + b * 18, q = a.quants + b * 32
                var sum: Int32 = 0
                for j in 0..<16 {
                    let v = w.load(fromByteOffset: 2 + j, as: UInt8.self)
                    sum += Int32(kv[Int(v & 0xF)]) * Int32(q[j]) + Int32(kv[Int(v >> 4)]) * Int32(q[j + 16])
                }
                total += loadHalf(w, 0) * a.scales[b] * Float(sum)
            }
        }
        return total
    }

    /// Any supported type × the float activation: dequantizes a block at a time (on the stack)
    /// and accumulates the float dot product. The fallback for types without an integer kernel.
    public static func generic(_ type: GGMLType, _ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, columns: Int) -> Float {
        guard let expand = Dequantize.blockFunction(type) else { return .nan }
        let bs = type.blockSize, bytes = type.bytesPerBlock
        let chunk = bs == 1 ? 256 : bs
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: chunk) { buf in
            let tmp = buf.baseAddress!
            var total: Float = 0
            var c = 0
            while c < columns {
                let n = min(chunk, columns - c)
                for k in stride(from: 0, to: n, by: bs) {
                    expand(row + (c + k) / bs * bytes, tmp + k)
                }
                total += Ops.dot(tmp, x + c, count: n)
                c += n
            }
            return total
        }
    }
}
