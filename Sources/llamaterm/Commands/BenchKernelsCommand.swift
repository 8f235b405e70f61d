import ArgumentParser
import Foundation
import GGUF
import Kernels

/// `llamaterm bench-kernels`: GB/s of the quantized matrix-vector product per block type (the
/// decode bound) and GFLOP/s of the batched product (the prefill bound), medians of several runs.
struct BenchKernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-kernels",
        abstract: "Measure the speed of the quantized kernels (GB/s of multiply, GFLOP/s of multiplyBatch).",
        shouldDisplay: false
    )

    @Option(help: "Comma-separated block types (default: every supported type).")
    var types: String?

    @Option(help: "Matrix size in megabytes.")
    var megabytes = 100

    @Option(help: "Columns of the matrix (a multiple of 256).")
    var columns = 4096

    @Option(help: "Timed runs per measurement (the median is reported).")
    var runs = 7

    @Option(help: "Comma-separated thread counts for multiply.")
    var threads = "1,2"

    @Option(help: "Vectors per multiplyBatch (0 skips it).")
    var batch = 256

    @Option(help: "Rows of the matrix multiplyBatch uses.")
    var batchRows = 1024

    @Flag(help: "Time one-thread runs by the thread's CPU time (on a machine busy with other work).")
    var cpuTime = false

    @Option(help: "A GGUF model: also time one decode step's matrix-vector products over its real weights.")
    var model: String?

    func run() throws {
        try CLIErrors.report {
            if let model {
                let bench = try KernelsModelBench(path: model)
                let counts = threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                for t in counts {
                    let r = bench.measure(threads: t, runs: max(runs, 20), cpuTime: cpuTime)
                    print(String(format: "model weights: %d matrices, %.1f MB, %d thread(s): %.3f ms/token (%.3f preparing), %.2f GB/s, ceiling %.0f tokens/s",
                                 r.matrices, Double(r.bytes) / 1e6, t, r.secondsPerToken * 1000, r.prepareSeconds * 1000,
                                 r.gigabytesPerSecond, r.tokensPerSecond))
                }
                if types == nil { return }
            }
            let chosen: [GGMLType] = try types.map { list in
                try list.split(separator: ",").map { name in
                    let n = name.trimmingCharacters(in: .whitespaces).uppercased()
                    guard let t = GGMLType.allCases.first(where: { $0.name.uppercased() == n }) else {
                        throw ValidationError("unknown block type '\(name)'")
                    }
                    return t
                }
            } ?? WeightMatrix.supportedTypes
            let threadCounts = threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            for t in threadCounts {
                if let peak = KernelsBench.vnniPeak(threads: t) {
                    print(String(format: "int8 peak (register-only vpdpbusd loop), %d thread(s): %.0f GOPS", t, peak))
                }
            }
            print("type     rows×columns      MB  " + threadCounts.map { "GB/s \($0)t".padding(toLength: 11, withPad: " ", startingAt: 0) }.joined()
                + "batch GFLOP/s (1t, n=\(batch))  tiled GOPS (1t, n=\(batch))")
            for type in chosen {
                let r = try KernelsBench.measure(type: type, targetBytes: megabytes * 1_000_000, columns: columns, runs: runs,
                                                 threads: threadCounts, batchTokens: batch, batchRows: batchRows, cpuTime: cpuTime)
                let shape = "\(r.rows)×\(r.columns)".padding(toLength: 16, withPad: " ", startingAt: 0)
                let gb = r.gigabytesPerSecond.map { String(format: "%-11.2f", $0.value) }.joined()
                let fl = (r.batchGigaflops.map { String(format: "%.1f", $0) } ?? "-").padding(toLength: 30, withPad: " ", startingAt: 0)
                let tiled = r.tiledGigaops.map { String(format: "%.1f", $0) } ?? "-"
                print("\(type.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(shape) \(String(format: "%4d", r.bytes / 1_000_000))  \(gb)\(fl)\(tiled)")
            }
        }
    }
}
