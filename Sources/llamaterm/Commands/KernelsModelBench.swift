import Dispatch
import Foundation
import GGUF
import Kernels

/// The weight traffic of one decode step of a real model: every 2-D weight matrix multiplied by a
/// prepared vector, as the decoder does per token (no attention, norms or sampling). Gives the
/// ceiling the kernels put on decode speed. Used by `llamaterm bench-kernels --model`.
struct KernelsModelBench {
    struct Result {
        var matrices: Int
        var bytes: Int
        var threads: Int
        var secondsPerToken: Double
        /// Of which preparing (quantizing) the activations.
        var prepareSeconds: Double
        var gigabytesPerSecond: Double { Double(bytes) / secondsPerToken / 1e9 }
        var tokensPerSecond: Double { 1 / secondsPerToken }
    }

    let file: GGUFFile
    let matrices: [WeightMatrix]

    init(path: String) throws {
        let file = try GGUFFile(path: path)
        self.file = file
        let hasOutput = file.tensor(named: "output.weight") != nil
        matrices = try file.tensors.compactMap { t in
            guard t.dimensions.count == 2, t.rows > 1 else { return nil }
            // The embedding table is only read as a matrix when it doubles as the output projection.
            if t.name == "token_embd.weight" && hasOutput { return nil }
            guard WeightMatrix.supportedTypes.contains(t.type) else { throw KernelsError.unsupportedType(t.type) }
            let data = file.data(of: t)
            guard let base = data.baseAddress else { return nil }
            return try WeightMatrix(type: t.type, rows: t.rows, columns: t.columns, data: base)
        }
    }

    /// Median over `runs` simulated tokens (after one warm-up) with `threads` workers per matrix;
    /// with `cpuTime`, one-thread runs are timed by the thread's CPU time.
    func measure(threads: Int, runs: Int, cpuTime: Bool = false) -> Result {
        let maxColumns = matrices.map(\.columns).max() ?? 1
        let maxRows = matrices.map(\.rows).max() ?? 1
        let act = PreparedActivation(maxColumns: maxColumns)
        let x = (0..<maxColumns).map { Float(($0 * 7919) % 2001) / 1000 - 1 }
        let y = UnsafeMutablePointer<Float>.allocate(capacity: maxRows)
        defer { y.deallocate() }
        let out = KernelsBench.OutputPointer(pointer: y)
        var times: [Double] = []
        for run in 0...runs {
            let seconds = KernelsBench.time(cpu: cpuTime && threads <= 1) {
            for m in matrices {
                act.prepare(x, columns: m.columns, for: m.type)
                if threads <= 1 {
                    m.multiply(act, rows: 0..<m.rows, into: y)
                } else {
                    let chunk = (m.rows + threads - 1) / threads
                    DispatchQueue.concurrentPerform(iterations: threads) { i in
                        let lo = min(m.rows, i * chunk), hi = min(m.rows, lo + chunk)
                        m.multiply(act, rows: lo..<hi, into: out.pointer)
                    }
                }
            }
            }
            if run > 0 { times.append(seconds) }
        }
        var prepTimes: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            for m in matrices { act.prepare(x, columns: m.columns, for: m.type) }
            prepTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return Result(matrices: matrices.count, bytes: matrices.reduce(0) { $0 + $1.byteCount }, threads: threads,
                      secondsPerToken: KernelsBench.median(times), prepareSeconds: KernelsBench.median(prepTimes))
    }
}
