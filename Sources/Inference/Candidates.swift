import Tokenizers
/// One token the sampler may pick, with its (possibly adjusted) logit.
public struct Candidate: Sendable, Equatable {
    public var id: TokenID
    public var logit: Float
    public init(id: TokenID, logit: Float) { self.id = id; self.logit = logit }
}

/// The tokens still in the running while a sampler chain works, in a buffer allocated once for the
/// whole vocabulary. Samplers shrink `count` and may sort the live prefix (highest logit first).
public struct Candidates {
    /// Room for the whole vocabulary.
    public let storage: UnsafeMutableBufferPointer<Candidate>
    /// How many leading entries of `storage` are live.
    public var count: Int
    /// True when the live entries are sorted by descending logit.
    public var isSorted: Bool
    /// True while entry `i` is token `i` (nothing removed or reordered yet).
    public var isIdentityOrdered: Bool

    public init(storage: UnsafeMutableBufferPointer<Candidate>) {
        self.storage = storage
        count = 0
        isSorted = false
        isIdentityOrdered = false
    }

    /// Loads the full vocabulary from `logits` (in id order).
    public mutating func load(_ logits: UnsafePointer<Float>, count n: Int) {
        precondition(n <= storage.count)
        for i in 0..<n { storage[i] = Candidate(id: TokenID(i), logit: logits[i]) }
        count = n
        isSorted = false
        isIdentityOrdered = true
    }

    @inline(__always) public subscript(i: Int) -> Candidate {
        get { storage[i] }
        nonmutating set { storage[i] = newValue }
    }

    /// The index of the live candidate with the highest logit (the lowest id among ties).
    public func argmax() -> Int {
        if isSorted { return 0 }
        var best = 0
        var bestLogit = -Float.infinity
        for i in 0..<count where storage[i].logit > bestLogit { best = i; bestLogit = storage[i].logit }
        return best
    }

    /// Keeps the `k` highest-logit candidates, sorted descending. In place, O(n log k), no allocation.
    public mutating func keepTop(_ k: Int) {
        let k = min(k, count)
        if k <= 0 { return }
        if isSorted { count = k; return }
        let p = storage.baseAddress!
        // A min-heap of the best k seen so far occupies p[0..<k].
        for i in stride(from: k / 2 - 1, through: 0, by: -1) { Self.siftDown(p, i, k) }
        for i in k..<count where p[i].logit > p[0].logit || (p[i].logit == p[0].logit && p[i].id < p[0].id) {
            p[0] = p[i]
            Self.siftDown(p, 0, k)
        }
        // Heap sort: repeatedly move the minimum to the end, giving descending order.
        var end = k
        while end > 1 {
            end -= 1
            let t = p[0]; p[0] = p[end]; p[end] = t
            Self.siftDown(p, 0, end)
        }
        count = k
        isSorted = true
        isIdentityOrdered = false
    }

    /// Sorts every live candidate by descending logit.
    public mutating func sort() { keepTop(count) }

    /// `a` ranks below `b` (lower logit, or equal logit and higher id).
    @inline(__always)
    private static func below(_ a: Candidate, _ b: Candidate) -> Bool {
        a.logit < b.logit || (a.logit == b.logit && a.id > b.id)
    }

    private static func siftDown(_ p: UnsafeMutablePointer<Candidate>, _ start: Int, _ n: Int) {
        var i = start
        while true {
            let l = 2 * i + 1
            if l >= n { return }
            var m = l
            if l + 1 < n && below(p[l + 1], p[l]) { m = l + 1 }
            if below(p[m], p[i]) {
                let t = p[i]; p[i] = p[m]; p[m] = t
                i = m
            } else { return }
        }
    }

    /// Softmax probabilities of the live candidates written into `probabilities[0..<count]`.
    public func softmax(into probabilities: UnsafeMutablePointer<Float>) {
        var maxLogit = -Float.infinity
        for i in 0..<count { maxLogit = max(maxLogit, storage[i].logit) }
        var sum: Float = 0
        for i in 0..<count {
            let e = expf(storage[i].logit - maxLogit)
            probabilities[i] = e
            sum += e
        }
        let inv = 1 / sum
        for i in 0..<count { probabilities[i] *= inv }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
