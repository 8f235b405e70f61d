import Tokenizers
import Testing
@testable import Inference

@Suite struct KVCacheTests {
    @Test func tracksTokensPrefixesAndTruncation() throws {
        let cache = try KVCache(layerCount: 2, kvHeadCount: 3, headSize: 4, capacity: 10)
        #expect(cache.count == 0)
        let ids: [TokenID] = [5, 6, 7, 8]
        ids.withUnsafeBufferPointer { cache.commit($0, batched: true) }
        #expect(cache.tokens == ids && cache.batchedCount == 4)
        // Single-token positions end the batched run, and truncation shortens it.
        [TokenID(9)].withUnsafeBufferPointer { cache.commit($0, batched: false) }
        [TokenID(10), 11].withUnsafeBufferPointer { cache.commit($0, batched: true) }
        #expect(cache.count == 7 && cache.batchedCount == 4)
        cache.truncate(to: 4)
        #expect(cache.tokens == ids)
        #expect(cache.commonPrefixLength(with: [5, 6, 9]) == 2)
        #expect(cache.commonPrefixLength(with: [5, 6, 7, 8, 9, 10]) == 4)
        #expect(cache.commonPrefixLength(with: [1]) == 0)
        cache.truncate(to: 2)
        #expect(cache.tokens == [5, 6])
        cache.truncate(to: 7)
        #expect(cache.count == 2)
        cache.clear()
        #expect(cache.count == 0)
    }

    @Test func headsAndLayersDoNotOverlap() throws {
        let cache = try KVCache(layerCount: 2, kvHeadCount: 3, headSize: 4, capacity: 10)
        var value: UInt16 = 0
        for l in 0..<2 { for h in 0..<3 {
            for i in 0..<40 { cache.keys(layer: l, head: h)[i] = value; cache.values(layer: l, head: h)[i] = ~value }
            value += 1
        } }
        value = 0
        for l in 0..<2 { for h in 0..<3 {
            #expect((0..<40).allSatisfy { cache.keys(layer: l, head: h)[$0] == value && cache.values(layer: l, head: h)[$0] == ~value })
            value += 1
        } }
    }

    @Test func rejectsEmptyShapes() {
        #expect(throws: InferenceError.self) { try KVCache(layerCount: 0, kvHeadCount: 1, headSize: 1, capacity: 1) }
    }
}
