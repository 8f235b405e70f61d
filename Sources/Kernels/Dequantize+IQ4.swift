/// The non-linear 4-bit types IQ4_NL and IQ4_XS (values looked up in a 16-entry table).
extension Dequantize {
    /// The IQ4 code book (ggml's `kvalues_iq4nl`).
    static let iq4Values: [Int8] = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113]

    /// IQ4_NL (18 bytes): f16 d, 16 bytes of nibbles indexing the code book.
    public static func iq4_nlBlock(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = loadHalf(b, 0)
        iq4Values.withUnsafeBufferPointer { kv in
            for j in 0..<16 {
                let q = b.load(fromByteOffset: 2 + j, as: UInt8.self)
                y[j] = d * Float(kv[Int(q & 0xF)])
                y[j + 16] = d * Float(kv[Int(q >> 4)])
            }
        }
    }

    /// The 6-bit scale (stored − 32) of group `ib` (0..<8) of an IQ4_XS block.
    @inline(__always)
    static func iq4_xsScale(_ b: UnsafeRawPointer, _ ib: Int) -> Int {
        let high = UInt16(littleEndian: b.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        let low = b.load(fromByteOffset: 4 + ib / 2, as: UInt8.self) >> UInt8(4 * (ib % 2)) & 0xF
        return (Int(low) | Int((high >> UInt16(2 * ib)) & 3) << 4) - 32
    }

    /// IQ4_XS (136 bytes): f16 d, u16 high scale bits, 4 bytes low scale nibbles, 128 bytes of
    /// code-book nibbles; eight groups of 32, value = d·scale·codebook[q].
    public static func iq4_xsBlock(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = loadHalf(b, 0)
        iq4Values.withUnsafeBufferPointer { kv in
            for ib in 0..<8 {
                let dl = d * Float(iq4_xsScale(b, ib))
                let qs = b + 8 + ib * 16, o = y + ib * 32
                for j in 0..<16 {
                    let q = qs.load(fromByteOffset: j, as: UInt8.self)
                    o[j] = dl * Float(kv[Int(q & 0xF)])
                    o[j + 16] = dl * Float(kv[Int(q >> 4)])
                }
            }
        }
    }
}
