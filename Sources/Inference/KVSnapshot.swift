import Foundation
import Tokenizers

/// A copy of a KV cache's first positions and their token ids, kept by the in-memory pool while
/// the cache serves another prompt. Compact: each layer and head's run holds exactly `count`
/// positions (the order of `KVCache.forEachRun`), half-precision as in the cache.
final class KVSnapshot: @unchecked Sendable {
    let tokens: [TokenID]
    /// Leading positions computed by multi-token passes (`KVCache.batchedCount`).
    let batchedCount: Int
    /// Bytes held.
    let byteCount: Int
    private let runBytes: Int
    private let storage: UnsafeMutableRawPointer

    /// Copies positions `0..<cache.count` of `cache`.
    init(copying cache: KVCache) {
        tokens = cache.tokens
        batchedCount = cache.batchedCount
        runBytes = tokens.count * cache.headSize * MemoryLayout<UInt16>.size
        byteCount = runBytes * cache.runCount
        storage = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        var offset = 0
        cache.forEachRun(count: tokens.count) { run in
            (storage + offset).copyMemory(from: run, byteCount: runBytes)
            offset += runBytes
        }
    }

    deinit { storage.deallocate() }

    /// Makes `cache` hold the first `length` positions of this snapshot (and nothing else).
    func restore(into cache: KVCache, length: Int) {
        precondition(length <= tokens.count)
        let used = length * cache.headSize * MemoryLayout<UInt16>.size
        var offset = 0
        cache.forEachRun(count: length) { run in
            run.copyMemory(from: storage + offset, byteCount: used)
            offset += runBytes
        }
        cache.adopt(tokens[..<length], batched: batchedCount)
    }
}
