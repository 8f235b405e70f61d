import CKernels
import Tokenizers
import Kernels

extension InferenceSession {
    /// The batched forward pass over `tokens` at positions `startPosition...`: weights dequantized
    /// in tiles and multiplied with sgemm, attention through sgemm per head and query block.
    func prefill(_ tokens: UnsafeBufferPointer<TokenID>, startPosition p0: Int, logits mode: LogitsMode) {
        let c = config, n = tokens.count, d = c.embeddingLength, hs = c.headSize, kvd = c.kvDimension
        let f = c.feedForwardLength, eps = c.rmsEpsilon
        pool.parallelFor(n) { rows in
            for i in rows {
                let t = Int(tokens[i])
                model.tokenEmbedding.dequantize(rows: t..<(t + 1), into: x + i * d)
            }
        }
        let ropeScale = 1 / c.ropeScale
        for (l, layer) in model.layers.enumerated() {
            pool.parallelFor(n) { rows in
                for i in rows { Ops.rmsNorm(x + i * d, weight: layer.attentionNorm, into: xb + i * d, count: d, epsilon: eps) }
            }
            matmul(xb, rows: n, MatrixJob(weights: layer.query, output: q), MatrixJob(weights: layer.key, output: k),
                   MatrixJob(weights: layer.value, output: v))
            pool.parallelFor(n) { rows in
                for i in rows {
                    let pos = p0 + i
                    Ops.rope(q + i * d, headCount: c.headCount, headSize: hs, position: pos, base: c.ropeFrequencyBase,
                             ropeDimensions: c.ropeDimensionCount, positionScale: ropeScale)
                    Ops.rope(k + i * kvd, headCount: c.kvHeadCount, headSize: hs, position: pos, base: c.ropeFrequencyBase,
                             ropeDimensions: c.ropeDimensionCount, positionScale: ropeScale)
                    cache.store(layer: l, position: pos, keys: k + i * kvd, values: v + i * kvd)
                }
            }
            attendBatch(layer: l, count: n, startPosition: p0)
            matmul(att, rows: n, MatrixJob(weights: layer.attentionOutput, output: tmp))
            pool.parallelFor(n) { rows in
                for i in rows {
                    Ops.add(x + i * d, tmp + i * d, count: d)
                    Ops.rmsNorm(x + i * d, weight: layer.ffnNorm, into: xb + i * d, count: d, epsilon: eps)
                }
            }
            matmul(xb, rows: n, MatrixJob(weights: layer.gate, output: hb), MatrixJob(weights: layer.up, output: hb2))
            pool.parallelFor(n) { rows in
                let fpMode = lt_fp_flush_subnormals()
                defer { lt_fp_restore(fpMode) }
                Ops.siluMultiply(hb + rows.lowerBound * f, hb2 + rows.lowerBound * f, count: rows.count * f)
            }
            matmul(hb, rows: n, MatrixJob(weights: layer.down, output: tmp))
            pool.parallelFor(n) { rows in Ops.add(x + rows.lowerBound * d, tmp + rows.lowerBound * d, count: rows.count * d) }
        }
        switch mode {
        case .none: break
        case .last: outputLogits(row: x + (n - 1) * d)
        case .all:
            pool.parallelFor(n) { rows in
                for i in rows { Ops.rmsNorm(x + i * d, weight: model.outputNorm, into: xb + i * d, count: d, epsilon: eps) }
            }
            matmul(xb, rows: n, MatrixJob(weights: model.output, output: logitBuffer))
        }
    }

    /// `job.output[i·rows + r] = dot(row r of job.weights, input_i)` for up to three matrices over
    /// the same `rows` input vectors. Quantized matrices: each input row quantized once, then the
    /// decode kernels row block by row block over every input (the block stays in cache); float
    /// matrices: dequantized tiles and sgemm.
    func matmul(_ input: UnsafePointer<Float>, rows n: Int, _ j0: MatrixJob, _ j1: MatrixJob? = nil, _ j2: MatrixJob? = nil) {
        let encoding = PreparedActivation.encoding(for: j0.weights.type)
        let jobs = [j0, j1, j2].compactMap { $0 }
        if usesTileUnit, let batch = tileBatch, n >= Self.tileUnitThreshold, jobs.allSatisfy({ $0.weights.hasTileKernel }) {
            matmulTiles(input, rows: n, batch: batch, j0, j1, j2)
            return
        }
        if usesTiledBatches, let batch = quantizedBatch, n >= Self.tiledBatchThreshold,
           let batchEncoding = j0.weights.quantizedBatchEncoding,
           jobs.allSatisfy({ $0.weights.hasQuantizedBatchKernel && $0.weights.quantizedBatchEncoding == batchEncoding }) {
            matmulTiled(input, rows: n, batch: batch, j0, j1, j2)
            return
        }
        if encoding != .float, jobs.allSatisfy({ PreparedActivation.encoding(for: $0.weights.type) == encoding && $0.weights.hasFastKernel }) {
            let columns = j0.weights.columns
            pool.parallelFor(n) { rows in
                for i in rows { batchActivations[i].prepare(input + i * columns, columns: columns, for: j0.weights.type) }
            }
            let blockRows = 16
            let counts = [j0, j1, j2].map { $0.map { ($0.weights.rows + blockRows - 1) / blockRows } ?? 0 }
            pool.forEachChunk(counts.reduce(0, +)) { _, chunk in
                var c = chunk, index = 0
                while c >= counts[index] { c -= counts[index]; index += 1 }
                guard let job = index == 0 ? j0 : (index == 1 ? j1 : j2) else { return }
                let w = job.weights
                let r = (c * blockRows)..<min(w.rows, (c + 1) * blockRows)
                for i in 0..<n { w.multiply(batchActivations[i], rows: r, into: job.output + i * w.rows) }
            }
            return
        }
        matmulFloat(input, rows: n, j0, j1, j2)
    }

    /// Batches of at least this many tokens take the register-tile product.
    static let tiledBatchThreshold = 8

    /// The register-tile path of `matmul`: the batch quantized once (Q8_K, or Q8_0 for Q4_0 /
    /// Q8_0 weights; shared by the matrices, which all read the same encoding), then 16-row panels
    /// claimed one at a time, each unpacked once and multiplied with every vector of the batch.
    func matmulTiled(_ input: UnsafePointer<Float>, rows n: Int, batch: QuantizedBatch,
                     _ j0: MatrixJob, _ j1: MatrixJob?, _ j2: MatrixJob?) {
        let columns = j0.weights.columns
        batch.setShape(rows: n, columns: columns, encoding: j0.weights.quantizedBatchEncoding ?? .q8K)
        pool.parallelFor(n) { rows in batch.quantize(input, ldx: columns, range: rows) }
        let panel = Int(LT_GEMM_ROWS)
        let counts = [j0, j1, j2].map { $0.map { ($0.weights.rows + panel - 1) / panel } ?? 0 }
        pool.forEachChunk(counts.reduce(0, +)) { part, chunk in
            var c = chunk, index = 0
            while c >= counts[index] { c -= counts[index]; index += 1 }
            guard let job = index == 0 ? j0 : (index == 1 ? j1 : j2) else { return }
            let w = job.weights
            w.multiply(batch, rows: (c * panel)..<min(w.rows, (c + 1) * panel), into: job.output, ldy: w.rows,
                       scratch: panelScratch[part])
        }
    }

    /// Batches of at least this many tokens take the AMX product: it dequantizes every weight to
    /// bf16 once per pass, so on a 7B Q4_K_M file it trails the VNNI tiles at 32 tokens (about
    /// 22 against 24 tokens/s) and leads from about 48 (pp64 39 against 33, pp128 57 against 35).
    static let tileUnitThreshold = 64

    /// The AMX path of `matmul`: the batch rounded to bf16 once (shared by the matrices, whatever
    /// their block types), then panels of rows claimed one at a time, each dequantized once and
    /// multiplied with every vector of the batch by the tile unit.
    func matmulTiles(_ input: UnsafePointer<Float>, rows n: Int, batch: TileBatch,
                     _ j0: MatrixJob, _ j1: MatrixJob?, _ j2: MatrixJob?) {
        let columns = j0.weights.columns
        batch.setShape(rows: n, columns: columns)
        pool.parallelFor(n) { rows in batch.convert(input, ldx: columns, range: rows) }
        let panel = WeightMatrix.tilePanelRows(columns: columns)
        let counts = [j0, j1, j2].map { $0.map { ($0.weights.rows + panel - 1) / panel } ?? 0 }
        pool.forEachChunk(counts.reduce(0, +)) { part, chunk in
            var c = chunk, index = 0
            while c >= counts[index] { c -= counts[index]; index += 1 }
            guard let job = index == 0 ? j0 : (index == 1 ? j1 : j2) else { return }
            let w = job.weights
            w.multiply(batch, rows: (c * panel)..<min(w.rows, (c + 1) * panel), into: job.output, ldy: w.rows,
                       scratch: tileScratch[part])
        }
    }

    /// The sgemm path of `matmul`: each matrix's rows cut into two chunks per participant (few and
    /// large: every sgemm call repacks the whole input batch).
    func matmulFloat(_ input: UnsafePointer<Float>, rows n: Int, _ j0: MatrixJob, _ j1: MatrixJob? = nil, _ j2: MatrixJob? = nil) {
        let per = 2 * pool.threadCount
        let jobs = 1 + (j1 == nil ? 0 : 1) + (j2 == nil ? 0 : 1)
        pool.forEachChunk(per * jobs) { part, chunk in
            guard let job = chunk < per ? j0 : (chunk < 2 * per ? j1 : j2) else { return }
            let w = job.weights
            w.multiplyBatch(input, count: n, rows: Self.share(w.rows, chunk % per, per, granularity: 16),
                            into: job.output, ldy: w.rows, scratch: tiles[part], scratchCount: tileCount)
        }
    }

    /// The first `count` cached key and value rows of `kvHead` in `layer` as floats, in
    /// `participant`'s scratch; within one `attendBatch` call, converted again only when they are
    /// not what it converted last.
    func floatKeysAndValues(layer l: Int, kvHead g: Int, count: Int, participant part: Int)
        -> (UnsafePointer<Float>, UnsafePointer<Float>) {
        let hs = config.headSize
        let kf = kvScratch[part], vf = kvScratch[part] + cache.capacity * hs
        let held = kvScratchHolds + 3 * part
        if held[0] != l || held[1] != g || held[2] < count {
            lt_f16_to_f32(cache.keys(layer: l, head: g), kf, Int64(count * hs))
            lt_f16_to_f32(cache.values(layer: l, head: g), vf, Int64(count * hs))
            held[0] = l; held[1] = g; held[2] = count
        }
        return (UnsafePointer(kf), UnsafePointer(vf))
    }

    /// Causal attention of the `count` queries in `q` (positions `p0...`) over the cache, into
    /// `att`. Work items are (KV head, block of at most 64 queries, blocks of equal size): the
    /// queries of every head sharing that KV head are stacked into one matrix, so each sgemm packs
    /// the keys (or values) once for the whole group.
    func attendBatch(layer l: Int, count n: Int, startPosition p0: Int) {
        let c = config, hs = c.headSize, d = c.embeddingLength, group = c.groupSize
        let scale = 1 / Float(hs).squareRoot()
        let blocks = (n + Self.queryBlock - 1) / Self.queryBlock
        let qb = (n + blocks - 1) / blocks
        let items = c.kvHeadCount * blocks
        // The cache changed since the last call: forget every participant's converted rows.
        kvScratchHolds.update(repeating: -1, count: 3 * pool.threadCount)
        pool.forEachChunk(items) { part, item in
            // Subnormal probabilities cost a microcode assist each on Intel cores: flushed here.
            let fpMode = lt_fp_flush_subnormals()
            defer { lt_fp_restore(fpMode) }
            let g = item / blocks, block = item % blocks
            let i0 = block * qb, i1 = min(n, i0 + qb), m = i1 - i0
            guard m > 0 else { return }
            let keys = p0 + i1, rows = group * m
            let s = scores[part], qs = stackedQueries[part], out = stackedOutputs[part]
            let (kh, vh) = floatKeysAndValues(layer: l, kvHead: g, count: keys, participant: part)
            // Rows (head j of the group, query i): qs[(j·m + i)·hs ...].
            for j in 0..<group {
                for i in 0..<m {
                    (qs + (j * m + i) * hs).update(from: q + (i0 + i) * d + (g * group + j) * hs, count: hs)
                }
            }
            Ops.sgemm(transposeA: false, transposeB: true, m: rows, n: keys, k: hs, alpha: scale,
                      a: qs, lda: hs, b: kh, ldb: hs, c: s, ldc: keys)
            for r in 0..<rows {
                let row = s + r * keys
                let valid = p0 + i0 + r % m + 1
                Ops.softmax(row, count: valid)
                if valid < keys { (row + valid).update(repeating: 0, count: keys - valid) }
            }
            Ops.sgemm(m: rows, n: hs, k: keys, a: s, lda: keys, b: vh, ldb: hs, c: out, ldc: hs)
            for j in 0..<group {
                for i in 0..<m {
                    (att + (i0 + i) * d + (g * group + j) * hs).update(from: out + (j * m + i) * hs, count: hs)
                }
            }
        }
    }
}
