import CKernels
import Tokenizers
import Kernels

/// One matrix of a group multiplied together in one dispatch.
struct MatrixJob {
    var weights: WeightMatrix
    var output: UnsafeMutablePointer<Float>
}

extension InferenceSession {
    /// The single-token forward pass: quantized matrix-vector products split by rows across the
    /// pool. Leaves the logits in `logitBuffer` when `computeLogits`.
    func decode(_ token: TokenID, position: Int, computeLogits: Bool) {
        let c = config, d = c.embeddingLength, hs = c.headSize
        model.tokenEmbedding.dequantize(rows: Int(token)..<(Int(token) + 1), into: x)
        for (l, layer) in model.layers.enumerated() {
            Ops.rmsNorm(x, weight: layer.attentionNorm, into: xb, count: d, epsilon: c.rmsEpsilon)
            let aq = prepare(xb, d, layer.query, slot: 0, reuse: nil)
            let ak = prepare(xb, d, layer.key, slot: 1, reuse: (layer.query, aq))
            let av = prepare(xb, d, layer.value, slot: 2, reuse: (layer.key, ak))
            matvec(MatrixJob(weights: layer.query, output: q), aq,
                   MatrixJob(weights: layer.key, output: k), ak,
                   MatrixJob(weights: layer.value, output: v), av)
            let scale = 1 / c.ropeScale
            Ops.rope(q, headCount: c.headCount, headSize: hs, position: position, base: c.ropeFrequencyBase,
                     ropeDimensions: c.ropeDimensionCount, positionScale: scale)
            Ops.rope(k, headCount: c.kvHeadCount, headSize: hs, position: position, base: c.ropeFrequencyBase,
                     ropeDimensions: c.ropeDimensionCount, positionScale: scale)
            cache.store(layer: l, position: position, keys: k, values: v)
            attendOne(layer: l, position: position)

            actAtt.prepare(att, columns: d, for: layer.attentionOutput.type)
            matvec(MatrixJob(weights: layer.attentionOutput, output: tmp), actAtt)
            Ops.add(x, tmp, count: d)

            Ops.rmsNorm(x, weight: layer.ffnNorm, into: xb, count: d, epsilon: c.rmsEpsilon)
            let ag = prepare(xb, d, layer.gate, slot: 0, reuse: nil)
            let au = prepare(xb, d, layer.up, slot: 1, reuse: (layer.gate, ag))
            matvec(MatrixJob(weights: layer.gate, output: hb), ag, MatrixJob(weights: layer.up, output: hb2), au)
            Ops.siluMultiply(hb, hb2, count: c.feedForwardLength)
            actHidden.prepare(hb, columns: c.feedForwardLength, for: layer.down.type)
            matvec(MatrixJob(weights: layer.down, output: tmp), actHidden)
            Ops.add(x, tmp, count: d)
        }
        if computeLogits { outputLogits(row: x) }
    }

    /// Final norm of one residual row and the output projection into `logitBuffer`.
    func outputLogits(row: UnsafePointer<Float>) {
        let d = config.embeddingLength
        Ops.rmsNorm(row, weight: model.outputNorm, into: xb, count: d, epsilon: config.rmsEpsilon)
        let a = prepare(xb, d, model.output, slot: 0, reuse: nil)
        matvec(MatrixJob(weights: model.output, output: logitBuffer), a)
    }

    /// Prepares `x` for `w` in activation slot `slot`, or reuses `reuse`'s activation when it has
    /// the same encoding.
    @inline(__always)
    func prepare(_ x: UnsafePointer<Float>, _ columns: Int, _ w: WeightMatrix, slot: Int,
                 reuse: (WeightMatrix, PreparedActivation)?) -> PreparedActivation {
        if let (other, act) = reuse, PreparedActivation.encoding(for: other.type) == PreparedActivation.encoding(for: w.type),
           other.type == w.type || PreparedActivation.encoding(for: w.type) != .float {
            return act
        }
        let a = actIn[slot]
        a.prepare(x, columns: columns, for: w.type)
        return a
    }

    /// Up to three matrix-vector products in one dispatch, each matrix's rows cut into four chunks
    /// per participant.
    func matvec(_ j0: MatrixJob, _ a0: PreparedActivation,
                _ j1: MatrixJob? = nil, _ a1: PreparedActivation? = nil,
                _ j2: MatrixJob? = nil, _ a2: PreparedActivation? = nil) {
        let per = 4 * pool.threadCount
        let jobs = 1 + (j1 == nil ? 0 : 1) + (j2 == nil ? 0 : 1)
        pool.forEachChunk(per * jobs) { _, chunk in
            let index = chunk / per
            guard let job = index == 0 ? j0 : (index == 1 ? j1 : j2), let a = index == 0 ? a0 : (index == 1 ? a1 : a2) else { return }
            job.weights.multiply(a, rows: Self.share(job.weights.rows, chunk % per, per), into: job.output)
        }
    }

    /// Attention of the single query in `q` over positions `0...position` of `layer`, into `att`,
    /// one head per chunk: scores = K·q and output = Vᵀ·softmax(scores) over the half-precision
    /// cached rows (CKernels).
    func attendOne(layer l: Int, position: Int) {
        let c = config, hs = c.headSize, group = c.groupSize
        let scale = 1 / Float(hs).squareRoot()
        let count = position + 1
        pool.forEachChunk(c.headCount) { part, h in
            let fpMode = lt_fp_flush_subnormals()
            defer { lt_fp_restore(fpMode) }
            let s = scores[part]
            let kh = cache.keys(layer: l, head: h / group), vh = cache.values(layer: l, head: h / group)
            lt_attn_scores_f16(q + h * hs, kh, Int64(count), Int64(hs), scale, s)
            Ops.softmax(s, count: count)
            lt_attn_values_f16(s, vh, Int64(count), Int64(hs), att + h * hs)
        }
    }
}
