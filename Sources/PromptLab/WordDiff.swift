/// A word-level diff of two texts (longest common subsequence over words), for showing how two
/// replies differ.
public struct WordDiff: Sendable, Hashable {
    /// One run of words: the same in both, only in the first (removed), or only in the second (added).
    public enum Kind: Sendable, Hashable { case same, removed, added }

    public struct Run: Sendable, Hashable {
        public var kind: Kind
        public var words: [String]
        public init(kind: Kind, words: [String]) {
            self.kind = kind
            self.words = words
        }
        /// The words joined by spaces.
        public var text: String { words.joined(separator: " ") }
    }

    /// Runs in order; adjacent runs differ in kind.
    public var runs: [Run]

    /// Largest table (words × words) the exact LCS builds; longer middles are shown as one replacement.
    public static let maxTableCells = 4_000_000

    /// Diffs `a` (old) against `b` (new); words are runs of non-whitespace.
    public init(_ a: String, _ b: String) {
        self.init(words: a.split(whereSeparator: \.isWhitespace).map(String.init),
                  b.split(whereSeparator: \.isWhitespace).map(String.init))
    }

    /// Diffs two word lists.
    public init(words a: [String], _ b: [String]) {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let am = Array(a[prefix..<(a.count - suffix)])
        let bm = Array(b[prefix..<(b.count - suffix)])

        var ops: [(Kind, String)] = a[..<prefix].map { (.same, $0) }
        ops += Self.lcsOps(am, bm)
        ops += a[(a.count - suffix)...].map { (.same, $0) }

        var runs: [Run] = []
        for (kind, word) in ops {
            if let last = runs.last, last.kind == kind { runs[runs.count - 1].words.append(word) } else {
                runs.append(Run(kind: kind, words: [word]))
            }
        }
        self.runs = runs
    }

    /// True when the texts have the same words.
    public var isIdentical: Bool { runs.allSatisfy { $0.kind == .same } }

    /// Words only in the first and only in the second text.
    public var removedCount: Int { runs.filter { $0.kind == .removed }.reduce(0) { $0 + $1.words.count } }
    public var addedCount: Int { runs.filter { $0.kind == .added }.reduce(0) { $0 + $1.words.count } }

    /// Plain-text form: `[-removed-]` and `{+added+}` around changed runs (like `git diff --word-diff`).
    public var markedText: String {
        runs.map { run in
            switch run.kind {
            case .same: return run.text
            case .removed: return "[-" + run.text + "-]"
            case .added: return "{+" + run.text + "+}"
            }
        }.joined(separator: " ")
    }

    /// Edit operations turning `a` into `b`: removals before additions within a change.
    private static func lcsOps(_ a: [String], _ b: [String]) -> [(Kind, String)] {
        if a.isEmpty { return b.map { (.added, $0) } }
        if b.isEmpty { return a.map { (.removed, $0) } }
        let n = a.count, m = b.count
        guard n.multipliedReportingOverflow(by: m).partialValue <= maxTableCells, n < Int(UInt32.max), m < Int(UInt32.max) else {
            return a.map { (.removed, $0) } + b.map { (.added, $0) }
        }
        // lengths[i][j] = LCS length of a[i...] and b[j...], one flat row-major table.
        let w = m + 1
        var lengths = [UInt32](repeating: 0, count: (n + 1) * w)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i * w + j] = a[i] == b[j]
                    ? lengths[(i + 1) * w + j + 1] + 1
                    : max(lengths[(i + 1) * w + j], lengths[i * w + j + 1])
            }
        }
        var ops: [(Kind, String)] = []
        var removed: [String] = [], added: [String] = []
        func flush() {
            ops += removed.map { (.removed, $0) }
            ops += added.map { (.added, $0) }
            removed.removeAll()
            added.removeAll()
        }
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                flush()
                ops.append((.same, a[i]))
                i += 1
                j += 1
            } else if j >= m || (i < n && lengths[(i + 1) * w + j] >= lengths[i * w + j + 1]) {
                removed.append(a[i])
                i += 1
            } else {
                added.append(b[j])
                j += 1
            }
        }
        flush()
        return ops
    }
}
