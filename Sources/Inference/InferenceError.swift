/// Everything that can go wrong loading a model or running it. Each case names what was wrong and
/// where, so the one-line message a user sees is enough to act on.
public enum InferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file's `general.architecture` is not one this engine runs.
    case unsupportedArchitecture(String)
    /// A hyperparameter in the metadata is missing or impossible.
    case invalidHyperparameter(key: String, message: String)
    /// A weight tensor is missing, has the wrong shape, or a block type the kernels cannot run.
    case invalidTensor(name: String, message: String)
    /// A token id outside the vocabulary was given.
    case tokenOutOfRange(id: Int, vocabularySize: Int)
    /// The prompt (plus what was asked to generate) does not fit in the context window.
    case contextFull(needed: Int, contextLength: Int)
    /// The prompt holds no tokens.
    case emptyPrompt
    /// A generation parameter is out of its valid range.
    case invalidParameter(name: String, message: String)
    /// The engine is busy with another generation and the caller asked not to wait.
    case busy
    /// The model file could not be read.
    case loadFailed(path: String, message: String)
    /// A saved KV state file could not be used (damaged, made for another model or context,
    /// unreadable or unwritable).
    case kvState(path: String, message: String)

    public var description: String {
        switch self {
        case .unsupportedArchitecture(let arch):
            return "unsupported model architecture \"\(arch)\" (supported: llama)"
        case .invalidHyperparameter(let key, let message):
            return "invalid hyperparameter \(key): \(message)"
        case .invalidTensor(let name, let message):
            return "tensor \"\(name)\": \(message)"
        case .tokenOutOfRange(let id, let n):
            return "token id \(id) is outside the vocabulary (0..<\(n))"
        case .contextFull(let needed, let ctx):
            return "\(needed) tokens do not fit in the context window of \(ctx) tokens"
        case .emptyPrompt:
            return "the prompt is empty"
        case .invalidParameter(let name, let message):
            return "invalid \(name): \(message)"
        case .busy:
            return "the engine is busy with another generation"
        case .loadFailed(let path, let message):
            return "cannot load \(path): \(message)"
        case .kvState(let path, let message):
            return "KV state \(path): \(message)"
        }
    }
}
