import Foundation
import GRDB

/// The scale benchmark behind `llamaterm history bench`: fills a database with synthetic
/// conversations and times the first page of the list and full-text searches.
public enum StorageBenchmark {
    /// One timed operation: its median and 90th-percentile wall time over `runs` runs.
    public struct Timing: Sendable {
        public var name: String
        public var runs: Int
        public var medianMilliseconds: Double
        public var p90Milliseconds: Double
        /// Median CPU time of the whole process (all threads) per run: less sensitive than wall
        /// time to other programs competing for the machine.
        public var medianCPUMilliseconds: Double
        /// Rows the operation returned (the same every run).
        public var rows: Int
    }

    /// Adds `conversations` conversations holding `messages` messages in all (alternating user and
    /// assistant, 8 to 60 words each from a 4,000-word synthetic vocabulary; one message in 50 is
    /// Japanese-like text without spaces, from a 1,000-word kana/kanji vocabulary), spread over
    /// the last year, in transactions of 200 conversations. Deterministic for a given `seed`.
    public static func generate(
        into store: SQLiteConversationStore, conversations: Int, messages: Int, seed: UInt64 = 42,
        progress: (Int) -> Void = { _ in }
    ) throws {
        guard conversations > 0 else { return }
        var rng = SplitMix64(seed: seed)
        let vocabulary = syntheticVocabulary(count: 4000, rng: &rng)
        let kana = syntheticVocabulary(count: 1000, syllables: kanaSyllables, rng: &rng)
        var messageNumber = 0
        let perConversation = max(1, messages / conversations)
        var remainder = messages - perConversation * conversations
        let yearAgo = Timestamp.now() - 365 * 24 * 3600 * 1000
        let batch = 200
        var done = 0
        while done < conversations {
            let upper = min(conversations, done + batch)
            try store.write { db in
                let conv = try db.makeStatement(sql: """
                    INSERT INTO conversation (title, created_at, updated_at, model_file, prompt_format,
                        pinned) VALUES (?, ?, ?, 'bench.gguf', 'chatml', ?)
                    """)
                let msg = try db.makeStatement(sql: """
                    INSERT INTO message (conversation_id, position, role, content, created_at, updated_at,
                        status) VALUES (?, ?, ?, ?, ?, ?, 'complete')
                    """)
                for _ in done..<upper {
                    var count = perConversation
                    if remainder > 0 { count += 1; remainder -= 1 }
                    let created = yearAgo + Int64(rng.next() % (365 * 24 * 3600 * 1000))
                    let title = sentence(words: 3 + Int(rng.next() % 5), vocabulary, &rng)
                    let updated = created + Int64(count) * 30_000
                    try conv.execute(arguments: [title, created, updated, rng.next() % 200 == 0])
                    let id = db.lastInsertedRowID
                    for position in 0..<count {
                        messageNumber += 1
                        let text = messageNumber % 50 == 0
                            ? sentence(words: 8 + Int(rng.next() % 30), kana, &rng, separator: "")
                            : sentence(words: 8 + Int(rng.next() % 53), vocabulary, &rng)
                        let at = created + Int64(position) * 30_000
                        try msg.execute(arguments: [id, position, position % 2 == 0 ? "user" : "assistant", text, at, at])
                    }
                }
            }
            done = upper
            progress(done)
        }
    }

    /// Times `body` `runs` times (after one warm-up run).
    public static func time(_ name: String, runs: Int, _ body: () throws -> Int) throws -> Timing {
        var rows = try body()
        var samples: [Double] = []
        var cpu: [Double] = []
        let clock = ContinuousClock()
        func cpuMilliseconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
            return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
        }
        for _ in 0..<max(1, runs) {
            let cpuStart = cpuMilliseconds()
            let elapsed = try clock.measure { rows = try body() }
            cpu.append(cpuMilliseconds() - cpuStart)
            samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        samples.sort()
        cpu.sort()
        let median = samples.count % 2 == 1
            ? samples[samples.count / 2]
            : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
        let p90 = samples[min(samples.count - 1, Int(Double(samples.count) * 0.9))]
        return Timing(name: name, runs: samples.count, medianMilliseconds: median, p90Milliseconds: p90,
                      medianCPUMilliseconds: cpu[cpu.count / 2], rows: rows)
    }

    /// A word of the synthetic vocabulary by frequency rank (0 = most frequent), so the
    /// benchmark can search a common, a middling and a rare word.
    public static func vocabularyWord(rank: Int, seed: UInt64 = 42) -> String {
        var rng = SplitMix64(seed: seed)
        let words = syntheticVocabulary(count: 4000, rng: &rng)
        return words[max(0, min(words.count - 1, rank))]
    }

    /// The same for the Japanese-like vocabulary.
    public static func kanaWord(rank: Int, seed: UInt64 = 42) -> String {
        var rng = SplitMix64(seed: seed)
        _ = syntheticVocabulary(count: 4000, rng: &rng)
        let words = syntheticVocabulary(count: 1000, syllables: kanaSyllables, rng: &rng)
        return words[max(0, min(words.count - 1, rank))]
    }

    static let latinSyllables = ["ka", "lo", "mi", "ten", "ru", "sha", "vel", "dor", "pi", "an", "qua", "zel",
                                 "bri", "nox", "tal", "ver", "mon", "ise", "ul", "gar", "fen", "ho", "cy", "pre"]
    static let kanaSyllables = ["カ", "キ", "ク", "サ", "シ", "タ", "ト", "ナ", "ハ", "マ", "ラ", "ン", "の", "に",
                                "は", "を", "が", "東", "京", "語", "学", "日", "本", "電", "車", "話"]

    static func syntheticVocabulary(count: Int, syllables: [String] = latinSyllables, rng: inout SplitMix64) -> [String] {
        var seen = Set<String>()
        var words: [String] = []
        while words.count < count {
            var w = ""
            for _ in 0..<(2 + Int(rng.next() % 3)) { w += syllables[Int(rng.next() % UInt64(syllables.count))] }
            if seen.insert(w).inserted { words.append(w) }
        }
        return words
    }

    /// Words drawn with a Zipf-like skew (rank r has weight about 1/(r+1)).
    static func sentence(words: Int, _ vocabulary: [String], _ rng: inout SplitMix64, separator: String = " ") -> String {
        var out: [String] = []
        out.reserveCapacity(words)
        let n = Double(vocabulary.count)
        for _ in 0..<words {
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            let rank = Int(exp(u * log(n + 1))) - 1
            out.append(vocabulary[max(0, min(vocabulary.count - 1, rank))])
        }
        return out.joined(separator: separator)
    }
}

/// A small, fast, deterministic random generator (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
