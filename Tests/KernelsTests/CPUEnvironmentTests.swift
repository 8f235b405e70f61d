import CKernels
import Testing
@testable import Kernels

/// What the kernels set up about the CPU they run on: OpenBLAS's kernels and the subnormal modes.
@Suite struct CPUEnvironmentTests {
    /// OpenBLAS 0.3.21 falls back to its SSE3 kernels on Xeons newer than it; on any CPU with
    /// AVX-512 (or AVX2) the session must run the kernels for that instruction set.
    @Test func openBLASRunsKernelsForThisCPU() {
        let name = BLAS.coreName
        let old = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "unknown"]
        #if arch(x86_64)
        if lt_cpu_has_avx512() != 0 || lt_cpu_has_avx2() != 0 {
            #expect(!old.contains(name), "OpenBLAS runs its \(name) kernels")
        }
        #endif
        // And sgemm still multiplies: a 3×2 by 2×2 product.
        let a: [Float] = [1, 2, 3, 4, 5, 6], b: [Float] = [1, 0, 1, 1]
        var c = [Float](repeating: 0, count: 6)
        Ops.sgemm(m: 3, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: &c, ldc: 2)
        #expect(c == [3, 2, 7, 4, 11, 6])
    }

    @Test func subnormalsFlushOnlyInsideTheScope() {
        let tiny: Float = 1e-39   // subnormal
        #expect(tiny != 0 && !tiny.isNormal)
        func product(_ x: Float) -> Float { lt_test_multiply(x, 0.5) }
        #expect(product(tiny) != 0)
        let saved = lt_fp_flush_subnormals()
        let flushed = product(tiny)
        lt_fp_restore(saved)
        #if arch(x86_64)
        #expect(flushed == 0)
        #endif
        #expect(product(tiny) != 0)
    }
}
