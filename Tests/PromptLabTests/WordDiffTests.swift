import Testing
@testable import PromptLab

@Suite struct WordDiffTests {
    @Test func identicalTexts() {
        let d = WordDiff("a b  c", "a\nb c")
        #expect(d.isIdentical)
        #expect(d.runs == [.init(kind: .same, words: ["a", "b", "c"])])
    }

    @Test func replacementInTheMiddle() {
        let d = WordDiff("the cat sat on the mat", "the dog sat on a mat")
        #expect(d.markedText == "the [-cat-] {+dog+} sat on [-the-] {+a+} mat")
        #expect(d.removedCount == 2 && d.addedCount == 2)
    }

    @Test func insertionsAndDeletions() {
        #expect(WordDiff("", "new words").markedText == "{+new words+}")
        #expect(WordDiff("old words", "").markedText == "[-old words-]")
        #expect(WordDiff("a c", "a b c").markedText == "a {+b+} c")
        #expect(WordDiff("a b c d", "a d").markedText == "a [-b c-] d")
    }

    @Test func theDiffRebuildsBothTexts() {
        // Property: same+removed words give the first text, same+added the second, for many pairs.
        var rng = SplitMix(seed: 7)
        let vocab = ["a", "b", "c", "d", "e"]
        for _ in 0..<200 {
            let a = (0..<Int(rng.next() % 12)).map { _ in vocab[Int(rng.next() % 5)] }
            let b = (0..<Int(rng.next() % 12)).map { _ in vocab[Int(rng.next() % 5)] }
            let d = WordDiff(words: a, b)
            #expect(d.runs.filter { $0.kind != .added }.flatMap(\.words) == a)
            #expect(d.runs.filter { $0.kind != .removed }.flatMap(\.words) == b)
            let same = d.runs.filter { $0.kind == .same }.reduce(0) { $0 + $1.words.count }
            #expect(same == lcsLength(a, b))
        }
    }

    private func lcsLength(_ a: [String], _ b: [String]) -> Int {
        var t = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0..<a.count { for j in 0..<b.count { t[i + 1][j + 1] = a[i] == b[j] ? t[i][j] + 1 : max(t[i][j + 1], t[i + 1][j]) } }
        return t[a.count][b.count]
    }
}

struct SplitMix {
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
