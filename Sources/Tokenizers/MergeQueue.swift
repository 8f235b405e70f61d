/// A candidate merge of two adjacent symbols: `left` and `right` are symbol indices, `size` the
/// total bytes of the pair when it was queued (a changed size marks the candidate as stale),
/// `result` the id of the merged token.
struct MergeCandidate {
    /// Smaller pops first: the priority in the high 32 bits, the left index in the low 32 bits,
    /// so equal priorities pop leftmost first.
    var key: UInt64
    var left: Int32
    var right: Int32
    var size: Int32
    var result: Int32
}

/// A binary min-heap of merge candidates, reused across words (clearing keeps its storage).
struct MergeQueue {
    private(set) var items: [MergeCandidate] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    mutating func push(_ c: MergeCandidate) {
        items.append(c)
        items.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            let item = h[i]
            while i > 0 {
                let parent = (i - 1) >> 1
                if h[parent].key <= item.key { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = item
        }
    }

    mutating func pop() -> MergeCandidate? {
        guard let last = items.popLast() else { return nil }
        if items.isEmpty { return last }
        let top = items[0]
        items.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            while true {
                var child = 2 * i + 1
                if child >= n { break }
                if child + 1 < n && h[child + 1].key < h[child].key { child += 1 }
                if last.key <= h[child].key { break }
                h[i] = h[child]
                i = child
            }
            h[i] = last
        }
        return top
    }

    /// Orders floats so that larger scores pop first (SentencePiece merges the best score first).
    @inline(__always)
    static func descendingKey(_ score: Float) -> UInt32 {
        let bits = score.bitPattern
        let ascending = (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000
        return ~ascending
    }
}
