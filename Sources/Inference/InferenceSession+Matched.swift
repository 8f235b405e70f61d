import CKernels
import Tokenizers
import Kernels

/// The forward pass that gives llama.cpp's logits bit for bit (its CPU backend, build 4748, without
/// flash attention), used when every matrix has a matching kernel (`MatchedScratch.kernelType`):
/// activations quantized to 8 bits per matrix product, a half-precision query and attention
/// weights, and every sum in llama.cpp's order (CKernels `lt_compat_*`). Like llama.cpp, a pass over
/// two or more tokens uses its prompt-processing order for attention, a single token its
/// token-generation order.
extension InferenceSession {
    /// Evaluates `tokens` at positions `p0...` (one or more), leaving logits per `mode`.
    func forwardMatched(_ tokens: UnsafeBufferPointer<TokenID>, startPosition p0: Int, logits mode: LogitsMode) {
        guard let m = matched else { preconditionFailure("forwardMatched without matching kernels") }
        let c = config, n = tokens.count, d = c.embeddingLength, hs = c.headSize, kvd = c.kvDimension
        let f = c.feedForwardLength, eps = c.rmsEpsilon, dims = c.ropeDimensionCount
        let freqScale = 1 / c.ropeScale
        let embedding = model.tokenEmbedding, embeddingType = MatchedScratch.kernelType(embedding.type)
        pool.parallelFor(n) { rows in
            for i in rows {
                let t = Int(tokens[i])
                if let type = embeddingType {
                    lt_compat_dequantize_row(type, embedding.row(t).assumingMemoryBound(to: UInt8.self), Int64(d / 32), x + i * d)
                } else {
                    embedding.dequantize(rows: t..<(t + 1), into: x + i * d)
                }
                lt_compat_rope_cache(Int64(p0 + i), Int64(dims), c.ropeFrequencyBase, freqScale, m.rope + i * dims)
            }
        }
        for (l, layer) in model.layers.enumerated() {
            normAndQuantize(x, rows: n, weight: layer.attentionNorm, epsilon: eps, m)
            matmulMatched(m, rows: n, MatrixJob(weights: layer.query, output: q), MatrixJob(weights: layer.key, output: k),
                          MatrixJob(weights: layer.value, output: v))
            pool.parallelFor(n) { rows in
                for i in rows {
                    lt_compat_rope(q + i * d, Int64(c.headCount), Int64(hs), Int64(dims), m.rope + i * dims)
                    lt_compat_rope(k + i * kvd, Int64(c.kvHeadCount), Int64(hs), Int64(dims), m.rope + i * dims)
                    cache.store(layer: l, position: p0 + i, keys: k + i * kvd, values: v + i * kvd)
                }
            }
            attendMatched(layer: l, count: n, startPosition: p0, m)
            quantizeRows(att, rows: n, columns: d, m)
            matmulMatched(m, rows: n, MatrixJob(weights: layer.attentionOutput, output: tmp))
            pool.parallelFor(n) { rows in Ops.add(x + rows.lowerBound * d, tmp + rows.lowerBound * d, count: rows.count * d) }
            normAndQuantize(x, rows: n, weight: layer.ffnNorm, epsilon: eps, m)
            matmulMatched(m, rows: n, MatrixJob(weights: layer.gate, output: hb), MatrixJob(weights: layer.up, output: hb2))
            pool.parallelFor(n) { rows in
                for i in rows { lt_compat_silu_mul(hb + i * f, hb2 + i * f, Int64(f)) }
            }
            quantizeRows(hb, rows: n, columns: f, m)
            matmulMatched(m, rows: n, MatrixJob(weights: layer.down, output: tmp))
            pool.parallelFor(n) { rows in Ops.add(x + rows.lowerBound * d, tmp + rows.lowerBound * d, count: rows.count * d) }
        }
        switch mode {
        case .none: break
        case .last:
            normAndQuantize(x + (n - 1) * d, rows: 1, weight: model.outputNorm, epsilon: eps, m)
            matmulMatched(m, rows: 1, MatrixJob(weights: model.output, output: logitBuffer))
        case .all:
            normAndQuantize(x, rows: n, weight: model.outputNorm, epsilon: eps, m)
            matmulMatched(m, rows: n, MatrixJob(weights: model.output, output: logitBuffer))
        }
    }

    /// RMS norm of `rows` rows of `input` into `xb`, then their 8-bit blocks.
    private func normAndQuantize(_ input: UnsafePointer<Float>, rows n: Int, weight: UnsafePointer<Float>, epsilon: Float,
                                 _ m: MatchedScratch) {
        let d = config.embeddingLength
        pool.parallelFor(n) { rows in
            for i in rows { lt_compat_rms_norm(input + i * d, weight, xb + i * d, Int64(d), epsilon) }
        }
        quantizeRows(xb, rows: n, columns: d, m)
    }

    /// The 8-bit blocks of `rows` rows of `columns` floats, row after row; for several rows also
    /// packed for the batch kernel.
    private func quantizeRows(_ input: UnsafePointer<Float>, rows n: Int, columns: Int, _ m: MatchedScratch) {
        let per = columns / 32
        pool.parallelFor(n) { rows in
            lt_compat_quantize(input + rows.lowerBound * columns, Int64(rows.count * per), m.blocks + rows.lowerBound * per)
        }
        guard n > 1 else { return }
        pool.forEachChunk((n + 7) / 8) { _, group in
            lt_compat_pack(m.blocks, Int64(n), Int64(per), Int64(8 * group), Int64(8 * group + 8), m.pairs, m.sums)
        }
    }

    /// `job.output[i·rows + r]` = row r of each matrix times activation row i, for the `rows`
    /// activation rows quantized last (in `m`); each matrix's rows cut into chunks across the pool.
    private func matmulMatched(_ m: MatchedScratch, rows n: Int, _ j0: MatrixJob, _ j1: MatrixJob? = nil, _ j2: MatrixJob? = nil) {
        let per = (n == 1 ? 4 : 2) * pool.threadCount
        let jobs = 1 + (j1 == nil ? 0 : 1) + (j2 == nil ? 0 : 1)
        pool.forEachChunk(per * jobs) { _, chunk in
            guard let job = chunk < per ? j0 : (chunk < 2 * per ? j1 : j2) else { return }
            let w = job.weights
            guard let type = MatchedScratch.kernelType(w.type) else { preconditionFailure("no matching kernel for \(w.type)") }
            let r = Self.share(w.rows, chunk % per, per)
            guard !r.isEmpty else { return }
            lt_compat_matmul(type, w.data.assumingMemoryBound(to: UInt8.self), Int64(w.rowBytes), Int64(w.columns / 32),
                             Int64(r.lowerBound), Int64(r.upperBound), m.blocks, n > 1 ? m.pairs : nil, n > 1 ? m.sums : nil,
                             Int64(n), job.output, Int64(w.rows))
        }
    }

    /// Causal attention of the `count` queries in `q` (positions `p0...`) over the cache, into `att`:
    /// one (KV head, query) pair per work item, the heads sharing that KV head computed together
    /// (each key and value row is read once for them).
    private func attendMatched(layer l: Int, count n: Int, startPosition p0: Int, _ m: MatchedScratch) {
        let c = config, hs = c.headSize, d = c.embeddingLength, group = c.groupSize
        let scale = 1 / Float(hs).squareRoot()
        let batch: Int32 = n > 1 ? 1 : 0
        // llama.cpp attends over a window of cache cells padded to a multiple of 32.
        let window = (p0 + n + 31) / 32 * 32
        let lds = cache.capacity
        pool.forEachChunk(c.kvHeadCount * n) { part, item in
            let g = item % c.kvHeadCount, i = item / c.kvHeadCount
            let keys = p0 + i + 1
            let s = scores[part], q16 = m.query16[part], p16 = m.weights16[part]
            let kh = cache.keys(layer: l, head: g), vh = cache.values(layer: l, head: g)
            lt_f32_to_f16(q + i * d + g * group * hs, q16, Int64(group * hs))
            lt_compat_scores(q16, Int64(group), kh, Int64(keys), Int64(hs), batch, s, Int64(lds))
            for j in 0..<group {
                let row = s + j * lds
                lt_compat_softmax(row, Int64(keys), scale)
                lt_f32_to_f16(row, p16 + j * lds, Int64(keys))
            }
            lt_compat_values_group(p16, Int64(group), Int64(lds), vh, Int64(keys), Int64(window), Int64(hs), batch,
                                   m.valueSums[part], att + i * d + g * group * hs, Int64(hs))
        }
    }
}
