/// SentencePiece BPE as Llama 2 uses it: the text (spaces already escaped to `▁`) starts as one
/// symbol per character; repeatedly the adjacent pair whose concatenation is the vocabulary entry
/// with the highest score is merged (ties: leftmost); characters that never became a token fall
/// back to their `<0xNN>` byte tokens (or the unknown token).
struct SentencePieceEncoder: Sendable {
    /// Mergeable entries (normal, user-defined, unused) by their UTF-8 bytes.
    let table: PieceTable
    let scores: [Float]
    /// `<0xNN>` token per byte, -1 when absent.
    let byteTokens: [Int32]
    let unknown: Int32
    /// True when no mergeable entry contains `▁` right after another character than `▁`: then a
    /// `▁` that follows a non-`▁` character is a boundary no merge can cross, and the text can be
    /// cut there into independent segments (which are cached) without changing the result.
    let splitsBeforeSpaces: Bool

    init(vocabulary v: Vocabulary) {
        var entries: [(bytes: [UInt8], id: Int32)] = []
        entries.reserveCapacity(v.count)
        var splits = true
        for (i, p) in v.pieces.enumerated() where v.types[i].isMergeable && !p.isEmpty {
            let b = Array(p.utf8)
            entries.append((b, Int32(i)))
            if splits, b.count >= 4 {
                for j in 1...(b.count - 3) where b[j] == 0xE2 && b[j + 1] == 0x96 && b[j + 2] == 0x81 {
                    if j < 3 || !(b[j - 3] == 0xE2 && b[j - 2] == 0x96 && b[j - 1] == 0x81) { splits = false; break }
                }
            }
        }
        table = PieceTable(entries)
        scores = v.scores
        var bytes = [Int32](repeating: -1, count: 256)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in 0..<256 {
            let name = "<0x" + String(decoding: [hex[b >> 4], hex[b & 15]], as: UTF8.self) + ">"
            if let id = v.id(name), v.types[Int(id)] == .byte || v.types[Int(id)] == .normal { bytes[b] = id }
        }
        byteTokens = bytes
        unknown = v.unknown ?? -1
        splitsBeforeSpaces = splits
    }

    /// Tokenizes escaped text (UTF-8 with every space already `▁`), appending ids to `out`.
    /// `segmented: false` runs the merge over the whole text at once (the reference algorithm, kept
    /// for tests that check the segmentation changes nothing).
    func encode(_ text: [UInt8], into out: inout [TokenID], segmented: Bool = true) {
        var session = Session()
        text.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress, buf.count > 0 else { return }
            if !splitsBeforeSpaces || !segmented {
                session.encodeSegment(self, base, 0, buf.count, into: &out)
                return
            }
            let n = buf.count
            var cache = WordCache(expectedWords: n / 64)
            var start = 0
            var i = 3
            func flush(_ end: Int) {
                let hash = PieceTable.hash(base + start, end - start)
                if let hit = cache.lookup(base, start, end - start, hash: hash) {
                    out.append(contentsOf: cache.ids[hit])
                } else {
                    let before = out.count
                    session.encodeSegment(self, base, start, end, into: &out)
                    cache.insert(start, end - start, hash: hash, result: out[before...])
                }
                start = end
            }
            while i + 2 < n {
                if base[i] == 0xE2 && base[i + 1] == 0x96 && base[i + 2] == 0x81 {
                    let afterSpace = base[i - 3] == 0xE2 && base[i - 2] == 0x96 && base[i - 1] == 0x81
                    if !afterSpace && i > start { flush(i) }
                    i += 3
                } else {
                    i += 1
                }
            }
            flush(n)
        }
    }

    /// Scratch storage for one call: symbols as a doubly linked list over byte ranges.
    private struct Session {
        var start: [Int32] = []
        var length: [Int32] = []
        var prev: [Int32] = []
        var next: [Int32] = []
        var id: [Int32] = []
        var queue = MergeQueue()

        mutating func encodeSegment(_ enc: SentencePieceEncoder, _ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int,
                                    into out: inout [TokenID]) {
            start.removeAll(keepingCapacity: true)
            length.removeAll(keepingCapacity: true)
            prev.removeAll(keepingCapacity: true)
            next.removeAll(keepingCapacity: true)
            id.removeAll(keepingCapacity: true)
            queue.removeAll()
            var p = from
            while p < to {
                let len = min(Self.utf8Length(base[p]), to - p)
                let k = Int32(start.count)
                start.append(Int32(p))
                length.append(Int32(len))
                prev.append(k - 1)
                next.append(p + len < to ? k + 1 : -1)
                id.append(enc.table.lookup(base + p, len))
                p += len
            }
            let count = start.count
            for k in 1..<max(count, 1) { tryAdd(enc, base, Int32(k - 1), Int32(k)) }
            while let c = queue.pop() {
                let l = Int(c.left), r = Int(c.right)
                if length[l] == 0 || length[r] == 0 || length[l] + length[r] != c.size { continue }
                length[l] += length[r]
                length[r] = 0
                id[l] = c.result
                next[l] = next[r]
                if next[r] >= 0 { prev[Int(next[r])] = Int32(l) }
                tryAdd(enc, base, prev[l], Int32(l))
                tryAdd(enc, base, Int32(l), next[l])
            }
            var k = count > 0 ? 0 : -1
            while k >= 0 {
                if id[k] >= 0 {
                    out.append(id[k])
                } else {
                    for j in Int(start[k])..<Int(start[k] + length[k]) {
                        let b = enc.byteTokens[Int(base[j])]
                        if b >= 0 { out.append(b) } else if enc.unknown >= 0 { out.append(enc.unknown) }
                    }
                }
                k = Int(next[k])
            }
        }

        @inline(__always)
        private mutating func tryAdd(_ enc: SentencePieceEncoder, _ base: UnsafePointer<UInt8>, _ l: Int32, _ r: Int32) {
            if l < 0 || r < 0 { return }
            let size = length[Int(l)] + length[Int(r)]
            let t = enc.table.lookup(base + Int(start[Int(l)]), Int(size))
            if t < 0 { return }
            let key = UInt64(MergeQueue.descendingKey(enc.scores[Int(t)])) << 32 | UInt64(UInt32(l))
            queue.push(MergeCandidate(key: key, left: l, right: r, size: size, result: t))
        }

        @inline(__always)
        static func utf8Length(_ lead: UInt8) -> Int {
            if lead < 0x80 { return 1 }
            if lead >= 0xF0 { return 4 }
            if lead >= 0xE0 { return 3 }
            if lead >= 0xC0 { return 2 }
            return 1
        }
    }
}
