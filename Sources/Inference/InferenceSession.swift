import Tokenizers
import GGUF
import Kernels

/// The mutable state of running one model: the KV cache, the thread pool and every scratch buffer,
/// all allocated once in `init`. `evaluate` runs the forward pass over new tokens and leaves the
/// logits of the last one in `logits`: for a model whose matrices are all Q4_1/Q8_0, the pass that
/// gives llama.cpp's bits (`InferenceSession+Matched`); otherwise a batched prefill through sgemm
/// for many tokens and quantized matrix-vector products for a few. Not thread-safe: one caller at a
/// time.
public final class InferenceSession: @unchecked Sendable {
    public let model: LlamaModel
    public let config: LlamaConfig
    public let cache: KVCache
    public let pool: ThreadPool
    /// The most tokens one prefill pass handles; longer inputs are split.
    public let maxBatch: Int
    /// Inputs shorter than this are decoded token by token (dequantizing every weight for a tiny
    /// batch costs more than a few matrix-vector products). 2 for the llama.cpp-matching pass,
    /// which, like llama.cpp, evaluates any two or more tokens together (see `matchedPassLength`).
    public var batchThreshold = 8
    /// Whether prefill of K-quant, Q4_0 and Q8_0 matrices takes the register-tile product (`matmulTiled`); false
    /// runs the matrix-vector kernels row block by row block instead (the path it replaced, kept
    /// for comparison in tests and benchmarks).
    public var usesTiledBatches = true
    /// Whether passes of at least `tileUnitThreshold` tokens take the AMX product when the
    /// machine has it (`matmulTiles`); false keeps them on the VNNI register tiles (for
    /// comparison in tests and benchmarks).
    public var usesTileUnit = true
    /// The logits of the last evaluated token (`vocabularySize` floats), valid after `evaluate`.
    public var logits: UnsafePointer<Float> { UnsafePointer(logitBuffer) }

    // Activations, `maxBatch` rows each.
    let x, xb, q, k, v, att, tmp, hb, hb2: UnsafeMutablePointer<Float>
    let logitBuffer: UnsafeMutablePointer<Float>
    let logitRows: Int
    // Per participant: a dequantization tile and attention scores.
    let tiles: [UnsafeMutablePointer<Float>]
    let tileCount: Int
    let scores: [UnsafeMutablePointer<Float>]
    // Per participant: one KV head's group of queries stacked, and their attention outputs.
    let stackedQueries: [UnsafeMutablePointer<Float>]
    let stackedOutputs: [UnsafeMutablePointer<Float>]
    // Per participant: one KV head's keys and values converted to floats (prefill attention),
    // and which (layer, KV head, rows) they hold.
    let kvScratch: [UnsafeMutablePointer<Float>]
    let kvScratchHolds: UnsafeMutablePointer<Int>
    // Prepared activations for the decode path.
    let actIn: [PreparedActivation]
    let actAtt: PreparedActivation
    let actHidden: PreparedActivation
    /// One prepared activation per batch row (quantized prefill of the non-matching pass).
    let batchActivations: [PreparedActivation]
    /// The batch quantized once for the register-tile product, and each participant's unpacked
    /// weight panel (nil / empty for models without K-quant, Q4_0 or Q8_0 matrices, or that take
    /// the matching pass).
    let quantizedBatch: QuantizedBatch?
    let panelScratch: [UnsafeMutableRawPointer]
    /// The batch rounded once to bf16 for the AMX product and each participant's bf16 weight
    /// panel (nil / empty without AMX or without a matrix it supports, or in the matching pass).
    let tileBatch: TileBatch?
    let tileScratch: [UnsafeMutableRawPointer]
    /// The buffers of the llama.cpp-matching pass, when every matrix of the model has a matching
    /// kernel (Q4_1, Q8_0); nil for other models, which take the dequantize-and-sgemm prefill and
    /// the decode kernels above.
    let matched: MatchedScratch?
    private var allocations: [UnsafeMutablePointer<Float>] = []

    /// The most query rows per attention block in prefill (per head of a KV group).
    static let queryBlock = 64

    /// - Parameters:
    ///   - contextLength: KV cache capacity in tokens (default: the model's, after RoPE scaling).
    ///   - threads: participants in the thread pool (default: every core).
    ///   - maxBatch: tokens per prefill pass (default: as many as fit in about 24 MB of activations, 256 MB for
    ///     models whose prefill takes the register-tile product, at most 512).
    ///   - allLogits: keep room for every token's logits of a pass (perplexity).
    public init(model: LlamaModel, contextLength: Int? = nil, threads: Int? = nil, maxBatch: Int? = nil,
                allLogits: Bool = false) throws {
        self.model = model
        let c = model.config
        config = c
        let ctx = contextLength ?? c.scaledContextLength
        guard ctx > 0 else { throw InferenceError.invalidParameter(name: "context length", message: "\(ctx) must be positive") }
        let threadCount = threads ?? ThreadPool.availableCores
        guard threadCount > 0, threadCount <= 512 else {
            throw InferenceError.invalidParameter(name: "threads", message: "\(threadCount) must be between 1 and 512")
        }
        BLAS.ensureSingleThreaded()
        cache = try KVCache(layerCount: c.layerCount, kvHeadCount: c.kvHeadCount, headSize: c.headSize, capacity: ctx)
        pool = ThreadPool(threadCount: threadCount)
        let d = c.embeddingLength, kvd = c.kvDimension, f = c.feedForwardLength
        let matrices = model.layers.flatMap { [$0.query, $0.key, $0.value, $0.attentionOutput, $0.gate, $0.up, $0.down] } + [model.output]
        let matches = matrices.allSatisfy { MatchedScratch.kernelType($0.type) != nil }
        let amx = !matches && matrices.contains { $0.hasTileKernel }
        let tiled = !matches && (amx || matrices.contains { $0.hasQuantizedBatchKernel })
        // The register-tile product unpacks each weight panel once per pass: long passes amortize
        // it (a 7B model's 512-token pass takes about 100 MB of activations); the other paths
        // keep their activations within about 24 MB.
        let perToken = (5 * d + 2 * kvd + 2 * f) * MemoryLayout<Float>.size
        let fitting = max(32, ((tiled ? 256 : 24) << 20) / perToken / 32 * 32)
        let mb = max(1, min(maxBatch ?? min(512, fitting), ctx))
        self.maxBatch = mb
        // Buffers of the other pass stay one element long when the matching pass runs instead.
        let other = matches ? 0 : 1
        var allocs: [UnsafeMutablePointer<Float>] = []
        func alloc(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            allocs.append(p)
            return p
        }
        x = alloc(mb * d); xb = alloc(mb * d); q = alloc(mb * d); att = alloc(mb * d); tmp = alloc(mb * d)
        k = alloc(mb * kvd); v = alloc(mb * kvd); hb = alloc(mb * f); hb2 = alloc(mb * f)
        logitRows = allLogits ? mb : 1
        logitBuffer = alloc(logitRows * c.vocabularySize)
        let maxColumns = max(d, f)
        // Big tiles: each sgemm call repacks the whole input batch, so fewer, larger calls win.
        // At most 4 MB per participant (1M floats), at least the kernels' preferred tile.
        let tc = max(WeightMatrix.batchScratchCount(columns: maxColumns), min(1 << 20, 512 * maxColumns))
        tileCount = matches ? 1 : tc
        tiles = (0..<threadCount).map { _ in alloc(other * tc) }
        let stacked = c.groupSize * (matches ? 1 : min(Self.queryBlock, mb))
        scores = (0..<threadCount).map { _ in alloc(max(stacked, 1) * ctx) }
        stackedQueries = (0..<threadCount).map { _ in alloc(other * stacked * c.headSize) }
        stackedOutputs = (0..<threadCount).map { _ in alloc(other * stacked * c.headSize) }
        kvScratch = (0..<threadCount).map { _ in alloc(other * 2 * ctx * c.headSize) }
        kvScratchHolds = UnsafeMutablePointer<Int>.allocate(capacity: 3 * threadCount)
        kvScratchHolds.initialize(repeating: -1, count: 3 * threadCount)
        actIn = (0..<3).map { _ in PreparedActivation(maxColumns: d) }
        actAtt = PreparedActivation(maxColumns: d)
        actHidden = PreparedActivation(maxColumns: f)
        if matches {
            matched = MatchedScratch(config: c, maxBatch: mb, contextLength: ctx, participants: threadCount)
            batchThreshold = 2
            batchActivations = []
            quantizedBatch = nil
            panelScratch = []
            tileBatch = nil
            tileScratch = []
        } else {
            matched = nil
            // Only quantized matrices with a kernel multiply a prepared batch in prefill.
            let quantized = matrices.contains { PreparedActivation.encoding(for: $0.type) != .float && $0.hasFastKernel }
            batchActivations = quantized ? (0..<mb).map { _ in PreparedActivation(maxColumns: max(d, f)) } : []
            quantizedBatch = tiled ? QuantizedBatch(maxRows: mb, maxColumns: maxColumns) : nil
            let panelBytes = WeightMatrix.quantizedBatchScratchBytes(columns: maxColumns)
            panelScratch = tiled ? (0..<threadCount).map { _ in
                UnsafeMutableRawPointer.allocate(byteCount: panelBytes, alignment: 64)
            } : []
            tileBatch = amx ? TileBatch(maxRows: mb, maxColumns: maxColumns) : nil
            let tileBytes = max(WeightMatrix.tileScratchBytes(columns: d), WeightMatrix.tileScratchBytes(columns: f))
            tileScratch = amx ? (0..<threadCount).map { _ in
                UnsafeMutableRawPointer.allocate(byteCount: tileBytes, alignment: 64)
            } : []
        }
        allocations = allocs
    }

    deinit {
        for p in allocations { p.deallocate() }
        for p in panelScratch { p.deallocate() }
        for p in tileScratch { p.deallocate() }
        kvScratchHolds.deallocate()
    }

    /// Evaluates `tokens` at the positions after what the cache holds, appending them to the cache.
    /// `onLogits(i, row)` receives the logits after each token `i` (without `allLogits`, only the
    /// matching pass allows it, evaluating token by token); otherwise only the last token's logits
    /// are computed, into `logits`. `shouldStop` is asked
    /// between passes; returns false when it stopped early (the cache then holds what was done).
    @discardableResult
    public func evaluate(_ tokens: UnsafeBufferPointer<TokenID>,
                         onLogits: ((Int, UnsafePointer<Float>) -> Void)? = nil,
                         shouldStop: () -> Bool = { false }) throws -> Bool {
        let n = tokens.count
        if n == 0 { return true }
        let vocab = config.vocabularySize
        for t in tokens where t < 0 || Int(t) >= vocab {
            throw InferenceError.tokenOutOfRange(id: Int(t), vocabularySize: vocab)
        }
        guard cache.count + n <= cache.capacity else {
            throw InferenceError.contextFull(needed: cache.count + n, contextLength: cache.capacity)
        }
        let stepwise = onLogits != nil && logitRows < maxBatch
        if matched == nil && stepwise && n >= batchThreshold {
            throw InferenceError.invalidParameter(name: "logits", message: "this session keeps only the last token's logits")
        }
        var i = 0
        while i < n {
            if shouldStop() { return false }
            let remaining = n - i
            if matched != nil {
                let b = stepwise ? 1 : Self.matchedPassLength(remaining: remaining, total: n, maxBatch: maxBatch)
                let slice = UnsafeBufferPointer(rebasing: tokens[i..<(i + b)])
                let mode: LogitsMode = onLogits != nil ? (stepwise ? .last : .all) : (i + b == n ? .last : .none)
                forwardMatched(slice, startPosition: cache.count, logits: mode)
                cache.commit(slice, batched: b > 1)
                if let onLogits {
                    for r in 0..<b { onLogits(i + r, UnsafePointer(logitBuffer + (mode == .all ? r * vocab : 0))) }
                }
                i += b
            } else if remaining < batchThreshold {
                let last = i == n - 1
                decode(tokens[i], position: cache.count, computeLogits: last || onLogits != nil)
                cache.commit(UnsafeBufferPointer(rebasing: tokens[i..<(i + 1)]), batched: false)
                if let onLogits { onLogits(i, logits) }
                i += 1
            } else {
                let b = min(maxBatch, remaining)
                let slice = UnsafeBufferPointer(rebasing: tokens[i..<(i + b)])
                let mode: LogitsMode = onLogits != nil ? .all : (i + b == n ? .last : .none)
                prefill(slice, startPosition: cache.count, logits: mode)
                cache.commit(slice, batched: true)
                if let onLogits {
                    for r in 0..<b { onLogits(i + r, UnsafePointer(logitBuffer + r * vocab)) }
                }
                i += b
            }
        }
        return true
    }

    /// Convenience for arrays.
    @discardableResult
    public func evaluate(_ tokens: [TokenID], onLogits: ((Int, UnsafePointer<Float>) -> Void)? = nil,
                         shouldStop: () -> Bool = { false }) throws -> Bool {
        try tokens.withUnsafeBufferPointer { try evaluate($0, onLogits: onLogits, shouldStop: shouldStop) }
    }

    enum LogitsMode { case none, last, all }

    /// The tokens the next llama.cpp-matching pass takes of `remaining` (of a request of `total`).
    /// llama.cpp splits a request into batches of 512 and evaluates a batch of one token in its
    /// generation order, any other in its prompt order; the bits depend only on which tokens are
    /// alone, so passes of at most `maxBatch` leave a token alone only where llama.cpp does (the
    /// last of a request of 512·k + 1 tokens).
    static func matchedPassLength(remaining: Int, total: Int, maxBatch: Int) -> Int {
        let lone = total % 512 == 1
        if lone && remaining == 1 { return 1 }
        let batched = lone ? remaining - 1 : remaining
        var b = min(maxBatch, batched)
        if batched - b == 1 && b > 2 { b -= 1 }
        return b
    }

    /// The part of `rows` participant `part` of `parts` handles, in whole `granularity` units.
    @inline(__always)
    static func share(_ rows: Int, _ part: Int, _ parts: Int, granularity: Int = 8) -> Range<Int> {
        let units = (rows + granularity - 1) / granularity
        let r = ThreadPool.split(units, part: part, of: parts)
        return min(r.lowerBound * granularity, rows)..<min(r.upperBound * granularity, rows)
    }
}
