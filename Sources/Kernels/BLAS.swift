import COpenBLAS

/// OpenBLAS configuration. The engine runs its own thread pool and calls sgemm from each worker on
/// its share of the rows, so OpenBLAS's own threads would only fight it: every sgemm entry point
/// in this module first pins OpenBLAS to one thread (once per process).
public enum BLAS {
    private static let pinned: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// Pins OpenBLAS to one thread, once. Called by `Ops.sgemm` and `multiplyBatch`.
    @inline(__always)
    public static func ensureSingleThreaded() { _ = pinned }

    /// Lets OpenBLAS use `count` threads (for a caller that runs one big sgemm alone).
    public static func setThreads(_ count: Int) {
        ensureSingleThreaded()
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
