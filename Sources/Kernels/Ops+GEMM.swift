import COpenBLAS

extension Ops {
    /// Row-major single-precision matrix product through OpenBLAS's `cblas_sgemm`:
    /// C = alpha·op(A)·op(B) + beta·C, where op(A) is m × k (A is k × m when `transposeA`),
    /// op(B) is k × n (B is n × k when `transposeB`), C is m × n; `lda`/`ldb`/`ldc` are the row
    /// strides of A, B, C as stored. OpenBLAS runs on the calling thread only (see `BLAS`).
    public static func sgemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                             alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        BLAS.ensureSingleThreaded()
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}

extension Ops {
    /// Row-major single-precision matrix-vector product through OpenBLAS's `cblas_sgemv`:
    /// y = alpha·op(A)·x + beta·y, A is m × n with row stride `lda`; op(A) is A (y has m values,
    /// x has n) or, when `transpose`, Aᵀ (y has n values, x has m). Runs on the calling thread.
    public static func sgemv(transpose: Bool = false, m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                             x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        guard m > 0, n > 0 else { return }
        BLAS.ensureSingleThreaded()
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, blasint(m), blasint(n), alpha, a, blasint(lda),
                    x, 1, beta, y, 1)
    }
}
