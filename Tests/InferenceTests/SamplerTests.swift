import Tokenizers
import Testing
@testable import Inference

@Suite struct SamplerTests {
    func withContext(vocab: Int, history: [TokenID] = [], _ body: (inout Candidates, inout SamplingContext) -> Void) {
        let storage = UnsafeMutableBufferPointer<Candidate>.allocate(capacity: vocab)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: vocab)
        let marks = UnsafeMutablePointer<Bool>.allocate(capacity: vocab)
        marks.initialize(repeating: false, count: vocab)
        defer { storage.deallocate(); scratch.deallocate(); marks.deallocate() }
        var c = Candidates(storage: storage)
        history.withUnsafeBufferPointer { h in
            var ctx = SamplingContext(history: h, scratch: scratch, marks: marks, random: RandomSource(seed: 1))
            body(&c, &ctx)
        }
    }

    @Test func topKKeepsTheBestSortedWithStableTies() {
        let logits: [Float] = [0.5, 3, -1, 3, 2, 7, 0]
        withContext(vocab: logits.count) { c, ctx in
            c.load(logits, count: logits.count)
            var s = TopK(4)
            s.apply(to: &c, context: &ctx)
            #expect(c.count == 4 && c.isSorted)
            #expect((0..<4).map { c[$0].id } == [5, 1, 3, 4])
        }
    }

    @Test func topKMatchesAFullSortOnRandomData() {
        var rng = RandomSource(seed: 7)
        let logits = (0..<5000).map { _ in Float(rng.nextUnit() * 20 - 10) }
        let expected = logits.enumerated().sorted { $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset) }
        withContext(vocab: logits.count) { c, ctx in
            c.load(logits, count: logits.count)
            c.keepTop(37)
            #expect((0..<37).map { Int(c[$0].id) } == expected.prefix(37).map(\.offset))
            c.load(logits, count: logits.count)
            c.sort()
            #expect((0..<logits.count).map { Int(c[$0].id) } == expected.map(\.offset))
        }
    }

    @Test func topPKeepsTheSmallestNucleus() {
        // probabilities 0.5, 0.25, 0.125, 0.125
        let logits: [Float] = [logf(0.125), logf(0.5), logf(0.125), logf(0.25)]
        withContext(vocab: 4) { c, ctx in
            c.load(logits, count: 4)
            var s = TopP(0.7)
            s.apply(to: &c, context: &ctx)
            #expect((0..<c.count).map { c[$0].id } == [1, 3])
            c.load(logits, count: 4)
            var t = TopP(0.75)
            t.apply(to: &c, context: &ctx)
            #expect(c.count == 2)
        }
    }

    @Test func minPDropsUnlikelyTokens() {
        let logits: [Float] = [logf(0.5), logf(0.04), logf(0.3), logf(0.16)]
        withContext(vocab: 4) { c, ctx in
            c.load(logits, count: 4)
            var s = MinP(0.1)  // threshold 0.05
            s.apply(to: &c, context: &ctx)
            #expect(Set((0..<c.count).map { c[$0].id }) == [0, 2, 3])
        }
    }

    @Test func repetitionPenaltyAppliesOncePerDistinctRecentToken() {
        let logits: [Float] = [2, -2, 4, 1]
        withContext(vocab: 4, history: [3, 0, 1, 0, 1]) { c, ctx in
            c.load(logits, count: 4)
            var s = RepetitionPenalty(penalty: 2, lastN: 4)  // looks at 0, 1, 0, 1
            s.apply(to: &c, context: &ctx)
            #expect((0..<4).map { c[$0].logit } == [1, -4, 4, 1])
            #expect((0..<4).allSatisfy { !ctx.marks[$0] })
        }
    }

    @Test func greedyPicksTheArgmaxAfterPenalty() {
        let logits: [Float] = [1, 5, 4.9, 0]
        let chain = SamplerChain(parameters: .greedy(maxTokens: 1), vocabularySize: 4)
        #expect(chain.sample(logits: logits, history: UnsafeBufferPointer(start: nil, count: 0)) == 1)
        var p = GenerationParameters.greedy(maxTokens: 1)
        p.repeatPenalty = 1.5
        let penalized = SamplerChain(parameters: p, vocabularySize: 4)
        let h: [TokenID] = [1]
        #expect(h.withUnsafeBufferPointer { penalized.sample(logits: logits, history: $0) } == 2)
    }

    func draws(seed: UInt64, temperature: Float = 1, count: Int = 200) -> [TokenID] {
        var rng = RandomSource(seed: 99)
        let logits = (0..<300).map { _ in Float(rng.nextUnit() * 4) }
        let chain = SamplerChain(parameters: GenerationParameters(temperature: temperature, topK: 50, topP: 0.9, minP: 0.01, repeatPenalty: 1, seed: seed), vocabularySize: 300)
        return (0..<count).map { _ in chain.sample(logits: logits, history: UnsafeBufferPointer(start: nil, count: 0)) }
    }

    @Test func sameSeedSameDraws() {
        #expect(draws(seed: 42) == draws(seed: 42))
        #expect(draws(seed: 42) != draws(seed: 43))
        #expect(Set(draws(seed: 42)).count > 5)
    }

    @Test func drawsFollowTheDistribution() {
        let logits: [Float] = [logf(0.6), logf(0.3), logf(0.1)]
        let chain = SamplerChain(parameters: GenerationParameters(temperature: 1, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, seed: 5), vocabularySize: 3)
        var counts = [0, 0, 0]
        for _ in 0..<20000 { counts[Int(chain.sample(logits: logits, history: UnsafeBufferPointer(start: nil, count: 0)))] += 1 }
        #expect(abs(Double(counts[0]) / 20000 - 0.6) < 0.02)
        #expect(abs(Double(counts[1]) / 20000 - 0.3) < 0.02)
        #expect(abs(Double(counts[2]) / 20000 - 0.1) < 0.02)
    }

    @Test func lowTemperatureConcentrates() {
        let logits: [Float] = [1, 2, 1.9, 0]
        let chain = SamplerChain(parameters: GenerationParameters(temperature: 0.005, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, seed: 3), vocabularySize: 4)
        let picks = (0..<500).map { _ in chain.sample(logits: logits, history: UnsafeBufferPointer(start: nil, count: 0)) }
        #expect(Set(picks) == [1])
    }

    @Test func parametersValidate() throws {
        try GenerationParameters().validate()
        #expect(throws: InferenceError.self) { try GenerationParameters(topP: 0).validate() }
        #expect(throws: InferenceError.self) { try GenerationParameters(maxTokens: -1).validate() }
        #expect(throws: InferenceError.self) { try GenerationParameters(repeatPenalty: .nan).validate() }
    }
}

#if canImport(Glibc)
import Glibc
#endif
