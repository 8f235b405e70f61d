/// Byte-level BPE (GPT-2, SmolLM2, Llama 3, Qwen 2): the text is split by the pre-tokenizer; each
/// pre-token starts as one symbol per byte and the adjacent pair with the lowest merge rank is
/// merged until no pair has a rule (ties: leftmost). Results are cached per distinct pre-token.
struct ByteLevelBPEEncoder: Sendable {
    /// The token of each single byte (-1 when the vocabulary lacks it).
    let byteTokens: [Int32]
    /// Merge rules keyed by the pair of ids: rank and merged id.
    let merges: PairTable
    /// Mergeable entries by the raw bytes they stand for; used by pre-tokenizers whose reference
    /// takes a whole pre-token that is itself a vocabulary entry without merging (Llama 3).
    let wholeWords: PieceTable?
    let preTokenizer: PreTokenizer

    init(vocabulary v: Vocabulary, preTokenizer: PreTokenizer) {
        var bytes = [Int32](repeating: -1, count: 256)
        for b in 0..<256 {
            if let id = v.id(ByteLevel.piece(for: UInt8(b))) { bytes[b] = id }
        }
        byteTokens = bytes
        var table = PairTable(capacity: v.merges.count)
        var joined: [UInt8] = []
        for (rank, line) in v.merges.enumerated() {
            var copy = line
            let sep = Int(v.mergeSeparators[rank])
            let rule: (Int32, Int32, Int32)? = copy.withUTF8 { u in
                guard let base = u.baseAddress else { return nil }
                let a = v.pieceTable.lookup(base, sep)
                let b = v.pieceTable.lookup(base + sep + 1, u.count - sep - 1)
                guard a >= 0, b >= 0 else { return nil }
                joined.removeAll(keepingCapacity: true)
                joined.append(contentsOf: u[..<sep])
                joined.append(contentsOf: u[(sep + 1)...])
                let ab = v.pieceTable.lookup(joined)
                return ab >= 0 ? (a, b, ab) : nil
            }
            guard let (a, b, ab) = rule, v.types[Int(ab)].isMergeable else { continue }
            table.insertIfAbsent(a, b, rank: Int32(rank), result: ab)
        }
        merges = table
        self.preTokenizer = preTokenizer
        if preTokenizer == .llama3 {
            var entries: [(bytes: [UInt8], id: Int32)] = []
            for (i, p) in v.pieces.enumerated() where v.types[i].isMergeable {
                if let raw = ByteLevel.bytes(of: p), !raw.isEmpty { entries.append((raw, Int32(i))) }
            }
            wholeWords = PieceTable(entries)
        } else {
            wholeWords = nil
        }
    }

    /// Tokenizes one stretch of plain text (valid UTF-8, no special tokens), appending ids to `out`.
    /// `utf8` is the whole text; `range` the stretch (cache keys share the text's storage).
    func encode(_ utf8: [UInt8], _ range: Range<Int>, into out: inout [TokenID]) {
        guard !range.isEmpty else { return }
        var scalars: [UInt32] = []
        var classes: [UInt8] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(range.count)
        classes.reserveCapacity(range.count)
        offsets.reserveCapacity(range.count + 1)
        utf8.withUnsafeBufferPointer { b in
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                let b0 = UInt32(b[i])
                var v = b0
                var len = 1
                if b0 >= 0xF0 { len = 4; v = b0 & 0x07 } else if b0 >= 0xE0 { len = 3; v = b0 & 0x0F } else if b0 >= 0xC0 { len = 2; v = b0 & 0x1F }
                if i + len > end { len = 1; v = 0xFFFD }
                for j in 1..<len { v = v << 6 | (UInt32(b[i + j]) & 0x3F) }
                scalars.append(v)
                classes.append(v < 0x80 ? Self.asciiClass[Int(v)] : ScalarClass.of(v))
                offsets.append(i)
                i += len
            }
            offsets.append(end)
        }
        let words = scalars.withUnsafeBufferPointer { s in
            classes.withUnsafeBufferPointer { c in preTokenizer.split(s, c) }
        }
        var cache = WordCache(expectedWords: words.count / 8)
        var session = Session()
        utf8.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            for w in words {
                let from = offsets[w.lowerBound], to = offsets[w.upperBound]
                let hash = PieceTable.hash(base + from, to - from)
                if let hit = cache.lookup(base, from, to - from, hash: hash) {
                    out.append(contentsOf: cache.ids[hit])
                    continue
                }
                let before = out.count
                if let whole = wholeWords?.lookup(base + from, to - from), whole >= 0 {
                    out.append(whole)
                } else {
                    session.merge(self, base + from, to - from, into: &out)
                }
                cache.insert(from, to - from, hash: hash, result: out[before...])
            }
        }
    }

    private static let asciiClass: [UInt8] = (0..<128).map { ScalarClass.compute(Unicode.Scalar(UInt8($0))) }

    /// Scratch storage: symbols of one word as a doubly linked list.
    private struct Session {
        var length: [Int32] = []
        var prev: [Int32] = []
        var next: [Int32] = []
        var id: [Int32] = []
        var queue = MergeQueue()

        mutating func merge(_ enc: ByteLevelBPEEncoder, _ base: UnsafePointer<UInt8>, _ n: Int, into out: inout [TokenID]) {
            length.removeAll(keepingCapacity: true)
            prev.removeAll(keepingCapacity: true)
            next.removeAll(keepingCapacity: true)
            id.removeAll(keepingCapacity: true)
            queue.removeAll()
            for k in 0..<n {
                length.append(1)
                prev.append(Int32(k - 1))
                next.append(k + 1 < n ? Int32(k + 1) : -1)
                id.append(enc.byteTokens[Int(base[k])])
            }
            for k in 1..<max(n, 1) { tryAdd(enc, Int32(k - 1), Int32(k)) }
            while let c = queue.pop() {
                let l = Int(c.left), r = Int(c.right)
                if length[l] == 0 || length[r] == 0 || length[l] + length[r] != c.size { continue }
                length[l] += length[r]
                length[r] = 0
                id[l] = c.result
                next[l] = next[r]
                if next[r] >= 0 { prev[Int(next[r])] = Int32(l) }
                tryAdd(enc, prev[l], Int32(l))
                tryAdd(enc, Int32(l), next[l])
            }
            var k = n > 0 ? 0 : -1
            while k >= 0 {
                // A byte the vocabulary cannot spell is dropped, as in the reference.
                if id[k] >= 0 { out.append(id[k]) }
                k = Int(next[k])
            }
        }

        @inline(__always)
        private mutating func tryAdd(_ enc: ByteLevelBPEEncoder, _ l: Int32, _ r: Int32) {
            if l < 0 || r < 0 { return }
            guard let rule = enc.merges.lookup(id[Int(l)], id[Int(r)]) else { return }
            let key = UInt64(UInt32(bitPattern: rule.rank)) << 32 | UInt64(UInt32(l))
            queue.push(MergeCandidate(key: key, left: l, right: r, size: length[Int(l)] + length[Int(r)], result: rule.result))
        }
    }
}
