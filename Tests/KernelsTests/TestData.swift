import Foundation
import GGUF
@testable import Kernels

/// A small seeded random source (SplitMix64) so test data is the same on every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func normal() -> Float {
        let u1 = Float.random(in: Float.ulpOfOne..<1, using: &self), u2 = Float.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// Random weight data in any supported block type: random bytes with small positive f16 scales
/// (like the fixtures), or normal floats for the float types.
enum TestData {
    /// Byte offsets of the f16 scale fields of each block type.
    static func scaleOffsets(_ type: GGMLType) -> [Int] {
        switch type {
        case .q4_0, .q5_0, .q8_0, .iq4_nl, .q3_K, .iq4_xs: return type == .q3_K ? [108] : [0]
        case .q4_1, .q5_1, .q4_K, .q5_K: return [0, 2]
        case .q2_K: return [80, 82]
        case .q6_K: return [208]
        default: return []
        }
    }

    static func matrixBytes(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededRandom(seed: seed)
        let count = rows * type.rowBytes(columns)
        var bytes = [UInt8](repeating: 0, count: count)
        switch type {
        case .f32, .f16, .bf16:
            for i in 0..<(rows * columns) {
                let v = rng.normal()
                switch type {
                case .f32: withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.replaceSubrange(i * 4..<(i * 4 + 4), with: $0) }
                case .f16: withUnsafeBytes(of: Float16(v).bitPattern.littleEndian) { bytes.replaceSubrange(i * 2..<(i * 2 + 2), with: $0) }
                default: withUnsafeBytes(of: UInt16(v.bitPattern >> 16).littleEndian) { bytes.replaceSubrange(i * 2..<(i * 2 + 2), with: $0) }
                }
            }
        default:
            for i in 0..<count { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
            let blocks = count / type.bytesPerBlock
            for b in 0..<blocks {
                for off in scaleOffsets(type) {
                    let s = Float16(Float.random(in: 0.002...0.02, using: &rng))
                    let bits = s.bitPattern
                    bytes[b * type.bytesPerBlock + off] = UInt8(bits & 0xFF)
                    bytes[b * type.bytesPerBlock + off + 1] = UInt8(bits >> 8)
                }
            }
        }
        return bytes
    }

    static func vector(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in rng.normal() }
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var out = [UInt8]()
        var it = hex.utf8.makeIterator()
        func nib(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
        while let a = it.next(), let b = it.next() { out.append(nib(a) << 4 | nib(b)) }
        return out
    }
}

/// Double-precision dot of two float arrays.
func referenceDot(_ a: UnsafePointer<Float>, _ b: [Float]) -> Double {
    var s: Double = 0
    for i in 0..<b.count { s += Double(a[i]) * Double(b[i]) }
    return s
}
