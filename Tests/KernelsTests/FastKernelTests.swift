import Foundation
import GGUF
import Testing
@testable import Kernels

/// Each AVX-512 kernel against the scalar Swift reference on random data, with odd block counts
/// (tails) and row ranges that start mid-matrix.
@Suite struct FastKernelTests {
    @Test func fastKernelsAreBuiltOnThisMachine() {
        // This project is built with -march=native on an AVX-512 VNNI machine.
        #expect(FastKernels.available)
        for type in WeightMatrix.supportedTypes { #expect(FastKernels.matvec(type) != nil, "\(type)") }
    }

    @Test(arguments: WeightMatrix.supportedTypes)
    func fastMatchesReference(_ type: GGMLType) throws {
        // Block counts that leave every remainder of the eight-block groups.
        for columns in (type.blockSize == 256 ? [256, 1792] : [32, 96, 160, 224, 576, 1792, 33 * 32]) {
            let rows = 29
            let bytes = TestData.matrixBytes(type, rows: rows, columns: columns, seed: UInt64(columns))
            let x = TestData.vector(columns, seed: 99)
            try bytes.withUnsafeBytes { raw in
                let m = try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                let a = PreparedActivation(maxColumns: 2048)
                a.prepare(x, columns: columns, for: type)
                var fast = [Float](repeating: .nan, count: rows), ref = fast
                m.multiply(a, rows: 3..<rows, into: &fast)
                m.multiplyReference(a, rows: 3..<rows, into: &ref)
                var w = [Float](repeating: 0, count: columns)
                for r in 0..<rows {
                    if r < 3 { #expect(fast[r].isNaN); continue }
                    m.dequantize(rows: r..<(r + 1), into: &w)
                    // Scale of the terms: |w|·|x|; float reassociation errors are far below 1e-5 of it.
                    let scale = (referenceDot(w, w.map { $0 }) * referenceDot(x, x)).squareRoot()
                    #expect(abs(Double(fast[r]) - Double(ref[r])) <= 2e-5 * scale + 1e-6,
                            "\(type) \(columns) row \(r): fast \(fast[r]) reference \(ref[r])")
                }
            }
        }
    }

    @Test(arguments: WeightMatrix.supportedTypes)
    func fastDequantizeMatchesReference(_ type: GGMLType) throws {
        let rows = 5, columns = 768
        let bytes = TestData.matrixBytes(type, rows: rows, columns: columns, seed: 42)
        try bytes.withUnsafeBytes { raw in
            let m = try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!)
            var fast = [Float](repeating: .nan, count: 3 * columns), ref = fast
            m.dequantize(rows: 2..<5, into: &fast)
            m.dequantizeReference(rows: 2..<5, into: &ref)
            // Equal up to fused multiply-add rounding.
            for i in 0..<fast.count {
                #expect(abs(fast[i] - ref[i]) <= 1e-6 * max(abs(ref[i]), 1e-3), "\(type) value \(i): \(fast[i]) vs \(ref[i])")
            }
        }
    }

    @Test(arguments: [GGMLType.q4_1, .q4_K])
    func fastPrepareIsBitIdenticalToReference(_ type: GGMLType) {
        for columns in [256, 576, 1536, 4096] {
            var x = TestData.vector(columns, seed: UInt64(columns))
            x[5] = 0  // and an all-zero block
            for i in 32..<64 { x[i] = 0 }
            let fast = PreparedActivation(maxColumns: 4096), ref = PreparedActivation(maxColumns: 4096)
            fast.prepare(x, columns: columns, for: type)
            ref.prepareReference(x, columns: columns, for: type)
            let padded = (columns + 255) / 256 * 256
            #expect(fast.encoding == ref.encoding)
            #expect((0..<padded).allSatisfy { fast.quants[$0] == ref.quants[$0] })
            if fast.encoding == .q8Blocks32 {
                for b in 0..<(padded / 32) {
                    #expect(fast.scales[b] == ref.scales[b] && fast.sums[b] == ref.sums[b] && fast.quantSums[b] == ref.quantSums[b])
                    #expect(fast.scaleSumPairs[2 * b] == ref.scaleSumPairs[2 * b] && fast.scaleSumPairs[2 * b + 1] == ref.scaleSumPairs[2 * b + 1])
                    #expect(fast.quantSumPairs[2 * b] == ref.quantSumPairs[2 * b])
                }
                #expect((0..<padded).allSatisfy { fast.nibbleQuants[$0] == ref.nibbleQuants[$0] })
            } else {
                #expect((0..<(padded / 256)).allSatisfy { fast.scales[$0] == ref.scales[$0] })
                #expect((0..<(padded / 16)).allSatisfy { fast.blockSums[$0] == ref.blockSums[$0] })
                #expect((0..<padded).allSatisfy { fast.kQuants[$0] == ref.kQuants[$0] })
                #expect((0..<padded).allSatisfy { fast.nibbleQuants[$0] == ref.nibbleQuants[$0] })
            }
        }
    }

    /// The masked final groups never touch a byte past the matrix: the matrix ends right at a page
    /// the process may not read.
    @Test(arguments: WeightMatrix.supportedTypes)
    func kernelsNeverReadPastTheMatrix(_ type: GGMLType) throws {
        let columns = type.blockSize == 256 ? 256 * 3 : 32 * 7, rows = 3
        let bytes = TestData.matrixBytes(type, rows: rows, columns: columns, seed: 5)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let span = (bytes.count + page - 1) / page * page
        let base = try #require(mmap(nil, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(base, span + page) }
        #expect(mprotect(base + span, page, PROT_NONE) == 0)
        let start = base + span - bytes.count
        bytes.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        let m = try WeightMatrix(type: type, rows: rows, columns: columns, data: UnsafeRawPointer(start))
        let a = PreparedActivation(maxColumns: columns)
        a.prepare(TestData.vector(columns, seed: 6), columns: columns, for: type)
        var fast = [Float](repeating: 0, count: rows), ref = fast
        m.multiply(a, rows: 0..<rows, into: &fast)
        m.multiplyReference(a, rows: 0..<rows, into: &ref)
        for r in 0..<rows { #expect(abs(fast[r] - ref[r]) <= 1e-3 * max(1, abs(ref[r])), "\(type) row \(r)") }
        var w = [Float](repeating: 0, count: rows * columns)
        m.dequantize(rows: 0..<rows, into: &w)
        #expect(w.allSatisfy { $0.isFinite })
    }

    /// The AVX2 fallbacks (used by builds without AVX-512) against the Swift references.
    @Test(arguments: [GGMLType.q4_0, .q4_1, .q8_0, .q4_K, .q6_K])
    func avx2FallbackMatchesReference(_ type: GGMLType) throws {
        try #require(FastKernels.avx2Available)
        let kernel = try #require(FastKernels.avx2MatVec(type))
        let rows = 9, columns = 768
        let bytes = TestData.matrixBytes(type, rows: rows, columns: columns, seed: 77)
        let x = TestData.vector(columns, seed: 78)
        try bytes.withUnsafeBytes { raw in
            let m = try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!)
            let a = PreparedActivation(maxColumns: columns)
            a.prepare(x, columns: columns, for: type)
            var fast = [Float](repeating: .nan, count: rows), ref = fast
            withUnsafePointer(to: a.cView) { view in
                kernel(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), Int64(m.rowBytes), Int64(columns / type.blockSize),
                       view, 1, Int64(rows), &fast)
            }
            m.multiplyReference(a, rows: 1..<rows, into: &ref)
            #expect(fast[0].isNaN)
            for r in 1..<rows {
                #expect(abs(fast[r] - ref[r]) <= 1e-3 * max(1, abs(ref[r])), "\(type) row \(r): \(fast[r]) vs \(ref[r])")
            }
        }
    }
}
