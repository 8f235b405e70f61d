import ChatCore
import Foundation
import GGUF
import Inference

/// A local model ready for the lab: the engine, the generator on it, and what to record about it.
public struct LabModel: Sendable {
    public let engine: InferenceEngine
    public let generator: BackendReplyGenerator
    /// The model file's name (recorded with saved conversations).
    public let fileName: String
    /// The prompt format `options.format` resolves to for this model.
    public let formatName: String

    /// Loads the model at `path` with the context size and threads of `options`; `kvMemory` and
    /// `kvDisk` as `InferenceEngine` takes them (a replay of a saved conversation resumes from its
    /// saved state).
    public init(path: String, options: GenerationOptions, kvMemory: Int? = nil, kvDisk: KVDiskSettings? = nil) throws {
        let file = try GGUFFile(path: path)
        let arch = file.metadata.string("general.architecture") ?? "llama"
        let modelContext = file.metadata.int("\(arch).context_length") ?? options.contextSize
        engine = try InferenceEngine(modelPath: path, contextLength: min(options.contextSize, max(64, modelContext)),
                                     threads: options.threads, kvMemory: kvMemory, kvDisk: kvDisk)
        generator = BackendReplyGenerator(backend: engine, metadata: file.metadata, tokenizer: engine.tokenizer)
        fileName = URL(fileURLWithPath: path).lastPathComponent
        formatName = PromptFormats.forModel(options.format, metadata: file.metadata).1.format.rawValue
    }
}
