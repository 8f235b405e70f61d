/// An open-addressing hash table from byte strings to token ids, looked up straight from a byte
/// buffer without building a `String` (SentencePiece asks it once per candidate bigram).
struct PieceTable: Sendable {
    private var keyBytes: [UInt8] = []
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    private var keyID: [Int32] = []
    /// Entry index + 1 per slot; 0 = empty.
    private var slots: [Int32]
    private let mask: Int

    /// Builds the table; a later duplicate key replaces an earlier one.
    init(_ entries: [(bytes: [UInt8], id: Int32)]) {
        var size = 16
        while size < entries.count * 2 { size <<= 1 }
        mask = size - 1
        slots = [Int32](repeating: 0, count: size)
        keyStart.reserveCapacity(entries.count)
        for e in entries { insert(e.bytes, e.id) }
    }

    private mutating func insert(_ bytes: [UInt8], _ id: Int32) {
        let h = bytes.withUnsafeBufferPointer { Self.hash($0.baseAddress, $0.count) }
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = Int(slots[i])
            if s == 0 {
                keyStart.append(Int32(keyBytes.count))
                keyLength.append(Int32(bytes.count))
                keyID.append(id)
                keyBytes.append(contentsOf: bytes)
                slots[i] = Int32(keyID.count)
                return
            }
            let e = s - 1
            if Int(keyLength[e]) == bytes.count,
               keyBytes[Int(keyStart[e])..<Int(keyStart[e]) + bytes.count].elementsEqual(bytes) {
                keyID[e] = id
                return
            }
            i = (i + 1) & mask
        }
    }

    /// The id stored for `count` bytes at `base`, or -1.
    @inline(__always)
    func lookup(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        let h = Self.hash(base, count)
        var i = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { slots in
            keyBytes.withUnsafeBufferPointer { kb in
                while true {
                    let s = Int(slots[i])
                    if s == 0 { return -1 }
                    let e = s - 1
                    if Int(keyLength[e]) == count {
                        let start = Int(keyStart[e])
                        var same = true
                        for j in 0..<count where kb[start + j] != base[j] { same = false; break }
                        if same { return keyID[e] }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    /// The id stored for `bytes`, or -1.
    func lookup(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return lookup(UnsafePointer(bitPattern: 1)!, 0) }
            return lookup(base, b.count)
        }
    }

    /// FNV-1a, then a final mix so the low bits (the slot index) depend on every byte.
    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>?, _ count: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        if let base {
            for j in 0..<count { h = (h ^ UInt64(base[j])) &* 0x0000_0100_0000_01B3 }
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return h
    }
}

/// An open-addressing hash table from a pair of token ids to a merge rule (rank and result id).
struct PairTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private let mask: Int
    private static let empty = UInt64.max

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        mask = size - 1
        keys = [UInt64](repeating: Self.empty, count: size)
        values = [UInt64](repeating: 0, count: size)
    }

    @inline(__always)
    static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
        return Int(truncatingIfNeeded: h) & mask
    }

    /// Adds a rule unless the pair already has one (the earlier, lower rank wins).
    mutating func insertIfAbsent(_ a: Int32, _ b: Int32, rank: Int32, result: Int32) {
        let k = Self.key(a, b)
        var i = Self.slot(k, mask)
        while keys[i] != Self.empty {
            if keys[i] == k { return }
            i = (i + 1) & mask
        }
        keys[i] = k
        values[i] = UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: result))
    }

    /// The rule for the pair `(a, b)`: its rank and the id of the merged token.
    @inline(__always)
    func lookup(_ a: Int32, _ b: Int32) -> (rank: Int32, result: Int32)? {
        if a < 0 || b < 0 { return nil }
        let k = Self.key(a, b)
        var i = Self.slot(k, mask)
        return keys.withUnsafeBufferPointer { keys in
            while true {
                let s = keys[i]
                if s == k {
                    let v = values[i]
                    return (Int32(truncatingIfNeeded: v >> 32), Int32(truncatingIfNeeded: v))
                }
                if s == Self.empty { return nil }
                i = (i + 1) & mask
            }
        }
    }
}
