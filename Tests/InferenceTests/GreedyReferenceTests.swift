import Foundation
import Testing
import TestSupport
@testable import Inference

/// SmolLM2-135M-Instruct Q4_1 against llama.cpp's greedy completions (`reference.json`, llama.cpp
/// build 4748 on the CPU). The engine takes its llama.cpp-matching pass for this model (every
/// matrix Q4_1 or Q8_0: `InferenceSession+Matched`), whose logits equal llama.cpp's bit for bit, so
/// every generated id must match and every reported log-probability must agree to the reference's
/// four decimals (the issue asks for 16 ids and 0.05).
@Suite(.serialized) struct GreedyReferenceTests {
    struct Step: Decodable { var id: Int; var top: [[Double]] }
    struct Case: Decodable { var prompt_ids: [Int32]; var generated_ids: [Int32]; var steps: [Step] }
    struct Reference: Decodable { var smollm2_greedy: [Case] }

    static func cases() throws -> [Case] {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: TestPaths.fixture("reference.json"))).smollm2_greedy
    }

    static func logSoftmax(_ p: UnsafePointer<Float>, _ n: Int) -> [Double] {
        var m = -Double.infinity
        for i in 0..<n { m = max(m, Double(p[i])) }
        var s = 0.0
        for i in 0..<n { s += exp(Double(p[i]) - m) }
        let lse = m + log(s)
        return (0..<n).map { Double(p[$0]) - lse }
    }

    @Test func greedyMatchesLlamaCpp() throws {
        let model = try LlamaModel(path: TestPaths.defaultModel.path)
        let session = try InferenceSession(model: model, contextLength: 512, threads: 2)
        let vocab = model.config.vocabularySize
        for (ci, c) in try Self.cases().enumerated() {
            session.cache.clear()
            try session.evaluate(c.prompt_ids)
            var generated: [Int32] = []
            var worst = 0.0
            var logprobFailures = 0
            for (si, step) in c.steps.enumerated() {
                let lp = Self.logSoftmax(session.logits, vocab)
                var best = 0
                for i in 1..<vocab where lp[i] > lp[best] { best = i }
                let refTop = step.top
                for pair in refTop {
                    let diff = abs(lp[Int(pair[0])] - pair[1])
                    worst = max(worst, diff)
                    if diff >= 0.001 { logprobFailures += 1 }
                }
                generated.append(Int32(best))
                if generated.count == c.generated_ids.count { break }
                try session.evaluate([c.generated_ids[si]])  // teacher-forced: compare every step
            }
            let same = zip(generated, c.generated_ids).prefix { $0 == $1 }.count
            print("prompt \(ci): \(c.prompt_ids.count) prompt tokens, \(same)/\(c.generated_ids.count) equal, worst log-probability difference \(worst)")
            #expect(session.matched != nil, "this model should take the llama.cpp-matching pass")
            #expect(generated == c.generated_ids, "prompt \(ci): \(same) of \(c.generated_ids.count) ids equal")
            #expect(logprobFailures == 0, "prompt \(ci): \(logprobFailures) log-probabilities off by 0.001 or more (worst \(worst))")
        }
    }
}
