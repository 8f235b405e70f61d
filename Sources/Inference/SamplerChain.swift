import Tokenizers
/// The samplers of one generation in llama.cpp's order (repetition penalty, top-k, top-p, min-p,
/// temperature) followed by a seeded draw, or an arg-max when the temperature is 0. All buffers
/// are allocated once; `sample` allocates nothing.
public final class SamplerChain {
    public private(set) var stages: [any Sampler]
    public let greedy: Bool
    private let vocabularySize: Int
    private let candidateStorage: UnsafeMutableBufferPointer<Candidate>
    private let scratch: UnsafeMutablePointer<Float>
    private let marks: UnsafeMutablePointer<Bool>
    private var random: RandomSource
    private var candidates: Candidates

    public init(parameters p: GenerationParameters, vocabularySize: Int) {
        self.vocabularySize = vocabularySize
        greedy = p.temperature <= 0
        var s: [any Sampler] = []
        if p.repeatPenalty != 1 && p.repeatLastN > 0 { s.append(RepetitionPenalty(penalty: p.repeatPenalty, lastN: p.repeatLastN)) }
        if !greedy {
            if p.topK > 0 { s.append(TopK(p.topK)) }
            if p.topP < 1 { s.append(TopP(p.topP)) }
            if p.minP > 0 { s.append(MinP(p.minP)) }
            s.append(Temperature(p.temperature))
        }
        stages = s
        candidateStorage = .allocate(capacity: vocabularySize)
        scratch = .allocate(capacity: vocabularySize)
        marks = .allocate(capacity: vocabularySize)
        marks.initialize(repeating: false, count: vocabularySize)
        random = RandomSource(seed: p.seed ?? UInt64.random(in: 0...UInt64.max))
        candidates = Candidates(storage: candidateStorage)
    }

    deinit {
        candidateStorage.deallocate()
        scratch.deallocate()
        marks.deallocate()
    }

    /// Picks the next token from `logits` (one per vocabulary entry), given the recent tokens.
    public func sample(logits: UnsafePointer<Float>, history: UnsafeBufferPointer<TokenID>) -> TokenID {
        candidates.load(logits, count: vocabularySize)
        var context = SamplingContext(history: history, scratch: scratch, marks: marks, random: random)
        for i in stages.indices { stages[i].apply(to: &candidates, context: &context) }
        random = context.random
        if greedy { return candidates[candidates.argmax()].id }
        candidates.softmax(into: scratch)
        let u = Float(random.nextUnit())
        var sum: Float = 0
        for i in 0..<candidates.count {
            sum += scratch[i]
            if u < sum { return candidates[i].id }
        }
        return candidates[candidates.count - 1].id
    }
}
