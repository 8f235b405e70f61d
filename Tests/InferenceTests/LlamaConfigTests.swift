import GGUF
import Testing
import TestSupport
@testable import Inference

@Suite struct LlamaConfigTests {
    func metadata(_ extra: [(String, GGUFValue)] = [], arch: String = "llama") -> GGUFMetadata {
        GGUFMetadata([
            ("general.architecture", .string(arch)),
            ("llama.block_count", .uint32(2)),
            ("llama.embedding_length", .uint32(64)),
            ("llama.feed_forward_length", .uint32(128)),
            ("llama.attention.head_count", .uint32(4)),
            ("llama.attention.head_count_kv", .uint32(2)),
            ("llama.context_length", .uint32(256)),
            ("llama.vocab_size", .uint32(1000)),
        ] + extra)
    }

    @Test func readsTheDefaultModel() throws {
        let file = try GGUFFile(path: TestPaths.defaultModel.path)
        let c = try LlamaConfig(file: file)
        #expect(c.layerCount == 30)
        #expect(c.embeddingLength == 576)
        #expect(c.feedForwardLength == 1536)
        #expect(c.headCount == 9 && c.kvHeadCount == 3 && c.groupSize == 3)
        #expect(c.headSize == 64 && c.ropeDimensionCount == 64)
        #expect(c.ropeFrequencyBase == 100000)
        #expect(abs(c.rmsEpsilon - 1e-5) < 1e-9)
        #expect(c.contextLength == 8192)
        #expect(c.vocabularySize == 49152)
        #expect(c.tiedOutput)
        #expect(c.ropeScale == 1)
    }

    @Test func defaultsAndDerivedValues() throws {
        let c = try LlamaConfig(metadata: metadata(), tensorNames: ["output.weight"], embeddingRows: nil)
        #expect(c.headSize == 16 && c.kvDimension == 32 && c.groupSize == 2)
        #expect(c.ropeFrequencyBase == 10000 && c.ropeDimensionCount == 16)
        #expect(!c.tiedOutput)
    }

    @Test func rejectsOtherArchitectures() {
        #expect(throws: InferenceError.unsupportedArchitecture("gpt2")) {
            try LlamaConfig(metadata: metadata(arch: "gpt2"), tensorNames: [], embeddingRows: nil)
        }
        #expect(InferenceError.unsupportedArchitecture("falcon").description.contains("falcon"))
    }

    @Test func rejectsImpossibleShapes() {
        #expect(throws: InferenceError.self) {
            try LlamaConfig(metadata: metadata([("llama.attention.head_count_kv", .uint32(3))]), tensorNames: [], embeddingRows: nil)
        }
        #expect(throws: InferenceError.self) {
            try LlamaConfig(metadata: metadata([("llama.block_count", .int32(-1))]), tensorNames: [], embeddingRows: nil)
        }
        #expect(throws: InferenceError.self) {
            try LlamaConfig(metadata: metadata([("llama.rope.freq_base", .string("x"))]), tensorNames: [], embeddingRows: nil)
        }
    }

    @Test func linearRopeScalingFromMetadataAndOverride() throws {
        let m = metadata([("llama.rope.scaling.type", .string("linear")), ("llama.rope.scaling.factor", .float32(2))])
        let c = try LlamaConfig(metadata: m, tensorNames: [], embeddingRows: nil)
        #expect(c.ropeScale == 2 && c.scaledContextLength == 512)
        let o = try LlamaConfig(metadata: m, tensorNames: [], embeddingRows: nil, ropeScale: 4)
        #expect(o.ropeScale == 4)
        #expect(throws: InferenceError.self) {
            try LlamaConfig(metadata: metadata([("llama.rope.scaling.type", .string("yarn"))]), tensorNames: [], embeddingRows: nil)
        }
    }
}
