import Foundation
import GGUF
import Testing
import TestSupport
@testable import Inference
import Tokenizers

/// The llama.cpp-matching pass (`InferenceSession+Matched`): which models take it, and that its
/// bits do not depend on the thread count or on how a batch is split (each element is computed the
/// same way whoever computes it, and a pass of two or more tokens always uses the batch order).
@Suite(.serialized) struct MatchedPassTests {
    static let prompt: [TokenID] = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411,
                                    407, 19712, 8182, 2, 198, 1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1,
                                    520, 9531, 198]

    static func logits(_ s: InferenceSession) -> [UInt32] {
        UnsafeBufferPointer(start: s.logits, count: s.config.vocabularySize).map(\.bitPattern)
    }

    @Test func logitsDoNotDependOnThreadsOrBatchSplits() throws {
        let model = try LlamaModel(path: TestPaths.defaultModel.path)
        let one = try InferenceSession(model: model, contextLength: 128, threads: 1)
        #expect(one.matched != nil)
        try one.evaluate(Self.prompt)
        let reference = Self.logits(one)

        let three = try InferenceSession(model: model, contextLength: 128, threads: 3, maxBatch: 16)
        try three.evaluate(Self.prompt)  // passes of 16, 16 and 5 tokens
        #expect(Self.logits(three) == reference)

        let split = try InferenceSession(model: model, contextLength: 128, threads: 2)
        try split.evaluate(Array(Self.prompt.prefix(20)))
        try split.evaluate(Array(Self.prompt.dropFirst(20)))  // a reused prefix, then the rest
        #expect(Self.logits(split) == reference)

        // One more token (the generation order) agrees too.
        for s in [one, three, split] { try s.evaluate([504]) }
        #expect(Self.logits(three) == Self.logits(one))
        #expect(Self.logits(split) == Self.logits(one))
    }

    /// Passes leave a token alone exactly where llama.cpp's 512-token batches do.
    @Test func passLengthsLeaveATokenAloneOnlyWhereLlamaCppDoes() {
        func passes(_ n: Int, _ maxBatch: Int) -> [Int] {
            var out: [Int] = [], remaining = n
            while remaining > 0 {
                let b = InferenceSession.matchedPassLength(remaining: remaining, total: n, maxBatch: maxBatch)
                out.append(b)
                remaining -= b
            }
            return out
        }
        #expect(passes(1, 512) == [1])
        #expect(passes(5, 512) == [5])
        #expect(passes(513, 512) == [512, 1])
        #expect(passes(1025, 512) == [512, 512, 1])
        #expect(passes(65, 64) == [63, 2])
        #expect(passes(513, 64) == [64, 64, 64, 64, 64, 64, 64, 64, 1])
        #expect(passes(129, 64) == [64, 63, 2])
        for n in 1...1100 {
            for mb in [16, 64, 96, 512] {
                let p = passes(n, mb)
                #expect(p.reduce(0, +) == n && p.allSatisfy { $0 <= mb })
                #expect(p.filter { $0 == 1 }.count == (n % 512 == 1 ? 1 : 0), "\(n) tokens, passes of \(mb)")
            }
        }
    }

    @Test func onlyModelsWithMatchingKernelsTakeThePass() throws {
        let dir = try TestPaths.temporaryDirectory("matched")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (type, expected) in [(GGMLType.q4_1, true), (.q8_0, true), (.q4_K, false), (.q4_0, false)] {
            let (q, f) = try TinyModel.write(type: type, directory: dir)
            let session = try InferenceSession(model: LlamaModel(path: q.path), contextLength: 64, threads: 2)
            #expect((session.matched != nil) == expected, "\(type)")
            #expect(session.batchThreshold == (expected ? 2 : 8), "\(type)")
            try session.evaluate([1, 450, 4996, 17354, 1701])
            #expect(Self.logits(session).allSatisfy { Float(bitPattern: $0).isFinite }, "\(type)")
            let f32 = try InferenceSession(model: LlamaModel(path: f.path), contextLength: 64, threads: 2)
            #expect(f32.matched == nil)
            try? FileManager.default.removeItem(at: q)
            try? FileManager.default.removeItem(at: f)
        }
    }
}
