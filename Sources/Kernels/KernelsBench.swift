import CKernels
import Dispatch
import Foundation
import GGUF

/// Speed of the kernels on synthetic matrices: `multiply` as GB/s of weights read (the decode
/// bound), `multiplyBatch` as GFLOP/s (the prefill bound). Behind `llamaterm bench-kernels`.
public enum KernelsBench {
    public struct Result: Sendable {
        public var type: GGMLType
        public var rows: Int
        public var columns: Int
        public var bytes: Int
        /// Median GB/s of a full `multiply`, per thread count.
        public var gigabytesPerSecond: [(threads: Int, value: Double)]
        /// Median GFLOP/s of `multiplyBatch` on one thread (nil when not measured).
        public var batchGigaflops: Double?
        /// Median GOPS (2 per multiply-add) of the K-quant register-tile product on one thread,
        /// the batch quantized once (nil for types without it).
        public var tiledGigaops: Double?
    }

    /// The int8 peak of one thread: GOPS of a register-only vpdpbusd loop (median of `runs`), run
    /// on `threads` threads at once; nil without AVX-512 VNNI.
    public static func vnniPeak(threads: Int, runs: Int = 5) -> Double? {
        guard FastKernels.available else { return nil }
        let iterations: Int64 = 20_000_000
        let times = (0..<runs).map { _ in
            time { DispatchQueue.concurrentPerform(iterations: max(1, threads)) { _ in _ = lt_vnni_peak_loop(iterations) } }
        }
        return Double(lt_vnni_peak_loop(0) + iterations * 12 * 128) * Double(max(1, threads)) / median(times) / 1e9
    }

    /// Measures `type` on a matrix of about `targetBytes` with `columns` columns: `runs` timed
    /// multiplies per entry of `threads` (rows split evenly), and, if `batchTokens` > 0, `runs`
    /// batched products of `batchTokens` vectors by the first `batchRows` rows. With `cpuTime`,
    /// one-thread runs are timed by the thread's CPU time (for a machine shared with other work).
    public static func measure(type: GGMLType, targetBytes: Int, columns: Int, runs: Int, threads: [Int],
                               batchTokens: Int, batchRows: Int, cpuTime: Bool = false) throws -> Result {
        guard columns > 0, columns % type.blockSize == 0 else {
            throw KernelsError.invalidShape(type: type, rows: 0, columns: columns)
        }
        let rowBytes = type.rowBytes(columns)
        let rows = max(1, targetBytes / rowBytes)
        let storage = UnsafeMutableRawPointer.allocate(byteCount: rows * rowBytes, alignment: 64)
        defer { storage.deallocate() }
        fillRandom(storage, type: type, rows: rows, columns: columns)
        let matrix = try WeightMatrix(type: type, rows: rows, columns: columns, data: UnsafeRawPointer(storage))

        var xs = [Float](repeating: 0, count: columns * max(1, batchTokens))
        var seed: UInt64 = 0x1234_5678
        for i in xs.indices { xs[i] = Float(Int64(bitPattern: next(&seed)) % 2000) / 1000 }
        let act = PreparedActivation(maxColumns: columns)
        act.prepare(xs, columns: columns, for: type)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: max(rows, batchRows) * max(1, batchTokens))
        defer { y.deallocate() }

        var perThreads: [(Int, Double)] = []
        for t in threads where t >= 1 {
            let chunk = (rows + t - 1) / t
            let out = OutputPointer(pointer: y)
            let times = (0..<(runs + 1)).map { _ in
                time(cpu: cpuTime && t == 1) {
                    DispatchQueue.concurrentPerform(iterations: t) { i in
                        let lo = min(rows, i * chunk), hi = min(rows, lo + chunk)
                        matrix.multiply(act, rows: lo..<hi, into: out.pointer)
                    }
                }
            }.dropFirst()  // the first run warms caches and page tables
            perThreads.append((t, Double(rows * rowBytes) / median(Array(times)) / 1e9))
        }

        var gflops: Double?
        if batchTokens > 0 {
            let bRows = min(rows, max(1, batchRows))
            let scratchCount = WeightMatrix.batchScratchCount(columns: columns)
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
            defer { scratch.deallocate() }
            let times = (0..<(runs + 1)).map { _ in
                time(cpu: cpuTime) {
                    matrix.multiplyBatch(xs, count: batchTokens, rows: 0..<bRows, into: y, ldy: bRows,
                                         scratch: scratch, scratchCount: scratchCount)
                }
            }.dropFirst()
            gflops = 2 * Double(bRows) * Double(columns) * Double(batchTokens) / median(Array(times)) / 1e9
        }
        var gops: Double?
        if batchTokens > 0 && matrix.hasQuantizedBatchKernel {
            let bRows = min(rows, max(1, batchRows))
            let batch = QuantizedBatch(maxRows: batchTokens, maxColumns: columns)
            batch.setShape(rows: batchTokens, columns: columns, encoding: matrix.quantizedBatchEncoding ?? .q8K)
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: WeightMatrix.quantizedBatchScratchBytes(columns: columns), alignment: 64)
            defer { scratch.deallocate() }
            let times = (0..<(runs + 1)).map { _ in
                time(cpu: cpuTime) {
                    batch.quantize(xs, ldx: columns, range: 0..<batchTokens)
                    matrix.multiply(batch, rows: 0..<bRows, into: y, ldy: bRows, scratch: scratch)
                }
            }.dropFirst()
            gops = 2 * Double(bRows) * Double(columns) * Double(batchTokens) / median(Array(times)) / 1e9
        }
        return Result(type: type, rows: rows, columns: columns, bytes: rows * rowBytes,
                      gigabytesPerSecond: perThreads.map { (threads: $0.0, value: $0.1) }, batchGigaflops: gflops,
                      tiledGigaops: gops)
    }

    /// Lets worker closures write their own rows of one output vector.
    public struct OutputPointer: @unchecked Sendable {
        public let pointer: UnsafeMutablePointer<Float>
        public init(pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
    }

    /// Seconds `body` takes: wall-clock, or the calling thread's CPU time.
    public static func time(cpu: Bool = false, _ body: () -> Void) -> Double {
        if cpu {
            var a = timespec(), b = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a)
            body()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b)
            return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
        }
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    public static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.isEmpty ? .nan : s[s.count / 2]
    }

    static func next(_ state: inout UInt64) -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }

    /// Random blocks with small sane f16 scales (or normal-range floats for the float types), so
    /// no NaN or denormal slows anything down.
    static func fillRandom(_ p: UnsafeMutableRawPointer, type: GGMLType, rows: Int, columns: Int) {
        var s: UInt64 = 0x9E37_79B9_7F4A_7C15
        let count = rows * type.rowBytes(columns)
        switch type {
        case .f32, .f16, .bf16:
            for i in 0..<(rows * columns) {
                let v = Float(Int64(bitPattern: next(&s)) % 2000) / 1000
                switch type {
                case .f32: p.storeBytes(of: v, toByteOffset: i * 4, as: Float.self)
                case .f16: p.storeBytes(of: Float16(v).bitPattern, toByteOffset: i * 2, as: UInt16.self)
                default: p.storeBytes(of: UInt16(v.bitPattern >> 16), toByteOffset: i * 2, as: UInt16.self)
                }
            }
        default:
            let words = count / 8
            for i in 0..<words { p.storeBytes(of: next(&s), toByteOffset: i * 8, as: UInt64.self) }
            for i in (words * 8)..<count { p.storeBytes(of: UInt8(truncatingIfNeeded: next(&s)), toByteOffset: i, as: UInt8.self) }
            let offsets = type.halfScaleOffsets
            let scale = Float16(0.01).bitPattern
            for b in 0..<(count / type.bytesPerBlock) {
                for off in offsets { p.storeBytes(of: scale, toByteOffset: b * type.bytesPerBlock + off, as: UInt16.self) }
            }
        }
    }
}
