import COpenBLAS

/// OpenBLAS configuration. The engine runs its own thread pool and calls sgemm from each worker on
/// its share of the rows, so OpenBLAS's own threads would only fight it: every sgemm entry point
/// in this module first pins OpenBLAS to one thread (once per process). On a CPU too new for the
/// installed OpenBLAS, which then runs its SSE3 kernels, the AVX-512 (or AVX2) ones are selected
/// first (see `lt_openblas_select_core`).
public enum BLAS {
    private static let pinned: Bool = {
        _ = lt_openblas_select_core()
        openblas_set_num_threads(1)
        return true
    }()

    /// The kernels OpenBLAS runs ("SkylakeX", "Haswell", ...), after the selection above.
    public static var coreName: String {
        ensureSingleThreaded()
        return openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// Pins OpenBLAS to one thread, once (selecting its kernels first). Called by `Ops.sgemm`,
    /// `multiplyBatch` and the inference session's initializer (so this runs before any
    /// worker thread does BLAS work).
    @inline(__always)
    public static func ensureSingleThreaded() { _ = pinned }

    /// Lets OpenBLAS use `count` threads (for a caller that runs one big sgemm alone).
    public static func setThreads(_ count: Int) {
        ensureSingleThreaded()
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
