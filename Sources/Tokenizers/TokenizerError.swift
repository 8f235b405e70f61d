/// Everything that can be wrong with a tokenizer's GGUF metadata. Each case names the key (and the
/// entry) so the one-line message is enough to find the problem in the file.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required `tokenizer.ggml.*` key is absent.
    case missingKey(String)
    /// A key holds a value of another type than expected.
    case typeMismatch(key: String, expected: String, found: String)
    /// `tokenizer.ggml.model` names an algorithm this module does not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.tokens` is empty.
    case emptyVocabulary
    /// An array key has another length than the token list.
    case lengthMismatch(key: String, expected: Int, found: Int)
    /// A token id key (BOS, EOS, ...) points outside the vocabulary.
    case tokenIDOutOfRange(key: String, id: Int, vocabularySize: Int)
    /// An entry of `tokenizer.ggml.token_type` is not a known type (0...6).
    case invalidTokenType(index: Int, value: Int)
    /// A line of `tokenizer.ggml.merges` is not two non-empty pieces separated by a space.
    case invalidMerge(index: Int, line: String)

    public var description: String {
        switch self {
        case .missingKey(let key):
            return "tokenizer metadata key \"\(key)\" is missing"
        case .typeMismatch(let key, let expected, let found):
            return "tokenizer metadata key \"\(key)\" is \(found), expected \(expected)"
        case .unsupportedModel(let model):
            return "unsupported tokenizer model \"\(model)\" in tokenizer.ggml.model (supported: llama, gpt2)"
        case .emptyVocabulary:
            return "tokenizer metadata key \"tokenizer.ggml.tokens\" holds no tokens"
        case .lengthMismatch(let key, let expected, let found):
            return "tokenizer metadata key \"\(key)\" has \(found) entries, expected \(expected) (one per token)"
        case .tokenIDOutOfRange(let key, let id, let size):
            return "tokenizer metadata key \"\(key)\" is token id \(id), outside the vocabulary of \(size) tokens"
        case .invalidTokenType(let index, let value):
            return "tokenizer.ggml.token_type[\(index)] is \(value), not a known token type (0...6)"
        case .invalidMerge(let index, let line):
            return "tokenizer.ggml.merges[\(index)] \"\(line)\" is not two pieces separated by a space"
        }
    }
}
