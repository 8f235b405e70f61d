/// Cuts text into plain stretches and special tokens written out literally (`<|im_start|>`), the
/// longest special token winning where several start at the same place.
struct SpecialTokenMatcher: Sendable {
    /// A piece of the input: plain text (a byte range) or a special token.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(TokenID)
    }

    /// Candidates by first byte, longest first.
    private let candidates: [[(bytes: [UInt8], id: TokenID)]]
    let isEmpty: Bool

    init(vocabulary v: Vocabulary, types: Set<TokenType>) {
        var byFirst = [[(bytes: [UInt8], id: TokenID)]](repeating: [], count: 256)
        var any = false
        for (i, p) in v.pieces.enumerated() where types.contains(v.types[i]) && !p.isEmpty {
            let b = Array(p.utf8)
            byFirst[Int(b[0])].append((b, TokenID(i)))
            any = true
        }
        for k in 0..<256 { byFirst[k].sort { $0.bytes.count > $1.bytes.count } }
        candidates = byFirst
        isEmpty = !any
    }

    /// The fragments of `text`, in order, covering it.
    func fragments(_ text: [UInt8]) -> [Fragment] {
        if isEmpty { return text.isEmpty ? [] : [.text(0..<text.count)] }
        var out: [Fragment] = []
        var plainStart = 0
        var i = 0
        let n = text.count
        text.withUnsafeBufferPointer { t in
            outer: while i < n {
                for c in candidates[Int(t[i])] where c.bytes.count <= n - i {
                    var same = true
                    for j in 1..<c.bytes.count where t[i + j] != c.bytes[j] { same = false; break }
                    if same {
                        if i > plainStart { out.append(.text(plainStart..<i)) }
                        out.append(.token(c.id))
                        i += c.bytes.count
                        plainStart = i
                        continue outer
                    }
                }
                i += 1
            }
        }
        if n > plainStart { out.append(.text(plainStart..<n)) }
        return out
    }
}
