import Foundation
import GGUF
import Kernels
import Testing
import TestSupport
import Tokenizers
@testable import Inference

@Suite(.serialized) struct TinyModelTests {
    static let directory: URL = (try? TestPaths.temporaryDirectory("tiny")) ?? FileManager.default.temporaryDirectory
    static let prompt: [TokenID] = [1, 450, 4996, 17354, 1701, 29916, 432, 17204, 975, 278, 17366, 11203, 29889, 13, 1576]

    /// Runs `prompt` (batched prefill) then `steps` single tokens; returns every step's logits.
    static func run(_ path: URL, threads: Int = 2, steps: [TokenID] = [319, 4799, 29871]) throws -> [[Float]] {
        let model = try LlamaModel(path: path.path)
        let session = try InferenceSession(model: model, contextLength: 64, threads: threads)
        let vocab = model.config.vocabularySize
        var out: [[Float]] = []
        try session.evaluate(prompt)
        out.append(Array(UnsafeBufferPointer(start: session.logits, count: vocab)))
        for t in steps {
            try session.evaluate([t])
            out.append(Array(UnsafeBufferPointer(start: session.logits, count: vocab)))
        }
        return out
    }

    static func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        var num: Float = 0, den: Float = 0
        for i in a.indices { num += (a[i] - b[i]) * (a[i] - b[i]); den += b[i] * b[i] }
        return (num / max(den, 1e-30)).squareRoot()
    }

    static let types: [GGMLType] = WeightMatrix.supportedTypes.filter { $0 != .f32 }

    @Test(arguments: types)
    func quantizedLogitsStayCloseToF32(type: GGMLType) throws {
        let (q, f) = try TinyModel.write(type: type, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let ql = try Self.run(q), fl = try Self.run(f)
        for (i, (a, b)) in zip(ql, fl).enumerated() {
            let spread = b.map { abs($0) }.reduce(0, +) / Float(b.count)
            #expect(spread > 0.1, "\(type) step \(i): degenerate logits")
            let err = Self.relativeError(a, b)
            #expect(err < 0.05, "\(type) step \(i): relative error \(err)")
            if i == ql.count - 1 { print("\(type): relative error \(err)") }
        }
    }

    @Test func prefillEqualsSingleSteps() throws {
        for type in [GGMLType.f32, .q4_K] {
            let (q, f) = try TinyModel.write(type: type == .f32 ? .q8_0 : type, directory: Self.directory)
            defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
            let path = type == .f32 ? f : q
            let model = try LlamaModel(path: path.path)
            let batched = try InferenceSession(model: model, contextLength: 64, threads: 2)
            let stepped = try InferenceSession(model: model, contextLength: 64, threads: 2)
            try batched.evaluate(Self.prompt)
            #expect(Self.prompt.count >= batched.batchThreshold)
            for t in Self.prompt { try stepped.evaluate([t]) }
            let vocab = model.config.vocabularySize
            let a = Array(UnsafeBufferPointer(start: batched.logits, count: vocab))
            let b = Array(UnsafeBufferPointer(start: stepped.logits, count: vocab))
            let err = Self.relativeError(a, b)
            // F32: only summation order differs; quantized: decode rounds activations to 8 bits.
            #expect(err < (type == .f32 ? 1e-4 : 0.03), "\(type): relative error \(err)")
            #expect(batched.cache.tokens == stepped.cache.tokens)
        }
    }

    /// The register-tile prefill against the row-block prefill it replaced: the same activation
    /// bytes and integer sums, so only float summation order differs. (An all-Q8_0 model takes
    /// the llama.cpp-matching pass instead.)
    @Test(arguments: [GGMLType.q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q4_0])
    func tiledPrefillMatchesRowBlockPrefill(type: GGMLType) throws {
        let (q, f) = try TinyModel.write(type: type, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let model = try LlamaModel(path: q.path)
        #expect(model.layers[0].query.hasQuantizedBatchKernel)
        let vocab = model.config.vocabularySize
        var results: [[Float]] = []
        for tiled in [true, false] {
            let session = try InferenceSession(model: model, contextLength: 64, threads: 2)
            session.usesTiledBatches = tiled
            try session.evaluate(Self.prompt)
            try session.evaluate(Array(Self.prompt.prefix(9)))  // a second pass at positions 15...
            results.append(Array(UnsafeBufferPointer(start: session.logits, count: vocab)))
        }
        let err = Self.relativeError(results[0], results[1])
        print("\(type): tiled vs row-block prefill, relative error \(err)")
        #expect(err < 1e-5, "\(type): relative error \(err)")
        let top = { (l: [Float]) in l.indices.max { l[$0] < l[$1] }! }
        #expect(top(results[0]) == top(results[1]))
    }

    @Test func prefixReuseEvaluatesOnlyNewTokensWithIdenticalLogits() throws {
        let (q, f) = try TinyModel.write(type: .q4_0, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let model = try LlamaModel(path: q.path)
        let vocab = model.config.vocabularySize
        let first = Array(Self.prompt.prefix(10)), detour: [TokenID] = [500, 600, 700, 800, 900, 1000, 1100, 1200, 1300]
        let rest = Array(Self.prompt.dropFirst(10))

        let fresh = try InferenceSession(model: model, contextLength: 64, threads: 2)
        try fresh.evaluate(first)
        try fresh.evaluate(rest)
        let expected = Array(UnsafeBufferPointer(start: fresh.logits, count: vocab))

        let reused = try InferenceSession(model: model, contextLength: 64, threads: 2)
        try reused.evaluate(first + detour)
        #expect(reused.cache.commonPrefixLength(with: Self.prompt) == 10)
        reused.cache.truncate(to: 10)
        try reused.evaluate(rest)
        #expect(Array(UnsafeBufferPointer(start: reused.logits, count: vocab)) == expected)
        #expect(reused.cache.tokens == Self.prompt)
    }

    @Test func engineReusesTheCacheAcrossRequests() async throws {
        let (q, f) = try TinyModel.write(type: .q8_0, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let engine = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2)
        let greedy = GenerationParameters.greedy(maxTokens: 6)
        let one = try await engine.complete(prompt: Self.prompt, parameters: greedy)
        #expect(one.stats.reusedTokens == 0 && one.stats.promptTokens == Self.prompt.count)
        #expect(one.stats.generatedTokens + (one.stats.stopReason == .endOfTurn ? 0 : 0) == one.tokens.count)
        // The follow-up holds the first prompt, the reply and two new tokens.
        let followUp = Self.prompt + one.tokens + [13, 29902]
        let two = try await engine.complete(prompt: followUp, parameters: greedy)
        let cachedBefore = Self.prompt.count + max(0, one.tokens.count - 1)  // the last generated token is never evaluated
        #expect(two.stats.reusedTokens == min(cachedBefore, followUp.count - 1))
        // The same as a session that performs exactly those evaluations from an empty cache: what
        // the first request left (prompt, then all generated tokens but the last, one by one), then
        // the new tokens, then greedy steps.
        let model = try LlamaModel(path: q.path)
        let session = try InferenceSession(model: model, contextLength: 128, threads: 2)
        try session.evaluate(Self.prompt)
        for t in one.tokens.dropLast() { try session.evaluate([t]) }
        try session.evaluate(Array(followUp[two.stats.reusedTokens...]))
        var expected: [TokenID] = []
        let vocab = model.config.vocabularySize
        for _ in 0..<two.tokens.count {
            var best = 0
            for i in 1..<vocab where session.logits[i] > session.logits[best] { best = i }
            expected.append(TokenID(best))
            try session.evaluate([TokenID(best)])
        }
        #expect(expected == two.tokens)
    }

    @Test func sameSeedSameOutput() async throws {
        let (q, f) = try TinyModel.write(type: .q4_1, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let engine = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2)
        var p = GenerationParameters(maxTokens: 20, temperature: 1.0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, seed: 11)
        let a = try await engine.complete(prompt: Self.prompt, parameters: p)
        let b = try await engine.complete(prompt: Self.prompt, parameters: p)
        #expect(a.tokens == b.tokens && a.text == b.text)
        #expect(a.tokens.count > 0)
        p.seed = 12
        let c = try await engine.complete(prompt: Self.prompt, parameters: p)
        #expect(c.tokens != a.tokens)
    }

    @Test func cancellationStopsWithinOneTokenAndLeavesTheEngineUsable() async throws {
        let (q, f) = try TinyModel.write(type: .q8_0, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let engine = try InferenceEngine(modelPath: q.path, contextLength: 256, threads: 2)
        // Sample from a flat-ish distribution so text keeps coming; never stop on EOS by chance:
        let p = GenerationParameters(maxTokens: 200, temperature: 1.0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, seed: 5)
        var received = 0
        for try await event in engine.generate(prompt: Self.prompt, parameters: p) {
            if case .text = event { received += 1 }
            if received == 3 { break }   // drops the stream
        }
        // Next request runs after the cancelled one finished; the cache shows where it stopped.
        // (The producer may run ahead of a slow consumer; the exact bound is checked below.)
        let cached = await engine.cachedTokens()
        #expect(cached.count < Self.prompt.count + 100, "generated \(cached.count - Self.prompt.count) tokens after 3 were consumed")
        let after = try await engine.complete(prompt: Self.prompt, parameters: .greedy(maxTokens: 3))
        #expect(after.stats.stopReason == .maxTokens || after.stats.stopReason == .endOfTurn)
        #expect(after.stats.reusedTokens == Self.prompt.count - 1)

        // Task cancellation works the same way.
        let task = Task {
            var n = 0
            for try await event in engine.generate(prompt: Self.prompt, parameters: p) {
                if case .text = event { n += 1 }
                if case .finished(let s) = event { return s.stopReason }
            }
            return StopReason.cancelled
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let reason = try await task.value
        #expect(reason == .cancelled)
    }

    @Test func cancelledGenerationStopsBeforeTheNextToken() throws {
        let (q, f) = try TinyModel.write(type: .q8_0, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let model = try LlamaModel(path: q.path)
        let session = try InferenceSession(model: model, contextLength: 256, threads: 2)
        let tokenizer = try Tokenizer(metadata: model.file.metadata)
        let flag = CancellationFlag()
        let p = GenerationParameters(maxTokens: 200, temperature: 1.0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, seed: 5)
        var texts = 0
        var stats: GenerationStats?
        var cacheAtCancel = 0
        try Generator(session: session, tokenizer: tokenizer).run(prompt: Self.prompt, parameters: p, cancel: flag) { event in
            switch event {
            case .prefilling: break
            case .text:
                texts += 1
                if texts == 3 { flag.cancel(); cacheAtCancel = session.cache.count }
            case .finished(let s): stats = s
            }
        }
        let s = try #require(stats)
        #expect(s.stopReason == .cancelled)
        #expect(session.cache.count == cacheAtCancel, "no token evaluated after the cancellation")
        #expect(s.generatedTokens <= session.cache.count - Self.prompt.count + 1)
    }

    @Test func errorsAreClear() throws {
        let (q, f) = try TinyModel.write(type: .q8_0, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let model = try LlamaModel(path: q.path)
        let session = try InferenceSession(model: model, contextLength: 16, threads: 1)
        #expect(throws: InferenceError.tokenOutOfRange(id: 40000, vocabularySize: 32000)) { try session.evaluate([40000]) }
        #expect(throws: InferenceError.contextFull(needed: 20, contextLength: 16)) { try session.evaluate([TokenID](repeating: 5, count: 20)) }
        #expect(session.cache.count == 0)
    }
}

/// The AMX prefill (`matmulTiles`, passes of `tileUnitThreshold`+ tokens) against the VNNI
/// register tiles it replaces at that size, both measured against the F32 twin's logits (the
/// same dequantized weights in float): bf16 keeps 8 bits of each weight and activation, Q8_K about
/// as many of each activation, so the two land about equally close to the float model.
@Suite(.serialized) struct TileUnitPrefillTests {
    static let prompt: [TokenID] = (0..<100).map { TokenID(1 + ($0 * 7919) % 31000) }
    /// Its own folder: the suites run in parallel and `TinyModel.write` names files by type.
    static let directory: URL = (try? TestPaths.temporaryDirectory("tile-unit")) ?? FileManager.default.temporaryDirectory

    @Test(arguments: [GGMLType.q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q4_0])
    func tileUnitPrefillIsAsCloseToFloatAsTheIntegerTiles(type: GGMLType) throws {
        guard TileBatch.available else {
            print("skipped: this machine (or build) has no AMX-BF16 tile unit")
            return
        }
        let (q, f) = try TinyModel.write(type: type, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let model = try LlamaModel(path: q.path), float = try LlamaModel(path: f.path)
        #expect(model.layers[0].query.hasTileKernel)
        let vocab = model.config.vocabularySize
        func logits(_ m: LlamaModel, tileUnit: Bool) throws -> [Float] {
            let session = try InferenceSession(model: m, contextLength: 256, threads: 2)
            session.usesTileUnit = tileUnit
            try session.evaluate(Self.prompt)
            try session.evaluate(Array(Self.prompt.prefix(70)))  // a second pass at positions 100...
            return Array(UnsafeBufferPointer(start: session.logits, count: vocab))
        }
        let amx = try logits(model, tileUnit: true), vnni = try logits(model, tileUnit: false)
        let exact = try logits(float, tileUnit: false)
        #expect(amx != vnni, "\(type): the AMX path did not run")
        let errAMX = TinyModelTests.relativeError(amx, exact), errVNNI = TinyModelTests.relativeError(vnni, exact)
        print("\(type): relative error against F32, AMX \(errAMX), VNNI \(errVNNI)")
        #expect(errAMX < 0.01, "\(type): AMX relative error \(errAMX)")
        #expect(errAMX < 2 * errVNNI + 1e-4, "\(type): AMX \(errAMX) vs VNNI \(errVNNI)")
    }
}
