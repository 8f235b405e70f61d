/// The ids already computed for each distinct piece of the text being tokenized (a pre-token for
/// byte-level BPE, a segment for SentencePiece). Keys are byte ranges of that text, so a hit costs
/// one hash and one comparison and a miss stores no new string.
struct WordCache {
    private var slots: [Int32]
    private var mask: Int
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    private var keyHash: [UInt64] = []
    private var valueStart: [Int32] = []
    private var valueCount: [Int32] = []
    /// All cached ids back to back.
    private(set) var ids: [TokenID] = []

    init(expectedWords: Int = 1024) {
        var size = 1024
        while size < expectedWords * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// The cached ids for `length` bytes at `text + start`, as a range of `ids`.
    mutating func lookup(_ text: UnsafePointer<UInt8>, _ start: Int, _ length: Int, hash: UInt64) -> Range<Int>? {
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = Int(slots[i])
            if s == 0 { return nil }
            let e = s - 1
            if keyHash[e] == hash && Int(keyLength[e]) == length {
                let other = text + Int(keyStart[e])
                let a = text + start
                var same = true
                for j in 0..<length where a[j] != other[j] { same = false; break }
                if same { return Int(valueStart[e])..<Int(valueStart[e] + valueCount[e]) }
            }
            i = (i + 1) & mask
        }
    }

    /// Remembers `result` for the bytes `start..<start+length` of the text.
    mutating func insert(_ start: Int, _ length: Int, hash: UInt64, result: ArraySlice<TokenID>) {
        if (keyHash.count + 1) * 2 > slots.count { grow() }
        keyStart.append(Int32(start))
        keyLength.append(Int32(length))
        keyHash.append(hash)
        valueStart.append(Int32(ids.count))
        valueCount.append(Int32(result.count))
        ids.append(contentsOf: result)
        place(keyHash.count - 1)
    }

    private mutating func place(_ e: Int) {
        var i = Int(truncatingIfNeeded: keyHash[e]) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Int32(e + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for e in 0..<keyHash.count { place(e) }
    }
}
