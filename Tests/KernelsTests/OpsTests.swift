import Foundation
import Testing
@testable import Kernels

/// Each fast `Ops` function against its scalar reference in `OpsReference`.
@Suite struct OpsTests {
    static let sizes = [1, 15, 16, 33, 576, 1000]

    func close(_ a: [Float], _ b: [Float], relative: Float, absolute: Float = 1e-6) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= absolute + relative * abs($1) }
    }

    @Test(arguments: sizes)
    func dotAddScaledAdd(_ n: Int) {
        let a = TestData.vector(n, seed: 1), b = TestData.vector(n, seed: 2)
        let d = Ops.dot(a, b, count: n), r = OpsReference.dot(a, b, count: n)
        #expect(abs(d - r) <= 1e-5 * Float(n).squareRoot() * 4)
        var y = a
        Ops.add(&y, b, count: n)
        #expect(y == zip(a, b).map { $0 + $1 })
        y = a
        Ops.scaledAdd(&y, b, scale: 0.37, count: n)
        #expect(close(y, zip(a, b).map { $0 + 0.37 * $1 }, relative: 1e-6))
    }

    @Test(arguments: sizes)
    func rmsNorm(_ n: Int) {
        let x = TestData.vector(n, seed: 3), w = TestData.vector(n, seed: 4)
        var y = [Float](repeating: 0, count: n), r = y
        Ops.rmsNorm(x, weight: w, into: &y, count: n, epsilon: 1e-5)
        OpsReference.rmsNorm(x, weight: w, into: &r, count: n, epsilon: 1e-5)
        #expect(close(y, r, relative: 1e-5))
        // In place.
        var z = x
        z.withUnsafeMutableBufferPointer { Ops.rmsNorm($0.baseAddress!, weight: w, into: $0.baseAddress!, count: n, epsilon: 1e-5) }
        #expect(z == y)
    }

    @Test(arguments: sizes)
    func softmax(_ n: Int) {
        var x = TestData.vector(n, seed: 5).map { $0 * 8 }, r = x
        Ops.softmax(&x, count: n)
        OpsReference.softmax(&r, count: n)
        #expect(close(x, r, relative: 2e-6, absolute: 1e-9))
        #expect(abs(x.reduce(0, +) - 1) < 1e-5)
        // Extreme values stay finite.
        var e: [Float] = [-1e30, 0, 88, -200, 1000]
        Ops.softmax(&e, count: e.count)
        #expect(e.allSatisfy { $0.isFinite } && abs(e[4] - 1) < 1e-6)
    }

    @Test(arguments: sizes)
    func siluMultiply(_ n: Int) {
        var g = TestData.vector(n, seed: 6).map { $0 * 6 }, r = g
        let u = TestData.vector(n, seed: 7)
        Ops.siluMultiply(&g, u, count: n)
        OpsReference.siluMultiply(&r, u, count: n)
        #expect(close(g, r, relative: 2e-6, absolute: 1e-7))
    }

    @Test(arguments: [0, 1, 17, 4000])
    func rope(_ position: Int) {
        let heads = 3, size = 64
        var x = TestData.vector(heads * size, seed: 8), r = x
        let original = x
        Ops.rope(&x, headCount: heads, headSize: size, position: position, base: 10000, ropeDimensions: 48, positionScale: 0.5)
        OpsReference.rope(&r, headCount: heads, headSize: size, position: position, base: 10000, ropeDimensions: 48, positionScale: 0.5)
        // θ as a running Float product drifts by a few ulps of θ (θ ≤ 2000 rad here).
        #expect(close(x, r, relative: 2e-4, absolute: 2e-4))
        for h in 0..<heads {
            // Pairs beyond ropeDimensions are untouched; rotation keeps each pair's length.
            #expect(Array(x[(h * size + 48)..<(h * size + 64)]) == Array(original[(h * size + 48)..<(h * size + 64)]))
            let i = h * size + 2
            let before = original[i] * original[i] + original[i + 1] * original[i + 1]
            #expect(abs(x[i] * x[i] + x[i + 1] * x[i + 1] - before) <= 1e-4 * max(1, before))
        }
        if position == 0 { #expect(x == original) }
        if position == 1 {
            // Pair 0 turns by exactly positionScale·1 radian.
            let c = cos(Float(0.5)), s = sin(Float(0.5))
            #expect(abs(x[0] - (original[0] * c - original[1] * s)) < 1e-6)
        }
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func sgemm(_ ta: Bool, _ tb: Bool) {
        let m = 7, n = 9, k = 13
        let a = TestData.vector(m * k, seed: 9), b = TestData.vector(k * n, seed: 10)
        let lda = ta ? m : k, ldb = tb ? k : n, ldc = n + 2
        var c = [Float](repeating: 0, count: m * ldc), r = c
        Ops.sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: &c, ldc: ldc)
        OpsReference.sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: &r, ldc: ldc)
        #expect(close(c, r, relative: 1e-5, absolute: 1e-5))
        // beta accumulates.
        Ops.sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: 1, c: &c, ldc: ldc)
        #expect(close(c, r.map { 2 * $0 }, relative: 1e-5, absolute: 1e-5))
    }
}
