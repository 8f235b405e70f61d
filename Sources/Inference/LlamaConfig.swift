import GGUF

/// The hyperparameters of a Llama-family model, read from the `llama.*` metadata of a GGUF file.
public struct LlamaConfig: Equatable, Sendable {
    /// Number of transformer blocks.
    public var layerCount: Int
    /// Width of the residual stream.
    public var embeddingLength: Int
    /// Hidden width of the SwiGLU feed-forward network.
    public var feedForwardLength: Int
    /// Query heads.
    public var headCount: Int
    /// Key/value heads (fewer than `headCount` with grouped-query attention).
    public var kvHeadCount: Int
    /// Width of one head.
    public var headSize: Int
    /// RoPE frequency base (theta).
    public var ropeFrequencyBase: Float
    /// How many leading dimensions of each head are rotated.
    public var ropeDimensionCount: Int
    /// Linear RoPE scaling factor: positions are divided by it (1 = none).
    public var ropeScale: Float
    /// RMSNorm epsilon.
    public var rmsEpsilon: Float
    /// The context length the model was trained with.
    public var contextLength: Int
    /// Vocabulary size (rows of the token embedding).
    public var vocabularySize: Int
    /// True when the output projection reuses `token_embd.weight`.
    public var tiedOutput: Bool

    /// Width of the keys and values of one token (`kvHeadCount * headSize`).
    public var kvDimension: Int { kvHeadCount * headSize }
    /// Query heads per key/value head.
    public var groupSize: Int { headCount / kvHeadCount }
    /// The usable context after linear RoPE scaling.
    public var scaledContextLength: Int { Int((Float(contextLength) * ropeScale).rounded()) }

    public init(layerCount: Int, embeddingLength: Int, feedForwardLength: Int, headCount: Int,
                kvHeadCount: Int, headSize: Int? = nil, ropeFrequencyBase: Float = 10000,
                ropeDimensionCount: Int? = nil, ropeScale: Float = 1, rmsEpsilon: Float = 1e-5,
                contextLength: Int, vocabularySize: Int, tiedOutput: Bool = false) {
        self.layerCount = layerCount
        self.embeddingLength = embeddingLength
        self.feedForwardLength = feedForwardLength
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        let hs = headSize ?? embeddingLength / max(headCount, 1)
        self.headSize = hs
        self.ropeFrequencyBase = ropeFrequencyBase
        self.ropeDimensionCount = ropeDimensionCount ?? hs
        self.ropeScale = ropeScale
        self.rmsEpsilon = rmsEpsilon
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
        self.tiedOutput = tiedOutput
    }

    /// Reads the configuration of `file`. `ropeScale` overrides the file's linear RoPE scaling.
    public init(file: GGUFFile, ropeScale: Float? = nil) throws {
        try self.init(metadata: file.metadata, tensorNames: Set(file.tensors.map(\.name)),
                      embeddingRows: file.tensor(named: "token_embd.weight")?.rows, ropeScale: ropeScale)
    }

    /// Reads the configuration from metadata. `embeddingRows` (the token embedding's row count)
    /// gives the vocabulary size when the metadata has none.
    public init(metadata m: GGUFMetadata, tensorNames: Set<String>, embeddingRows: Int?,
                ropeScale: Float? = nil) throws {
        let arch = m.string("general.architecture") ?? "(none)"
        guard arch == "llama" else { throw InferenceError.unsupportedArchitecture(arch) }

        func int(_ key: String, default def: Int? = nil) throws -> Int {
            guard let v = m["llama." + key] else {
                if let def { return def }
                throw InferenceError.invalidHyperparameter(key: "llama." + key, message: "missing")
            }
            guard let i = v.intValue else {
                throw InferenceError.invalidHyperparameter(key: "llama." + key, message: "not an integer (\(v.typeDescription))")
            }
            guard i > 0, i < 1 << 24 else {
                throw InferenceError.invalidHyperparameter(key: "llama." + key, message: "\(i) is out of range")
            }
            return i
        }
        func float(_ key: String, default def: Float) throws -> Float {
            guard let v = m["llama." + key] else { return def }
            guard let d = v.doubleValue, d.isFinite, d > 0 else {
                throw InferenceError.invalidHyperparameter(key: "llama." + key, message: "not a positive number (\(v))")
            }
            return Float(d)
        }

        layerCount = try int("block_count")
        embeddingLength = try int("embedding_length")
        feedForwardLength = try int("feed_forward_length")
        headCount = try int("attention.head_count")
        kvHeadCount = try int("attention.head_count_kv", default: headCount)
        guard embeddingLength % headCount == 0 else {
            throw InferenceError.invalidHyperparameter(key: "llama.attention.head_count",
                message: "embedding length \(embeddingLength) is not a multiple of \(headCount) heads")
        }
        guard headCount % kvHeadCount == 0 else {
            throw InferenceError.invalidHyperparameter(key: "llama.attention.head_count_kv",
                message: "\(headCount) query heads are not a multiple of \(kvHeadCount) key/value heads")
        }
        headSize = embeddingLength / headCount
        ropeDimensionCount = try int("rope.dimension_count", default: headSize)
        guard ropeDimensionCount <= headSize, ropeDimensionCount % 2 == 0 else {
            throw InferenceError.invalidHyperparameter(key: "llama.rope.dimension_count",
                message: "\(ropeDimensionCount) must be even and at most the head size \(headSize)")
        }
        ropeFrequencyBase = try float("rope.freq_base", default: 10000)
        rmsEpsilon = try float("attention.layer_norm_rms_epsilon", default: 1e-5)
        contextLength = try int("context_length", default: 2048)

        var scale: Float = 1
        if let type = m.string("llama.rope.scaling.type"), type != "none" {
            guard type == "linear" else {
                throw InferenceError.invalidHyperparameter(key: "llama.rope.scaling.type", message: "\"\(type)\" is not supported (only linear)")
            }
            scale = try float("rope.scaling.factor", default: 1)
        } else if m["llama.rope.scale_linear"] != nil {
            scale = try float("rope.scale_linear", default: 1)
        }
        if let ropeScale {
            guard ropeScale.isFinite, ropeScale > 0 else {
                throw InferenceError.invalidParameter(name: "rope scale", message: "\(ropeScale) must be a positive number")
            }
            scale = ropeScale
        }
        self.ropeScale = scale

        if let n = m.int("llama.vocab_size"), n > 0 { vocabularySize = n }
        else if let n = m.array("tokenizer.ggml.tokens")?.count, n > 0 { vocabularySize = n }
        else if let n = embeddingRows { vocabularySize = n }
        else { throw InferenceError.invalidHyperparameter(key: "llama.vocab_size", message: "missing") }
        tiedOutput = !tensorNames.contains("output.weight")
    }
}
