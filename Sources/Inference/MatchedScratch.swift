import CKernels
import GGUF

/// The buffers of the llama.cpp-matching forward pass (see `InferenceSession+Matched`), allocated
/// once: 8-bit activation blocks for a whole batch, RoPE angles per batch row, and per participant the
/// half-precision queries and attention weights of one KV group and their value accumulators.
final class MatchedScratch: @unchecked Sendable {
    /// Block types whose products have a kernel that rounds as llama.cpp does.
    static func kernelType(_ type: GGMLType) -> Int32? {
        switch type {
        case .q4_1: Int32(LT_COMPAT_Q4_1)
        case .q8_0: Int32(LT_COMPAT_Q8_0)
        default: nil
        }
    }

    let blocks: UnsafeMutablePointer<lt_q8_block>
    /// The same blocks packed for the Q4_1 batch kernel (`lt_compat_pack`).
    let pairs: UnsafeMutablePointer<lt_q8_pair>
    let sums: UnsafeMutablePointer<Float>
    let rope: UnsafeMutablePointer<Float>
    let query16: [UnsafeMutablePointer<UInt16>]
    let weights16: [UnsafeMutablePointer<UInt16>]
    let valueSums: [UnsafeMutablePointer<Float>]

    init(config c: LlamaConfig, maxBatch: Int, contextLength: Int, participants: Int) {
        let perRow = max(c.embeddingLength, c.feedForwardLength) / 32
        blocks = .allocate(capacity: max(maxBatch * perRow, 1))
        let paddedRows = (maxBatch + 7) / 8 * 8
        pairs = .allocate(capacity: paddedRows / 2 * perRow)
        sums = .allocate(capacity: paddedRows * perRow)
        rope = .allocate(capacity: maxBatch * c.ropeDimensionCount)
        query16 = (0..<participants).map { _ in .allocate(capacity: c.groupSize * c.headSize) }
        weights16 = (0..<participants).map { _ in .allocate(capacity: c.groupSize * contextLength) }
        valueSums = (0..<participants).map { _ in .allocate(capacity: c.groupSize * 64 * c.headSize) }
    }

    deinit {
        blocks.deallocate()
        pairs.deallocate()
        sums.deallocate()
        rope.deallocate()
        for p in query16 { p.deallocate() }
        for p in weights16 { p.deallocate() }
        for p in valueSums { p.deallocate() }
    }
}
