import CKernels
import Foundation
import GGUF
import Testing

/// The llama.cpp-matching kernels (`lt_compat_*`): each AVX-512 version gives the same bits as its
/// scalar C reference, and the references compute what they claim (a dot product, an exponential, a
/// softmax) to within float rounding. That they round exactly like llama.cpp is checked end to end
/// by `GreedyReferenceTests`.
@Suite struct CompatKernelTests {
    static func floats(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var rng = SeededRandom(seed: seed)
        return (0..<n).map { _ in rng.normal() * scale }
    }

    static func blocks(_ x: [Float], reference: Bool = false) -> [lt_q8_block] {
        var out = [lt_q8_block](repeating: lt_q8_block(), count: x.count / 32)
        if reference { lt_compat_quantize_ref(x, Int64(out.count), &out) } else { lt_compat_quantize(x, Int64(out.count), &out) }
        return out
    }

    static func bits(_ b: [lt_q8_block]) -> [UInt8] {
        b.withUnsafeBytes { Array($0) }
    }

    @Test func quantizationMatchesReference() {
        var x = Self.floats(32 * 40, seed: 1, scale: 3)
        for i in 0..<32 { x[32 * 5 + i] = 0 }  // an all-zero block
        x[32 * 7] = 1e6                          // one huge value
        let fast = Self.blocks(x), ref = Self.blocks(x, reference: true)
        #expect(Self.bits(fast) == Self.bits(ref))
        // Dequantized values are within half a step of the input.
        for (b, blk) in ref.enumerated() {
            let q = withUnsafeBytes(of: blk.q) { Array($0.bindMemory(to: Int8.self)) }
            for i in 0..<32 {
                let amax = x[(32 * b)..<(32 * b + 32)].map { abs($0) }.max()!
                #expect(abs(Float(q[i]) * amax / 127 - x[32 * b + i]) <= amax / 254 * 1.0001)
            }
        }
        #expect(ref[5].d == 0 && ref[5].s == 0)
    }

    @Test(arguments: [GGMLType.q4_1, .q8_0])
    func matmulMatchesReference(type: GGMLType) {
        let rows = 37, columns = 32 * 12, blocks = columns / 32
        let w = TestData.matrixBytes(type, rows: rows, columns: columns, seed: 7)
        let code = Int32(type == .q4_1 ? LT_COMPAT_Q4_1 : LT_COMPAT_Q8_0)
        for cols in [1, 2, 3, 4, 5, 9] {
            let act = Self.blocks(Self.floats(cols * columns, seed: UInt64(cols), scale: 2))
            var fast = [Float](repeating: .nan, count: cols * rows), ref = fast, packed = fast
            lt_compat_matmul(code, w, Int64(type.rowBytes(columns)), Int64(blocks), 3, 31, act, nil, nil, Int64(cols), &fast, Int64(rows))
            lt_compat_matmul_ref(code, w, Int64(type.rowBytes(columns)), Int64(blocks), 3, 31, act, Int64(cols), &ref, Int64(rows))
            #expect(fast.map(\.bitPattern) == ref.map(\.bitPattern), "\(type), \(cols) columns")
            // The batch kernel (packed activations; 28 rows from an odd start, columns not a multiple of 8).
            let padded = (cols + 7) / 8 * 8
            var pairs = [lt_q8_pair](repeating: lt_q8_pair(), count: padded / 2 * blocks)
            var sums = [Float](repeating: .nan, count: padded * blocks)
            lt_compat_pack(act, Int64(cols), Int64(blocks), 0, Int64(padded), &pairs, &sums)
            lt_compat_matmul(code, w, Int64(type.rowBytes(columns)), Int64(blocks), 3, 31, act, pairs, sums, Int64(cols), &packed, Int64(rows))
            #expect(packed.map(\.bitPattern) == ref.map(\.bitPattern), "\(type), \(cols) columns, packed")
            // Rows outside 3..<31 are untouched; the others are the dot product of the dequantized values.
            #expect(fast[0].isNaN && fast[rows - 1].isNaN)
            for c in 0..<cols {
                for r in 3..<31 {
                    var exact = 0.0, magnitude = 0.0
                    for b in 0..<blocks {
                        let blk = act[c * blocks + b]
                        let q = withUnsafeBytes(of: blk.q) { Array($0.bindMemory(to: Int8.self)) }
                        for i in 0..<32 {
                            let wv = Double(Self.weight(type, w, rowBytes: type.rowBytes(columns), row: r, index: 32 * b + i))
                            exact += wv * Double(q[i]) * Double(blk.d)
                            magnitude += abs(wv * Double(q[i]) * Double(blk.d))
                        }
                        if type == .q4_1 {
                            // The offset term uses the rounded s = f16(d·Σq) rather than d·Σq.
                            let m = Double(Self.half(w, r * type.rowBytes(columns) + 20 * b + 2))
                            exact += m * (Double(blk.s) - Double(blk.d) * Double(q.reduce(0) { $0 + Int($1) }))
                        }
                    }
                    #expect(abs(Double(ref[c * rows + r]) - exact) <= 1e-5 * magnitude + 1e-6, "\(type) row \(r) column \(c)")
                }
            }
        }
    }

    /// The embedding lookup rounds twice for Q4_1 (q·d, then + m), once for Q8_0.
    @Test(arguments: [GGMLType.q4_1, .q8_0])
    func embeddingRowsRoundLikeLlamaCpp(type: GGMLType) {
        let columns = 32 * 6
        let w = TestData.matrixBytes(type, rows: 3, columns: columns, seed: 9)
        var y = [Float](repeating: 0, count: columns)
        let rowBytes = type.rowBytes(columns)
        lt_compat_dequantize_row(Int32(type == .q4_1 ? LT_COMPAT_Q4_1 : LT_COMPAT_Q8_0), Array(w[rowBytes...]), Int64(columns / 32), &y)
        for i in 0..<columns {
            let b = i / 32, j = i % 32, o = rowBytes + (type == .q4_1 ? 20 : 34) * b
            let want: Float
            if type == .q4_1 {
                let byte = w[o + 4 + j % 16]
                let q = Float(j < 16 ? byte & 15 : byte >> 4)
                let product = q * Self.half(w, o)
                want = product + Self.half(w, o + 2)
            } else {
                want = Float(Int8(bitPattern: w[o + 2 + j])) * Self.half(w, o)
            }
            #expect(y[i].bitPattern == want.bitPattern, "\(type) value \(i)")
        }
    }

    static func half(_ w: [UInt8], _ offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(w[offset]) | UInt16(w[offset + 1]) << 8))
    }

    /// Value `index` of row `row` (dequantized without the Q4_1 offset's f16 rounding question).
    static func weight(_ type: GGMLType, _ w: [UInt8], rowBytes: Int, row: Int, index: Int) -> Float {
        let b = index / 32, i = index % 32
        if type == .q8_0 {
            let o = row * rowBytes + 34 * b
            return half(w, o) * Float(Int8(bitPattern: w[o + 2 + i]))
        }
        let o = row * rowBytes + 20 * b
        let byte = w[o + 4 + i % 16]
        return half(w, o) * Float(i < 16 ? byte & 15 : byte >> 4) + half(w, o + 2)
    }

    @Test func expMatchesReferenceAndLibm() {
        var x = Self.floats(1000, seed: 3, scale: 20)
        x += [0, -0.0, 1, -1, 88, 88.7, 89, 100, -87, -103, -104, -150, -1000, -.infinity, .infinity]
        var fast = x, ref = x
        lt_compat_exp(&fast, Int64(fast.count))
        lt_compat_exp_ref(&ref, Int64(ref.count))
        #expect(fast.map(\.bitPattern) == ref.map(\.bitPattern))
        for (v, e) in zip(x, ref) {
            let want = Foundation.exp(Double(v))
            if want > Double(Float.greatestFiniteMagnitude) { #expect(e == .infinity, "exp(\(v))"); continue }
            if want < 1e-37 { #expect(e >= 0 && Double(e) < 2e-37, "exp(\(v)) = \(e)"); continue }
            #expect(abs(Double(e) - want) <= 4e-7 * want, "exp(\(v)) = \(e), want \(want)")
        }
    }

    @Test(arguments: [16, 37, 1536])
    func siluMultiplyMatchesReference(n: Int) {
        let g = Self.floats(n, seed: UInt64(n), scale: 4), u = Self.floats(n, seed: UInt64(n + 1))
        var fast = g, ref = g
        lt_compat_silu_mul(&fast, u, Int64(n))
        lt_compat_silu_mul_ref(&ref, u, Int64(n))
        #expect(fast.map(\.bitPattern) == ref.map(\.bitPattern))
        for i in 0..<n {
            let want = Double(g[i]) / (1 + Foundation.exp(-Double(g[i]))) * Double(u[i])
            #expect(abs(Double(ref[i]) - want) <= 1e-6 * abs(want) + 1e-30)
        }
    }

    @Test func softmaxMatchesReference() {
        for count in [1, 5, 16, 17, 32, 63, 64, 100, 300] {
            let x = Self.floats(count, seed: UInt64(count), scale: 30)
            var fast = x, ref = x
            lt_compat_softmax(&fast, Int64(count), 0.125)
            lt_compat_softmax_ref(&ref, Int64(count), 0.125)
            #expect(fast.map(\.bitPattern) == ref.map(\.bitPattern), "\(count)")
            let m = x.map { Double($0) * 0.125 }.max()!
            let z = x.map { Foundation.exp(Double($0) * 0.125 - m) }.reduce(0, +)
            for i in 0..<count {
                let want = Foundation.exp(Double(x[i]) * 0.125 - m) / z
                #expect(abs(Double(ref[i]) - want) <= 1e-6 * want + 1e-12, "\(count): \(i)")
            }
        }
    }

    static func halves(_ x: [Float]) -> [UInt16] { x.map { Float16($0).bitPattern } }

    @Test(arguments: [(64, 1, 1), (64, 37, 3), (64, 300, 8), (128, 300, 2), (128, 33, 8), (256, 20, 1), (16, 5, 1), (40, 23, 3)])
    func scoresMatchReference(headSize hs: Int, count: Int, queries nq: Int) {
        let q = Self.halves(Self.floats(nq * hs, seed: 11)), k = Self.halves(Self.floats(count * hs, seed: 12))
        let lds = count + 3
        for batch: Int32 in [0, 1] {
            var fast = [Float](repeating: 0, count: nq * lds), ref = fast
            lt_compat_scores(q, Int64(nq), k, Int64(count), Int64(hs), batch, &fast, Int64(lds))
            lt_compat_scores_ref(q, Int64(nq), k, Int64(count), Int64(hs), batch, &ref, Int64(lds))
            #expect(fast.map(\.bitPattern) == ref.map(\.bitPattern), "batch \(batch)")
            for a in 0..<nq {
                for j in 0..<count {
                    var want = 0.0, mag = 0.0
                    for i in 0..<hs {
                        let p = Double(Float(Float16(bitPattern: q[a * hs + i]))) * Double(Float(Float16(bitPattern: k[j * hs + i])))
                        want += p; mag += abs(p)
                    }
                    #expect(abs(Double(ref[a * lds + j]) - want) <= 1e-6 * mag)
                }
            }
        }
    }

    /// Windows whose 64-multiple part ends before `count` exercise the double-precision leftovers.
    @Test(arguments: [(64, 1, 32), (64, 37, 64), (64, 70, 96), (64, 130, 160), (128, 300, 320), (16, 5, 32), (40, 23, 32)])
    func valuesMatchReference(headSize hs: Int, count: Int, window: Int) {
        let p = Self.halves(Self.floats(count, seed: 21).map { abs($0) / Float(count) })
        let v = Self.halves(Self.floats(count * hs, seed: 22))
        var scratch = [Float](repeating: 0, count: 64 * hs)
        for batch: Int32 in [0, 1] {
            var fast = [Float](repeating: 0, count: hs), ref = fast
            lt_compat_values(p, v, Int64(count), Int64(window), Int64(hs), batch, &scratch, &fast)
            lt_compat_values_ref(p, v, Int64(count), Int64(window), Int64(hs), batch, &scratch, &ref)
            #expect(fast.map(\.bitPattern) == ref.map(\.bitPattern), "batch \(batch)")
            for d in 0..<hs {
                var want = 0.0, mag = 0.0
                for j in 0..<count {
                    let t = Double(Float(Float16(bitPattern: p[j]))) * Double(Float(Float16(bitPattern: v[j * hs + d])))
                    want += t; mag += abs(t)
                }
                #expect(abs(Double(ref[d]) - want) <= 1e-6 * mag + 1e-9)
            }
        }
    }

    /// Heads sharing the values give each head's lt_compat_values result.
    @Test(arguments: [(64, 37, 64, 3), (64, 130, 160, 2), (64, 200, 224, 3), (64, 5, 32, 1), (128, 40, 64, 3), (64, 70, 96, 4)])
    func groupedValuesMatchReference(headSize hs: Int, count: Int, window: Int, heads nq: Int) {
        let ldp = count + 5
        let p = Self.halves(Self.floats(nq * ldp, seed: 31).map { abs($0) / Float(count) })
        let v = Self.halves(Self.floats(count * hs, seed: 32))
        var scratch = [Float](repeating: 0, count: max(nq, 1) * 64 * hs)
        for batch: Int32 in [0, 1] {
            var fast = [Float](repeating: 0, count: nq * hs), ref = fast, single = fast
            lt_compat_values_group(p, Int64(nq), Int64(ldp), v, Int64(count), Int64(window), Int64(hs), batch, &scratch, &fast, Int64(hs))
            lt_compat_values_group_ref(p, Int64(nq), Int64(ldp), v, Int64(count), Int64(window), Int64(hs), batch, &scratch, &ref, Int64(hs))
            for a in 0..<nq {
                var out = [Float](repeating: 0, count: hs)
                lt_compat_values(Array(p[(a * ldp)...]), v, Int64(count), Int64(window), Int64(hs), batch, &scratch, &out)
                single.replaceSubrange((a * hs)..<((a + 1) * hs), with: out)
            }
            #expect(fast.map(\.bitPattern) == ref.map(\.bitPattern), "batch \(batch)")
            #expect(fast.map(\.bitPattern) == single.map(\.bitPattern), "batch \(batch)")
        }
    }

    @Test func ropeRotatesPairsAndNormMatchesFormula() {
        var cache = [Float](repeating: 0, count: 64)
        lt_compat_rope_cache(7, 64, 10000, 1, &cache)
        for i in stride(from: 0, to: 64, by: 2) {
            let theta = 7 * pow(10000.0, -Double(i) / 64)
            #expect(abs(Double(cache[i]) - cos(theta)) < 1e-5 && abs(Double(cache[i + 1]) - sin(theta)) < 1e-5, "pair \(i)")
        }
        var x = Self.floats(128, seed: 5)
        let before = x
        lt_compat_rope(&x, 2, 64, 64, cache)
        for i in stride(from: 0, to: 128, by: 2) {
            let c = Double(cache[i % 64]), s = Double(cache[i % 64 + 1]), a = Double(before[i]), b = Double(before[i + 1])
            #expect(abs(Double(x[i]) - (a * c - b * s)) < 1e-6 && abs(Double(x[i + 1]) - (a * s + b * c)) < 1e-6)
        }
        let w = Self.floats(64, seed: 6)
        var y = [Float](repeating: 0, count: 64)
        lt_compat_rms_norm(before, w, &y, 64, 1e-5)
        let rms = (before.prefix(64).map { Double($0) * Double($0) }.reduce(0, +) / 64 + 1e-5).squareRoot()
        for i in 0..<64 { #expect(abs(Double(y[i]) - Double(before[i]) / rms * Double(w[i])) < 1e-5 * max(1, abs(Double(y[i])))) }
    }
}
