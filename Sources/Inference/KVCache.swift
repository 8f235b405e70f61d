import CKernels
import Tokenizers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The keys and values of every evaluated position, per layer and key/value head, and the token
/// ids they were computed from, so a later request that shares a prefix evaluates only the rest.
///
/// Storage is one anonymous memory mapping sized for `capacity` tokens; the operating system
/// commits its pages only as positions are written, so a long context costs memory only once used.
/// Layout: `[layer][kvHead][position][headSize]` for keys, the same for values, half precision
/// (IEEE F16 bits, as llama.cpp's default cache): half the memory and bandwidth of F32, which
/// decoding at a long context is bound by.
public final class KVCache: @unchecked Sendable {
    public let layerCount: Int
    public let kvHeadCount: Int
    public let headSize: Int
    /// The most positions the cache can hold.
    public let capacity: Int
    /// The token ids whose keys and values are stored, position by position.
    public private(set) var tokens: [TokenID]
    /// How many leading positions were computed by passes over several tokens (a prompt), not
    /// one token at a time (a reply as it was generated). A single-token pass rounds differently,
    /// so only these positions hold exactly what evaluating the same tokens as a prompt gives.
    public private(set) var batchedCount = 0

    private let base: UnsafeMutablePointer<UInt16>
    private let byteCount: Int
    private let headStride: Int   // values between consecutive heads
    private let valueOffset: Int  // values from the keys to the values

    /// Number of positions held.
    public var count: Int { tokens.count }

    /// Bytes of address space reserved (committed only as used).
    public var reservedBytes: Int { byteCount }

    /// Bytes that positions `0..<count` occupy.
    public var usedBytes: Int { count * layerCount * kvHeadCount * headSize * 2 * MemoryLayout<UInt16>.size }

    public init(layerCount: Int, kvHeadCount: Int, headSize: Int, capacity: Int) throws {
        guard layerCount > 0, kvHeadCount > 0, headSize > 0, capacity > 0 else {
            throw InferenceError.invalidParameter(name: "KV cache shape", message: "\(layerCount) layers, \(kvHeadCount) heads, head size \(headSize), \(capacity) positions")
        }
        self.layerCount = layerCount
        self.kvHeadCount = kvHeadCount
        self.headSize = headSize
        self.capacity = capacity
        headStride = capacity * headSize
        valueOffset = layerCount * kvHeadCount * headStride
        byteCount = 2 * valueOffset * MemoryLayout<UInt16>.size
        let p = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else {
            throw InferenceError.invalidParameter(name: "context length", message: "cannot reserve \(byteCount) bytes for a KV cache of \(capacity) positions")
        }
        base = p.bindMemory(to: UInt16.self, capacity: 2 * valueOffset)
        tokens = []
        tokens.reserveCapacity(capacity)
    }

    deinit { munmap(UnsafeMutableRawPointer(base), byteCount) }

    /// The keys of `layer`, `kvHead`: `capacity` rows of `headSize` half-precision values.
    @inline(__always)
    public func keys(layer: Int, head: Int) -> UnsafeMutablePointer<UInt16> {
        base + (layer * kvHeadCount + head) * headStride
    }

    /// The values of `layer`, `kvHead`: `capacity` rows of `headSize` half-precision values.
    @inline(__always)
    public func values(layer: Int, head: Int) -> UnsafeMutablePointer<UInt16> {
        base + valueOffset + (layer * kvHeadCount + head) * headStride
    }

    /// Stores the key and value rows of every KV head at `position` of `layer`, rounding them to
    /// half precision: `keys` and `values` hold `kvHeadCount · headSize` floats, head after head.
    @inline(__always)
    func store(layer: Int, position: Int, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>) {
        for h in 0..<kvHeadCount {
            lt_f32_to_f16(k + h * headSize, keys(layer: layer, head: h) + position * headSize, Int64(headSize))
            lt_f32_to_f16(v + h * headSize, values(layer: layer, head: h) + position * headSize, Int64(headSize))
        }
    }

    /// How many leading tokens of `prompt` the cache already holds.
    public func commonPrefixLength(with prompt: [TokenID]) -> Int {
        var n = 0
        let limit = min(prompt.count, tokens.count)
        while n < limit && tokens[n] == prompt[n] { n += 1 }
        return n
    }

    /// Forgets every position from `length` on.
    public func truncate(to length: Int) {
        let keep = max(0, min(length, tokens.count))
        tokens.removeLast(tokens.count - keep)
        batchedCount = min(batchedCount, keep)
    }

    /// Forgets everything.
    public func clear() { truncate(to: 0) }

    /// Bytes one position takes: its keys and values in every layer and KV head.
    public var bytesPerPosition: Int { layerCount * kvHeadCount * headSize * 2 * MemoryLayout<UInt16>.size }

    /// The number of runs `forEachRun` visits: the keys, then the values, of every layer and KV head.
    var runCount: Int { 2 * layerCount * kvHeadCount }

    /// Calls `body` with the start of each run of positions `0..<count` (`count · headSize` half
    /// floats): keys of layer 0 head 0, head 1, ..., then layer 1 ..., then the values the same
    /// way. This is the order of a compact copy (`KVSnapshot`, the state files).
    func forEachRun(count: Int, _ body: (UnsafeMutableRawPointer) throws -> Void) rethrows {
        precondition(count <= capacity)
        for r in 0..<runCount {
            let valueRun = r >= layerCount * kvHeadCount
            let lh = valueRun ? r - layerCount * kvHeadCount : r
            try body(UnsafeMutableRawPointer(base + (valueRun ? valueOffset : 0) + lh * headStride))
        }
    }

    /// Declares that positions `0..<ids.count` hold the keys and values of `ids` (written there
    /// through `forEachRun`), the first `batched` of them computed by multi-token passes,
    /// replacing what the cache held.
    func adopt(_ ids: ArraySlice<TokenID>, batched: Int) {
        precondition(ids.count <= capacity, "KV cache overflow")
        tokens.removeAll(keepingCapacity: true)
        tokens.append(contentsOf: ids)
        batchedCount = min(batched, ids.count)
    }

    /// Records that positions `count..<count + ids.count` now hold the keys and values of `ids`
    /// (the forward pass writes them first), computed in one pass over several tokens when
    /// `batched`.
    func commit(_ ids: UnsafeBufferPointer<TokenID>, batched: Bool) {
        precondition(tokens.count + ids.count <= capacity, "KV cache overflow")
        if batched && batchedCount == tokens.count { batchedCount += ids.count }
        tokens.append(contentsOf: ids)
    }
}
